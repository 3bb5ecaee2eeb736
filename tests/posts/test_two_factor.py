"""Supervisors and administrators prove a TOTP code after the password: enrolment at the first login,
the code at every later one; nothing but those pages until then. Officers and the API are not asked."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core import checks
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

import kordon.startup  # noqa: F401 - registers the checks
from kordon.posts.models import Role
from tests.conftest import make_officer

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-9"


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.KORDON_SECOND_FACTOR = True


def code_of(device: TOTPDevice, drift: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def logged_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_an_officer_goes_straight_to_the_console(officer):
    assert logged_in(officer[0].user.username).get("/post/").status_code == 200


def test_a_supervisor_enrols_at_the_first_login_and_proves_a_code_after(supervisor):
    client = logged_in(supervisor[0].user.username)
    first = client.get("/post/")
    assert first.status_code == 302
    location = urlparse(first["Location"])
    assert location.path == "/post/two-factor/" and parse_qs(location.query)["next"] == ["/post/"]
    page = client.get(first["Location"])
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=supervisor[0].user, confirmed=False)
    secret = re.search(r"<code>([A-Z2-7]+)</code>", html).group(1)
    assert secret in device.config_url
    assert client.get("/post/").status_code == 302  # still nothing else
    wrong = client.post("/post/two-factor/", {"code": "000000" if code_of(device) != "000000" else "111111",
                                              "next": "/post/"})
    assert wrong.status_code == 400 and "wrong or has expired" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    device.throttle_reset()  # a wrong code delays the next try (test_wrong_codes_are_throttled)
    done = client.post("/post/two-factor/", {"code": code_of(device), "next": "/post/"})
    assert (done.status_code, done["Location"]) == (302, "/post/")
    assert client.get("/post/").status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed

    again = logged_in(supervisor[0].user.username)
    asked = again.get("/post/search/?q=x")
    assert urlparse(asked["Location"]).path == "/post/verify/"
    assert again.get("/post/two-factor/")["Location"] == "/post/verify/"  # no second secret once enrolled
    device.refresh_from_db()
    not_digits = again.post("/post/verify/", {"code": "12ab56"})
    assert not_digits.status_code == 400 and "6 digits" in not_digits.content.decode()
    # the enrolment used this time step's code; the next step's is within the tolerance
    ok = again.post("/post/verify/", {"code": code_of(device, drift=1), "next": "https://evil.example/"})
    assert (ok.status_code, ok["Location"]) == (302, "/post/")  # never a redirect off the site


def test_a_replayed_code_is_refused(supervisor):
    user = supervisor[0].user
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    code = code_of(device)
    assert logged_in(user.username).post("/post/verify/", {"code": code}).status_code == 302
    assert logged_in(user.username).post("/post/verify/", {"code": code}).status_code == 400


def test_wrong_codes_are_throttled(supervisor):
    user = supervisor[0].user
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = logged_in(user.username)
    wrong = "000000" if code_of(device) != "000000" else "111111"
    client.post("/post/verify/", {"code": wrong})
    refused = client.post("/post/verify/", {"code": code_of(device)})  # right, but too soon after a wrong one
    assert refused.status_code == 400 and "Too many wrong codes" in refused.content.decode()


def test_the_admin_asks_administrators_for_the_code(crossing, settings):
    get_user_model().objects.create_superuser("boss", password=PASSWORD)
    client = logged_in("boss")
    admin = f"/{settings.KORDON_ADMIN_PATH}"
    assert urlparse(client.get(admin)["Location"]).path == "/post/two-factor/"
    assert client.get(f"{admin}auth/user/").status_code == 302
    device = TOTPDevice.objects.create(user=get_user_model().objects.get(username="boss"), name="p", confirmed=True)
    done = client.post("/post/verify/", {"code": code_of(device)})
    assert done["Location"] == f"/{settings.KORDON_ADMIN_PATH.rstrip('/')}/"
    assert client.get(admin).status_code == 200


def test_the_api_and_pages_of_the_public_are_not_concerned(api, supervisor, crossing):
    assert api.get("/posts/kg-bordobo/entry-list", supervisor[1]).status_code == 200
    assert Client().get("/").status_code == 200


def test_someone_not_logged_in_is_sent_to_the_login(crossing):
    answer = Client().get("/post/verify/")
    assert answer.status_code == 302 and urlparse(answer["Location"]).path == "/post/login/"


def test_a_promoted_officer_is_asked_at_the_next_login(kg_post):
    officer, _ = make_officer(kg_post, "promoted", password=PASSWORD)
    assert logged_in("promoted").get("/post/").status_code == 200
    officer.role = Role.SUPERVISOR
    officer.save()
    assert logged_in("promoted").get("/post/").status_code == 302


def test_switching_it_off_is_a_deploy_warning(settings):
    settings.KORDON_SECOND_FACTOR = False
    found = [m.id for m in checks.run_checks(include_deployment_checks=True, tags=["kordon"])]
    assert "kordon.W001" in found
    settings.KORDON_SECOND_FACTOR = True
    assert "kordon.W001" not in [m.id for m in checks.run_checks(include_deployment_checks=True, tags=["kordon"])]
