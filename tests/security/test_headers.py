"""Every answer carries a Content-Security-Policy without inline script and a Permissions-Policy;
HSTS on HTTPS; Server-Timing only when switched on; console sessions end when idle."""

import re
import time

import pytest

from tests.conftest import open_link

pytestmark = pytest.mark.django_db

INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)


@pytest.fixture
def pages(client, officer, file_notice):
    notice = file_notice()
    anonymous = ["/", "/notices/new/", "/api/v1/docs", open_link(client, notice), open_link(client, notice) + "?filed=1"]
    answers = {path: client.get(path) for path in anonymous}
    client.login(username="aibek", password="correct-horse-9")
    for path in ("/post/", "/post/search/?q=Eriksson", "/post/scan/"):
        answers[path] = client.get(path)
    return answers


def test_every_page_has_a_strict_script_policy_and_no_inline_script(pages):
    for path, response in pages.items():
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        page = response.content.decode()
        assert not INLINE_SCRIPT.search(page), path
        assert not INLINE_HANDLER.search(page), path
        assert "camera=(self)" in response["Permissions-Policy"]


def test_api_answers_carry_the_policies_too(api, crossing):
    response = api.get("/crossings")
    assert "Content-Security-Policy" in response and "Permissions-Policy" in response


def test_hsts_is_on_by_default_over_https(client, crossing):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_server_timing_only_when_switched_on(client, settings, crossing):
    assert "Server-Timing" not in client.get("/api/v1/crossings")
    settings.KORDON_SERVER_TIMING = True
    assert client.get("/api/v1/crossings")["Server-Timing"].startswith("app;dur=")


def test_a_console_session_ends_after_idle_time_and_after_a_shift(client, officer, settings):
    client.login(username="aibek", password="correct-horse-9")
    response = client.get("/post/")
    assert response.status_code == 200
    assert client.session.get_expiry_age() == 30 * 60 == settings.SESSION_COOKIE_AGE  # idle limit, renewed
    assert settings.SESSION_SAVE_EVERY_REQUEST
    session = client.session
    session["kordon_logged_in_at"] = int(time.time()) - 12 * 3600 - 60  # a busy shift, over 12 hours ago
    session.save()
    assert client.get("/post/").status_code == 302
