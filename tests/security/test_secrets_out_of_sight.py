"""Secrets (the secret key, the database password, the master key, a password or a code someone typed)
are never in an error page, an API error or a log line, whatever crashed."""

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from kordon.urls import handler500  # noqa: F401 - the project's crash page
from kordon.urls import urlpatterns as kordon_patterns
from tests.ops.test_request_logs import json_logs  # noqa: F401 - the fixture

TYPED_PASSWORD = "typed-password-Xq9-very-private"


def crash(request: HttpRequest) -> HttpResponse:
    secret_key, master = settings.SECRET_KEY, settings.KORDON_SEAL_KEY_PASSPHRASE  # locals of the frame
    raise RuntimeError(f"boom after reading {len(secret_key) + len(master)} characters")


urlpatterns = [path("api/v1/crash", crash), path("crash/", crash), *kordon_patterns]
SECRETS = [settings.SECRET_KEY, TYPED_PASSWORD, "a29yZG9uLXRlc3QtbWFzdGVyLWtleS0zMi1ieXRlcyE="]


@pytest.fixture
def crashing(settings):
    settings.ROOT_URLCONF = "tests.security.test_secrets_out_of_sight"
    settings.KORDON_SEAL_KEY_PASSPHRASE = "seal-passphrase-never-shown-4411"
    SECRETS.append(settings.KORDON_SEAL_KEY_PASSPHRASE)
    yield
    SECRETS.remove(settings.KORDON_SEAL_KEY_PASSPHRASE)


def shows_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


@pytest.mark.django_db
def test_a_crash_shows_no_secret_on_the_page_in_the_api_or_in_the_log(crashing, json_logs):  # noqa: F811
    client = Client(raise_request_exception=False)
    page = client.post("/crash/", {"password": TYPED_PASSWORD})
    api = client.post("/api/v1/crash", {"password": TYPED_PASSWORD}, content_type="application/json")
    assert page.status_code == 500 and api.status_code == 500
    assert api["Content-Type"] == "application/json" and api.json()["errors"][0]["code"] == "server_error"
    shows_no_secret(page.content.decode() + api.content.decode())
    assert "Traceback" not in page.content.decode() and "RuntimeError" not in page.content.decode()
    lines = json_logs()
    crashes = [line for line in lines if line["name"] == "django.request" and line["levelname"] == "ERROR"]
    assert len(crashes) == 2 and "RuntimeError" in crashes[0]["exc_info"]  # the trace is kept, its locals are not
    shows_no_secret(json.dumps(lines))


@pytest.mark.django_db
def test_a_wrong_or_right_password_and_a_code_are_never_logged(json_logs, supervisor, settings):  # noqa: F811
    settings.KORDON_SECOND_FACTOR = True
    client = Client()
    client.post("/post/login/", {"username": supervisor[0].user.username, "password": TYPED_PASSWORD})
    client.post("/post/login/", {"username": supervisor[0].user.username, "password": "correct-horse-9"})
    client.post("/post/two-factor/", {"code": "493817"})
    logged = json.dumps(json_logs())
    assert "/post/login/" in logged  # the requests were logged...
    for typed in (TYPED_PASSWORD, "correct-horse-9", "493817"):  # ...what was typed was not
        assert typed not in logged


def test_the_logging_set_up_keeps_no_request_object():
    stream = io.StringIO()
    config = json.loads(json.dumps(settings.LOGGING | {"handlers": {}}))
    config["handlers"] = {"console": settings.LOGGING["handlers"]["console"] | {"formatter": "json", "stream": stream}}
    logging.config.dictConfig(config)
    try:
        class Request:
            def __repr__(self) -> str:
                return f"<Request with {TYPED_PASSWORD}>"

        logging.getLogger("django.request").warning("Bad Request: %s", "/x", extra={"request": Request()})
    finally:
        logging.config.dictConfig(settings.LOGGING)
    assert TYPED_PASSWORD not in stream.getvalue() and "Bad Request: /x" in stream.getvalue()
