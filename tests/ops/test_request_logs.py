"""Every request has an id (the client's X-Request-ID when plain, else a new one), answered back and
on each of its log lines; the lines are JSON objects, with travellers' tokens scrubbed."""

import io
import json
import logging
import logging.config
import re

import pytest
from django.conf import settings

from tests.conftest import traveller

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_logs():
    """The project's logging set-up (JSON lines) writing to a buffer; the call returns the new lines."""
    stream = io.StringIO()
    config = json.loads(json.dumps(settings.LOGGING | {"handlers": {}}))  # a copy
    config["handlers"] = {"console": settings.LOGGING["handlers"]["console"] | {"formatter": "json", "stream": stream}}
    logging.config.dictConfig(config)

    def lines() -> list[dict]:
        text = stream.getvalue()
        stream.seek(0)
        stream.truncate()
        return [json.loads(line) for line in text.splitlines()]

    yield lines
    logging.config.dictConfig(settings.LOGGING)


def test_a_plain_request_id_is_kept(client):
    assert client.get("/health/live", HTTP_X_REQUEST_ID="edge-1234.abc")["X-Request-ID"] == "edge-1234.abc"


@pytest.mark.parametrize("given", ["", "has space", "x" * 129, "<script>", "a\u00e9"])
def test_a_missing_or_odd_request_id_is_replaced(client, given):
    answered = client.get("/health/live", HTTP_X_REQUEST_ID=given)["X-Request-ID"]
    assert answered != given and re.fullmatch(r"[0-9a-f]{32}", answered)


def test_two_requests_get_two_ids(client):
    assert client.get("/health/live")["X-Request-ID"] != client.get("/health/live")["X-Request-ID"]


def test_each_request_logs_one_json_line_with_its_id(client, json_logs):
    client.get("/health/live", HTTP_X_REQUEST_ID="rid-42")
    (line,) = [entry for entry in json_logs() if entry["name"] == "kordon.request"]
    assert line["request_id"] == "rid-42"
    assert (line["method"], line["path"], line["route"], line["status"]) == ("GET", "/health/live", "/health/live", 200)
    assert line["levelname"] == "INFO" and "timestamp" in line and line["duration_ms"] >= 0


def test_log_lines_inside_a_request_carry_its_id_and_no_token(client, json_logs, file_notice):
    party = file_notice(travellers=[traveller()])
    json_logs()
    client.get(f"/notices/{party['reference']}/{party['access_token']}/", HTTP_X_REQUEST_ID="rid-7")
    lines = json_logs()
    assert lines and all(entry["request_id"] == "rid-7" for entry in lines)
    assert party["access_token"] not in json.dumps(lines)


def test_lines_outside_requests_have_a_dash(json_logs):
    logging.getLogger("kordon.worker").warning("outside")
    (line,) = json_logs()
    assert (line["message"], line["request_id"]) == ("outside", "-")


def test_django_request_warnings_leave_the_request_object_out(client, json_logs, file_notice):
    """Django logs a 404 with the request in `extra`; its repr holds the path and the token."""
    token = "Zm9yZ2VkLXRva2VuLW9mLXRoaXJ0eS10d28tYnl0ZXM"
    client.get(f"/notices/ABCDEFGHJ2/{token}/")
    lines = json_logs()
    assert any(entry["name"] == "django.request" for entry in lines)
    assert token not in json.dumps(lines)
    assert all("request" not in entry for entry in lines)
