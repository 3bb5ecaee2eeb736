"""A traveller's access token is in no log line kordon or gunicorn writes, and the pages and the API
answer that hold their notice tell caches to keep nothing."""

import logging
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from kordon.logs import ScrubTokens
from tests.conftest import free_port
from tests.security.test_refuse_demo_secrets import BIN, migrated, site  # noqa: F401 - shared fixtures

TOKEN = "Zm9yZ2VkLXRva2VuLW9mLXRoaXJ0eS10d28tYnl0ZXM"


# gunicorn's default access log format, and one that logs the path and the query string apart
FORMATS = [pytest.param([], id="default-format"),
           pytest.param(["--access-logformat", '%(h)s "%(m)s %(U)s" %(q)s %(s)s'], id="path-format"),
           pytest.param(["--logger-class", "kordon.logs.GunicornLogger"], id="logger-class")]


@pytest.mark.parametrize("options", FORMATS)
def test_gunicorn_access_and_error_logs_hold_no_token(site, tmp_path, options):  # noqa: F811
    port, access = free_port(), tmp_path / "access.log"
    server = subprocess.Popen([BIN / "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", *options,
                               "--access-logfile", str(access), "kordon.wsgi:application"],
                              env=site, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/notices/ABCDEFGHJ2/{TOKEN}/?x=1", timeout=2)
            except urllib.error.HTTPError as refused:
                assert refused.code == 404
                break
            except OSError:
                time.sleep(0.2)
    finally:
        server.terminate()
        errors = server.communicate(timeout=10)[1]
    logged = access.read_text()
    assert "/notices/ABCDEFGHJ2/[token]/" in logged
    assert TOKEN not in logged and TOKEN not in errors


def test_djangos_request_warnings_are_scrubbed():
    handler = logging.getLogger().handlers[0]
    assert any(isinstance(f, ScrubTokens) for f in handler.filters)
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s",
                               (f"/ru/notices/ABCDEFGHJ2/{TOKEN}/seal/",), None)
    ScrubTokens().filter(record)
    assert record.getMessage() == "Not Found: /ru/notices/ABCDEFGHJ2/[token]/seal/"


@pytest.mark.django_db
def test_the_status_page_and_the_notice_api_are_never_cached(client, api, file_notice):
    notice = file_notice()
    exchange = client.get(f"/notices/{notice['reference']}/{notice['access_token']}/")  # its answer sets the cookie
    assert exchange.status_code == 303 and "no-store" in exchange["Cache-Control"]
    page = client.get(exchange["Location"])
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "no-store" in client.get(exchange["Location"] + "seal/")["Cache-Control"]  # 404 without seals
    answer = api.get(f"/notices/{notice['reference']}", notice["access_token"])
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]


def test_the_scrubber_leaves_other_paths_alone():
    assert ScrubTokens().filter(logging.LogRecord("x", 20, "", 1, "GET /notices/new/ 200", (), None))
    assert sys.modules["kordon.logs"].scrub("GET /notices/new/ 200") == "GET /notices/new/ 200"
