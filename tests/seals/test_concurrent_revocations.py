"""Two notices cancelled at the same moment: the published list of withdrawn seals names both."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from kordon.notices import services as notices
from kordon.notices.models import Notice
from kordon.seals import services
from tests.conftest import Api, traveller
from tests.seals.conftest import check, current

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_cancellations_at_once_both_reach_the_list(
    seal_authority: Any, file_notice: Any, api: Api, monkeypatch: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serializes every write, so there is no race to test")
    filed = [file_notice(), file_notice(travellers=[traveller(document_number="XY1234567")])]
    seals = [current(f["reference"]) for f in filed]
    services.publish_revoked_seals()  # the list's row exists, as on any day but the first

    # Hold both after they marked their seal withdrawn, so both publish with the other's change unseen.
    both_revoked = threading.Barrier(2, timeout=10)
    publish = services.publish_revoked_seals

    def wait_then_publish() -> Any:
        both_revoked.wait()
        return publish()

    monkeypatch.setattr(services, "publish_revoked_seals", wait_then_publish)
    errors: list[Exception] = []

    def cancel(reference: str) -> None:
        try:
            notices.cancel_notice(Notice.objects.get(reference=reference))
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(f["reference"],)) for f in filed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(api.get("/seals/trust-list").json()["revoked_seals"]) == sorted(s.seal_id for s in seals)
    assert [check(s.document).reason for s in seals] == ["seal_revoked", "seal_revoked"]
