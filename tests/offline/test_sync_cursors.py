"""Cursors never miss a change, even one committed while a sync runs or transactions that commit
out of order (PostgreSQL gives each writer its own snapshot; SQLite serializes writers)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction

from kordon.notices.models import Traveller
from kordon.offline import sync as sync_module
from tests.conftest import kg_today, make_officer, traveller

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def listed_party(file_notice, seals, time_machine):  # type: ignore[no-untyped-def]
    notice = file_notice(travellers=[traveller(), traveller(given_names="Lars", sex="M", document_number="NX4HK2LP2")],
                         expected_date=(kg_today() + timedelta(days=6)).isoformat())
    time_machine.move_to(f"{notice['expected_date']}T08:00:00+06:00", tick=True)
    return notice


def in_thread(work):  # type: ignore[no-untyped-def]
    errors = []

    def run():  # type: ignore[no-untyped-def]
        try:
            work()
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def rename(document, surname):  # type: ignore[no-untyped-def]
    t = Traveller.objects.get(document_number=document)
    t.surname = surname
    t.save()


def test_a_change_committed_while_a_sync_runs_comes_in_the_next_delta(api, kg_post, listed_party, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: on SQLite the sync holds the write lock, so nothing commits while it runs "
                    "(and the suite's shared in-memory database cannot make a second writer wait)")
    token = make_officer(kg_post, "aibek")[1]
    first = api.get("/posts/kg-bordobo/sync", token).json()
    entries = sync_module._entries
    started = []

    def entries_with_a_change_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not started:  # once the sync has its snapshot and watermark, another officer's change commits
            thread, errors = in_thread(lambda: rename("NX4HK2LP1", "Meanwhile"))
            started.append((thread, errors))
            thread.join(10)  # committed now, while this sync still reads its older snapshot
        return entries(*args, **kwargs)

    monkeypatch.setattr(sync_module, "_entries", entries_with_a_change_meanwhile)
    during = api.get("/posts/kg-bordobo/sync", token, since=first["cursor"]).json()
    monkeypatch.setattr(sync_module, "_entries", entries)
    thread, errors = started[0]
    thread.join(10)
    assert not errors and not thread.is_alive()
    assert "Meanwhile" not in {e["surname"] for e in during["entries"]}
    after = api.get("/posts/kg-bordobo/sync", token, since=during["cursor"]).json()
    assert [e["surname"] for e in after["entries"]] == ["Meanwhile"]


def test_a_transaction_that_commits_after_a_later_one_is_not_missed(api, kg_post, listed_party):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serializes every write, so transactions cannot commit out of order")
    token = make_officer(kg_post, "aibek")[1]
    cursor = api.get("/posts/kg-bordobo/sync", token).json()["cursor"]
    wrote, may_commit = threading.Event(), threading.Event()

    def slow_writer():  # type: ignore[no-untyped-def]
        with transaction.atomic():
            rename("NX4HK2LP1", "Slow")  # begins first: the lower transaction id
            wrote.set()
            assert may_commit.wait(10)

    thread, errors = in_thread(slow_writer)
    assert wrote.wait(10)
    rename("NX4HK2LP2", "Quick")  # begins later, commits first
    middle = api.get("/posts/kg-bordobo/sync", token, since=cursor).json()
    assert [e["surname"] for e in middle["entries"]] == ["Quick"]
    may_commit.set()
    thread.join(10)
    assert not errors
    last = api.get("/posts/kg-bordobo/sync", token, since=middle["cursor"]).json()
    # Only the late one: what the middle sync already had (Quick) is left out by its snapshot.
    assert [e["surname"] for e in last["entries"]] == ["Slow"]


def test_a_transaction_left_open_elsewhere_does_not_make_deltas_repeat_entries(api, kg_post, listed_party):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: transaction ids and snapshots")
    token = make_officer(kg_post, "aibek")[1]
    cursor = api.get("/posts/kg-bordobo/sync", token).json()["cursor"]
    began, may_end = threading.Event(), threading.Event()

    def idle_in_transaction():  # type: ignore[no-untyped-def]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id()")  # holds every snapshot's xmin back from now on
            began.set()
            assert may_end.wait(20)

    thread, errors = in_thread(idle_in_transaction)
    try:
        assert began.wait(10)
        rename("NX4HK2LP1", "Once")
        first = api.get("/posts/kg-bordobo/sync", token, since=cursor).json()
        assert [e["surname"] for e in first["entries"]] == ["Once"]
        again = api.get("/posts/kg-bordobo/sync", token, since=first["cursor"]).json()
        assert again["entries"] == []  # below-xmin is not all there is: the snapshot says Once was seen
        rename("NX4HK2LP2", "Twice")
        third = api.get("/posts/kg-bordobo/sync", token, since=again["cursor"]).json()
        assert [e["surname"] for e in third["entries"]] == ["Twice"]
    finally:
        may_end.set()
        thread.join(10)
    assert not errors
