"""Rate limits per client and login lockout: a bot cannot file without end, nor guess passwords."""

import pytest
from django.core.cache import cache

from kordon.notices.models import Notice
from tests.conftest import notice_body, traveller

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.RATELIMIT_ENABLE = True
    settings.KORDON_RATE_LIMITS = {"file_notice": "3/h"}
    cache.clear()
    yield settings
    cache.clear()


def body(n):
    return notice_body(travellers=[traveller(document_number=f"NX4HK2L{n:02d}")])


def test_filing_is_limited_per_client_with_retry_after(api, crossing, limits):
    answers = [api.post("/notices", body(n)) for n in range(5)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429, 429]
    assert answers[3].json()["errors"][0]["code"] == "rate_limited"
    assert int(answers[3]["Retry-After"]) > 0
    assert Notice.objects.count() == 3
    other = api.post("/notices", body(9), REMOTE_ADDR="203.0.113.9")  # another client is not held back
    assert other.status_code == 201


def test_the_web_form_shares_the_filing_limit(client, api, crossing, limits):
    for n in range(3):
        assert api.post("/notices", body(n)).status_code == 201
    response = client.post("/notices/new/", {"action": "file", "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0",
                                             "crossing": "kyzyl-art", "direction": "TJ-KG", "idempotency_key": "5f0c2a52-52d4-4a5e-9d0e-0a4a8f3b6c11",
                                             "expected_date": body(0)["expected_date"], "form-0-surname": "A",
                                             "form-0-nationality": "NLD", "form-0-sex": "F",
                                             "form-0-date_of_birth": "1980-01-01", "form-0-document_number": "AB123",
                                             "form-0-document_expiry": "2031-01-01"})
    assert response.status_code == 429
    assert "Retry-After" in response


def test_behind_a_proxy_the_address_our_proxy_saw_counts(api, crossing, limits):
    limits.KORDON_BEHIND_PROXY = True
    for n in range(3):  # the client's own X-Forwarded-For entries are its word, not ours
        assert api.post("/notices", body(n), HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.7").status_code == 201
    assert api.post("/notices", body(5), HTTP_X_FORWARDED_FOR="10.0.0.9, 198.51.100.7").status_code == 429
    assert api.post("/notices", body(6), HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 201


@pytest.mark.parametrize("login_path", ["/post/login/", "/admin/login/"])
def test_wrong_passwords_lock_the_login_for_a_while(client, officer, login_path):
    answers = [client.post(login_path, {"username": "aibek", "password": f"wrong-{n}"}) for n in range(6)]
    assert answers[-1].status_code == 429
    right = client.post(login_path, {"username": "aibek", "password": "correct-horse-9"})
    assert right.status_code == 429  # even the right password waits until the lockout ends
    assert "_auth_user_id" not in client.session


def test_a_right_password_after_a_typo_logs_in(client, officer):
    client.post("/post/login/", {"username": "aibek", "password": "typo"})
    assert client.post("/post/login/", {"username": "aibek", "password": "correct-horse-9"}).status_code == 302


def test_officers_passwords_meet_the_validators(crossing):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="password is refused"):
        call_command("createofficer", "weak", "--post", "kg-bordobo", "--password", "1")
    call_command("createofficer", "strong", "--post", "kg-bordobo", "--password", "long-and-unusual-41")


def test_the_admin_path_is_configurable():
    import subprocess
    import sys

    probe = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'tests.settings'; django.setup(); "
             "from django.urls import resolve; print(resolve('/desk-7f3/login/').url_name)")
    done = subprocess.run([sys.executable, "-c", probe], env={**__import__("os").environ,
                          "KORDON_ADMIN_PATH": "desk-7f3"}, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "login"
