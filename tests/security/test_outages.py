"""A database that is gone or frozen: every request is answered at once with 503 and Retry-After
(JSON on the API), never a hang, a 500 or an HTML page on the API."""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.db import connection

from tests.conftest import free_port

# Runs the real WSGI application in a fresh process against DATABASE_URL and prints what it answered.
PROBE = textwrap.dedent("""
    import json, os, sys, time
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    from django.test import Client
    from kordon.wsgi import application  # noqa: F401 - the real start-up
    answers = []
    for path in sys.argv[1:]:
        started = time.monotonic()
        r = Client(raise_request_exception=False).get(path)
        answers.append({"path": path, "status": r.status_code, "type": r["Content-Type"],
                        "retry": r.get("Retry-After"), "body": r.content.decode()[:300],
                        "seconds": time.monotonic() - started})
    print(json.dumps(answers))
""")


def probe(database_url: str, *paths: str, **env: str) -> list[dict]:
    environment = os.environ | {"DATABASE_URL": database_url} | env
    done = subprocess.run([sys.executable, "-c", PROBE, *paths], env=environment, capture_output=True,
                          text=True, timeout=60, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_database_that_is_down_answers_503(tmp_path):
    url = f"postgres://nobody:nothing@127.0.0.1:{free_port()}/gone"  # nothing listens there
    api, page = probe(url, "/api/v1/crossings", "/")
    assert (api["status"], api["retry"]) == (503, "30")
    assert api["type"].startswith("application/json")
    assert json.loads(api["body"])["errors"][0]["code"] == "unavailable"
    assert (page["status"], page["retry"]) == (503, "30")
    assert "Briefly unavailable" in page["body"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a statement timeout is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_frozen_database_answers_503_within_the_statement_timeout(crossing):
    import psycopg

    settings_dict = connection.settings_dict
    url = (f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}@{settings_dict['HOST']}:"
           f"{settings_dict['PORT']}/{settings_dict['NAME']}")
    with psycopg.connect(url) as locker:
        locker.execute("LOCK TABLE crossings_crossing IN ACCESS EXCLUSIVE MODE")  # the transaction stays open
        (answer,) = probe(url, "/api/v1/crossings", KORDON_DB_STATEMENT_TIMEOUT_MS="1000")
        locker.rollback()
    assert (answer["status"], answer["retry"]) == (503, "30")
    assert answer["seconds"] < 10
