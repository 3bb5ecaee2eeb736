"""Several workers running the overdue alerts at the same moment alert each party once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from kordon.audit.models import AuditEvent
from kordon.notices.models import Traveller
from kordon.posts import services
from kordon.posts.models import Journey
from tests.conftest import make_officer, traveller

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_at_once_alert_once(file_notice, tj_post, kg_post, smtp_server, time_machine, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serializes every write, so there is no race to test")
    notice = file_notice(travellers=[traveller()])
    boss = make_officer(kg_post, "nurlan", "supervisor")[0]
    boss.user.email = "nurlan@post.example"
    boss.user.save()
    time_machine.move_to(f"{notice['expected_date']}T09:00:00+05:00", tick=True)
    services.register_exit(make_officer(tj_post, "farrukh")[0], tj_post, Traveller.objects.get(), permits_returned=[])
    now = Journey.objects.get().due_by + timedelta(minutes=1)

    # Both workers have listed the party as due before either claims it.
    both_listed = threading.Barrier(2, timeout=10)
    claim = services._alert_once

    def listed_then_claim(pk, at):  # type: ignore[no-untyped-def]
        both_listed.wait()
        return claim(pk, at)

    results, errors = [], []

    def worker():  # type: ignore[no-untyped-def]
        try:
            results.append(services.alert_overdue(now))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    monkeypatch.setattr(services, "_alert_once", listed_then_claim)
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not errors and sorted(results) == [0, 1]
    assert AuditEvent.objects.filter(action="journey.overdue").count() == 1
    assert len(smtp_server.messages) == 1
