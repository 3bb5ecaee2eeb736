"""Prometheus metrics: only with the token; requests by URL pattern; stamps, overdue parties and the
task queue from the database; several gunicorn workers (processes) added up in multiprocess mode."""

import os
import re
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest
from django.utils import timezone

from kordon.posts.models import Journey
from tests.conftest import traveller
from tests.posts.test_stamps_api import on_listed_day, stamp

pytestmark = pytest.mark.django_db
TOKEN = "metrics-token-for-the-tests-only"


def scrape(client, token=TOKEN):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


def value(text, name, **labels):
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" ([0-9.e+]+)"
    found = re.search(r"^" + pattern + "$", text, re.M)
    return float(found.group(1)) if found else None


def test_no_metrics_without_a_token_configured(client, settings):
    settings.KORDON_METRICS_TOKEN = ""
    assert scrape(client, "").status_code == 404
    assert scrape(client, "anything").status_code == 404


def test_a_wrong_or_missing_token_is_refused(client, settings):
    settings.KORDON_METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    assert scrape(client, TOKEN + "x").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 401  # not a bearer


def test_requests_are_counted_by_pattern_never_by_path(client, settings, api, officer, file_notice, time_machine):
    settings.KORDON_METRICS_TOKEN = TOKEN
    party = file_notice(travellers=[traveller()])
    client.get(f"/api/v1/notices/{party['reference']}", HTTP_AUTHORIZATION=f"Bearer {party['access_token']}")
    client.get("/health/live")
    text = scrape(client).content.decode()
    assert party["reference"] not in text and party["access_token"] not in text
    assert value(text, "kordon_http_requests_total", method="GET", route="/health/live", status="200") >= 1
    assert value(text, "kordon_http_request_duration_seconds_count", method="GET", route="/health/live") >= 1
    on_listed_day(time_machine, party)
    assert stamp(api, officer[1], party).status_code == 201
    text = scrape(client).content.decode()
    assert value(text, "kordon_stamps", kind="entry") == 1
    assert value(text, "kordon_stamps", kind="exit") == 0
    assert value(text, "kordon_database_up") == 1
    assert value(text, "kordon_task_queue_depth", state="waiting") == 0


def test_overdue_parties_are_counted(client, settings, file_notice, tj_post):
    settings.KORDON_METRICS_TOKEN = TOKEN
    from kordon.notices.models import Notice

    notice = Notice.objects.get(reference=file_notice(travellers=[traveller()])["reference"])
    now = timezone.now()
    Journey.objects.create(notice=notice, to_post=tj_post, exited_at=now - timedelta(hours=9),
                           due_by=now - timedelta(hours=3))
    assert value(scrape(client).content.decode(), "kordon_overdue_parties") == 1
    Journey.objects.update(ended_at=now)
    assert value(scrape(client).content.decode(), "kordon_overdue_parties") == 0


WORKER = textwrap.dedent("""
    import os, sys
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    from django.test import Client
    from kordon.wsgi import application  # noqa: F401
    client = Client()
    for _ in range(int(sys.argv[1])):
        client.get("/health/live")
    if sys.argv[2] == "scrape":
        print(client.get("/metrics", HTTP_AUTHORIZATION="Bearer " + os.environ["KORDON_METRICS_TOKEN"]).content.decode())
""")


def test_several_processes_are_added_up(tmp_path):
    """Like gunicorn's workers: two processes count, a third scrapes the sum of both."""
    environment = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "KORDON_METRICS_TOKEN": TOKEN,
                                "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0", "--settings", "tests.settings"],
                   env=environment, check=True, timeout=120)
    for count in (3, 4):
        subprocess.run([sys.executable, "-c", WORKER, str(count), "-"], env=environment, check=True, timeout=60)
    done = subprocess.run([sys.executable, "-c", WORKER, "0", "scrape"], env=environment, check=True, timeout=60,
                          capture_output=True, text=True)
    assert value(done.stdout, "kordon_http_requests_total", method="GET", route="/health/live", status="200") == 7
