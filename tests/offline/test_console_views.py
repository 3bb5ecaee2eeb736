"""The offline console's server side: device keys, the service worker and manifest, the review page,
and what a lost device changes."""

import base64
import uuid
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kordon.audit.models import AuditEvent
from kordon.audit.services import SYSTEM
from kordon.offline.models import DeviceEvent
from kordon.posts.models import Officer
from kordon.posts.services import report_device_lost
from tests.conftest import make_officer

pytestmark = pytest.mark.django_db


def logged_in(username):
    client = Client()
    assert client.login(username=username, password="correct-horse-9")
    return client


def test_the_device_key_is_stable_across_logins_and_private(officer):
    first = logged_in("aibek").get("/post/device-key")
    assert first.status_code == 200 and first["Cache-Control"] == "no-store"
    data = first.json()
    assert data["officer"] == "aibek" and data["post"] == "kg-bordobo" and len(base64.b64decode(data["key"])) == 32
    assert logged_in("aibek").get("/post/device-key").json() == data
    assert Client().get("/post/device-key").status_code == 302  # to the login page


def test_officers_get_different_keys(officer, supervisor):
    assert logged_in("aibek").get("/post/device-key").json()["key"] != \
        logged_in("nurlan").get("/post/device-key").json()["key"]


def test_a_lost_device_changes_the_key_revokes_the_token_and_ends_sessions(api, officer):
    client = logged_in("aibek")
    before = client.get("/post/device-key").json()
    assert report_device_lost(SYSTEM, officer[0]) == 1
    assert client.get("/post/device-key").status_code == 302  # logged out
    assert api.get("/posts/kg-bordobo/entry-list", officer[1]).status_code == 401
    after = logged_in("aibek").get("/post/device-key").json()
    assert after["key"] != before["key"] and after["key_id"] != before["key_id"]
    assert AuditEvent.objects.filter(action="officer.device_lost").count() == 1


def test_the_admin_action_reports_a_lost_device(officer):
    get_user_model().objects.create_superuser("root", password="correct-horse-9")
    client = logged_in("root")
    response = client.post("/admin/posts/officer/", {"action": "device_lost", "_selected_action": [officer[0].pk]})
    assert response.status_code == 302
    assert Officer.objects.get(pk=officer[0].pk).device_key_epoch == 1


def test_the_service_worker_and_manifest_are_served_for_the_console_scope(crossing):
    sw = Client().get("/post/sw.js")
    if sw.status_code == 200:  # the browser part's file
        assert sw["Content-Type"].startswith("text/javascript") and sw["Cache-Control"] == "no-cache"
    else:
        assert sw.status_code == 404
    manifest = Client().get("/post/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest["Content-Type"] == "application/manifest+json"
    assert manifest["Cache-Control"] == "no-cache" and manifest.json()["scope"] == "/post/"


def test_the_service_worker_view_serves_the_static_file(settings, tmp_path):
    folder = tmp_path / "posts" / "offline"
    folder.mkdir(parents=True)
    (folder / "sw.js").write_text("self.addEventListener('fetch', () => {});\n")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    response = Client().get("/post/sw.js")
    assert response.status_code == 200 and b"addEventListener" in response.content
    assert response["Content-Type"].startswith("text/javascript") and response["Cache-Control"] == "no-cache"


LANGUAGES = ("ru", "ky", "tg", "en")


def test_the_service_worker_and_the_console_paths_are_served_under_each_language_prefix(officer):
    plain = Client().get("/post/sw.js")
    assert plain.status_code == 200
    key = logged_in("aibek").get("/post/device-key").json()
    for code in LANGUAGES:
        prefixed = Client().get(f"/{code}/post/sw.js")
        assert prefixed.status_code == 200 and prefixed.content == plain.content, code
        assert prefixed["Content-Type"].startswith("text/javascript") and prefixed["Cache-Control"] == "no-cache"
        # The console's device key is the same one under any prefix (the same officer, post and epoch).
        assert logged_in("aibek").get(f"/{code}/post/device-key").json() == key, code
        assert Client().get(f"/{code}/post/device-key").status_code == 302, code  # to the login page
    assert Client().get("/de/post/sw.js").status_code == 404  # not a language of the service
    assert Client().get("/de/post/manifest.webmanifest").status_code == 404


def test_the_manifest_installs_the_console_of_its_own_folder(crossing):
    plain = Client().get("/post/manifest.webmanifest").json()
    assert plain["scope"] == plain["start_url"] == plain["id"] == "/post/" and "lang" not in plain
    for code in LANGUAGES:
        response = Client().get(f"/{code}/post/manifest.webmanifest")
        assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json", code
        assert response["Cache-Control"] == "no-cache"
        data = response.json()
        assert data["scope"] == data["start_url"] == data["id"] == f"/{code}/post/", code
        assert data["lang"] == code and data["icons"] == plain["icons"] and data["display"] == "standalone"


def test_each_console_page_links_the_manifest_of_its_own_prefix(officer, supervisor):
    client = logged_in("nurlan")
    for code in LANGUAGES:
        for page in ("", "exits/", "between/", "search/?q=NOBODY", "review/", "scan/"):
            html = client.get(f"/{code}/post/{page}").content.decode()
            assert f'<link rel="manifest" href="/{code}/post/manifest.webmanifest">' in html, (code, page)
    # An unprefixed page keeps the unprefixed console, even for an officer who reads it in Russian.
    client.post("/post/language/", {"language": "ru", "next": "/post/"})
    html = client.get("/post/").content.decode()
    assert 'lang="ru"' in html and '<link rel="manifest" href="/post/manifest.webmanifest">' in html


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_console_page_answers_under_each_language_prefix(officer, supervisor, code):
    anonymous = Client()
    login = anonymous.get(f"/{code}/post/login/")
    assert login.status_code == 200 and login["Content-Language"] == code
    login_url = "/post/login/" if code == "en" else f"/{code}/post/login/"  # English links carry no prefix
    assert anonymous.get(f"/{code}/post/review/")["Location"].startswith(login_url)
    client = logged_in("nurlan")
    for page in ("", "exits/", "between/", "search/?q=NOBODY", "review/", "scan/", "two-factor/"):
        response = client.get(f"/{code}/post/{page}")
        assert response.status_code == 200, (code, page, response.status_code)
        assert response["Content-Language"] == code, (code, page)
    assert client.get(f"/{code}/post/reports/payments.csv").status_code == 200
    assert logged_in("aibek").get(f"/{code}/post/review/").status_code == 403  # an officer, not a supervisor


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_supervisor_resolves_a_conflict_under_a_language_prefix(officer, supervisor, kg_post, code):
    event = conflict(officer[0], kg_post)
    client = logged_in("nurlan")
    page = client.get(f"/{code}/post/review/")
    assert page.status_code == 200 and f"review-{event.event_id}".encode() in page.content
    answer = client.post(f"/{code}/post/review/", {"event": event.pk, "note": "Same person; first stamp stands."})
    assert answer.status_code == 302 and answer["Location"] == f"/{code}/post/review/"
    assert DeviceEvent.objects.get(pk=event.pk).resolved_by == supervisor[0]
    assert f"review-{event.event_id}".encode() not in client.get(answer["Location"]).content


def conflict(officer, post):
    return DeviceEvent.objects.create(event_id=uuid.uuid4(), post=post, officer=officer, device="tablet-2",
                                      kind="entry", payload={"reference": "ABC", "document_number": "X1"},
                                      device_at=datetime.now().astimezone() - timedelta(hours=1), outcome="conflict")


def test_the_supervisor_reviews_and_resolves_conflicts(officer, supervisor, kg_post):
    event = conflict(officer[0], kg_post)
    client = logged_in("nurlan")
    page = client.get("/post/review/")
    assert page.status_code == 200 and f"review-{event.event_id}".encode() in page.content
    assert b"tablet-2" in page.content
    client.post("/post/review/", {"event": event.pk, "note": ""})
    assert DeviceEvent.objects.get(pk=event.pk).resolved_at is None
    client.post("/post/review/", {"event": event.pk, "note": "Same person; first stamp stands."})
    event.refresh_from_db()
    assert event.resolved_by == supervisor[0] and event.resolution.startswith("Same person")
    assert f"review-{event.event_id}".encode() not in client.get("/post/review/").content
    assert AuditEvent.objects.filter(action="offline.resolved").count() == 1


def test_officers_and_the_other_posts_supervisors_cannot_resolve(officer, kg_post, tj_post):
    event = conflict(officer[0], kg_post)
    assert logged_in("aibek").get("/post/review/").status_code == 403
    make_officer(tj_post, "dilshod", "supervisor", password="correct-horse-9")
    tj = logged_in("dilshod")
    assert f"review-{event.event_id}".encode() not in tj.get("/post/review/").content
    tj.post("/post/review/", {"event": event.pk, "note": "mine now"})
    assert DeviceEvent.objects.get(pk=event.pk).resolved_at is None
