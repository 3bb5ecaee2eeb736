"""Two officers pressing "Stamp" for the same traveller at the same moment make exactly one stamp."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from kordon.notices.models import Traveller
from kordon.posts import services
from kordon.posts.models import Stamp
from tests.conftest import kg_today, make_officer

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_stamps_make_one(file_notice, kg_post, time_machine, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serializes every write, so there is no race to test")
    notice = file_notice(expected_date=(kg_today() + timedelta(days=6)).isoformat())
    time_machine.move_to(f"{notice['expected_date']}T08:00:00+06:00", tick=True)
    officers = [make_officer(kg_post, f"officer{i}")[0] for i in range(2)]
    traveller = Traveller.objects.get()

    # Hold both officers after they found no stamp yet, so both really try to insert one.
    both_checked = threading.Barrier(2, timeout=10)
    listing = services.listing

    def listing_then_wait(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = listing(*args, **kwargs)
        both_checked.wait()
        return result

    monkeypatch.setattr(services, "listing", listing_then_wait)
    results, errors = [], []

    def press(officer):  # type: ignore[no-untyped-def]
        try:
            results.append(services.stamp_entry(officer, kg_post, Traveller.objects.get(pk=traveller.pk)))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(o,)) for o in officers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert errors == []
    assert Stamp.objects.count() == 1
    assert sorted(r.created for r in results) == [False, True]
    assert len({r.stamp.pk for r in results}) == 1
