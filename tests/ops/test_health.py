"""Liveness and readiness: JSON always, 503 naming the failing check (database, migrations, storage)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from botocore.config import Config

from tests.conftest import free_port
from tests.documents.conftest import s3_bucket  # noqa: F401 - the fixture

PROBE = textwrap.dedent("""
    import json, os, sys
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    from django.test import Client
    from kordon.wsgi import application  # noqa: F401 - the real start-up
    answers = []
    for path in sys.argv[1:]:
        r = Client(raise_request_exception=False).get(path)
        answers.append({"status": r.status_code, "type": r["Content-Type"], "body": r.content.decode()})
    print(json.dumps(answers))
""")


def probe(database_url: str, *paths: str) -> list[dict]:
    done = subprocess.run([sys.executable, "-c", PROBE, *paths], env=os.environ | {"DATABASE_URL": database_url},
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_ready_when_database_migrations_and_storage_answer(client):
    live = client.get("/health/live")
    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "migrations": "ok", "storage": "ok"}}
    assert "no-cache" in ready["Cache-Control"]


@pytest.mark.django_db
def test_ready_with_documents_in_a_real_bucket(client, s3_bucket):  # noqa: F811
    assert client.get("/health/ready").json()["checks"]["storage"] == "ok"


@pytest.mark.django_db
def test_a_bucket_that_does_not_answer_is_not_ready(client, settings):
    settings.STORAGES = settings.STORAGES | {"documents": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": "gone", "endpoint_url": f"http://127.0.0.1:{free_port()}", "region_name": "eu-central-1",
        "access_key": "x", "secret_key": "y",
        "client_config": Config(connect_timeout=1, read_timeout=1, retries={"mode": "standard", "max_attempts": 1})}}}
    answer = client.get("/health/ready")
    assert answer.status_code == 503
    assert answer["Content-Type"] == "application/json"
    body = answer.json()
    assert body["checks"] == {"database": "ok", "migrations": "ok", "storage": "failed"}
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("storage", "unavailable")]
    assert "127.0.0.1" not in answer.content.decode()  # says what failed, not how


def test_a_database_that_is_down_is_not_ready_but_live():
    url = f"postgres://nobody:nothing@127.0.0.1:{free_port()}/gone"
    live, ready = probe(url, "/health/live", "/health/ready")
    assert live["status"] == 200
    assert ready["status"] == 503 and ready["type"] == "application/json"
    assert json.loads(ready["body"])["checks"] == {"database": "failed", "migrations": "failed", "storage": "ok"}


def test_a_database_without_migrations_is_not_ready(tmp_path):
    (ready,) = probe(f"sqlite:///{tmp_path / 'empty.sqlite3'}", "/health/ready")
    assert ready["status"] == 503
    body = json.loads(ready["body"])
    assert body["checks"]["migrations"] == "failed" and body["checks"]["database"] == "ok"
    assert "kordon migrate" in body["errors"][0]["message"]


@pytest.mark.django_db
def test_health_takes_only_get(client):
    assert client.post("/health/ready").status_code == 405
