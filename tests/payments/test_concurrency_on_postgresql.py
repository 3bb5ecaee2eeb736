"""Races that only a real database shows: concurrent payments, replays and deliveries, on PostgreSQL."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from kordon.payments.models import Payment, Receipt, WebhookEvent
from tests.conftest import Api, traveller
from tests.payments.conftest import deliver, stripe_event

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    # The vendor is known only once settings are loaded, so this is decided here and not at import.
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite runs one writer at a time, so these races cannot happen there.")


def at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(0..count-1) in threads that start together, each with its own connection."""
    barrier, results, errors = threading.Barrier(count), [None] * count, []

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # collected and raised in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def cash(token: str, reference: str, key: str, amount: str = "15.00") -> Any:
    body = {"reference": reference, "amount": amount, "currency": "USD", "method": "cash", "idempotency_key": key}
    return Api().post("/posts/kg-bordobo/payments", body, token)


def test_concurrent_cash_payments_get_receipts_one_to_n_without_gaps(officer, file_notice):
    count = 12
    notices = [file_notice(travellers=[traveller(document_number=f"NX{i:07d}")]) for i in range(count)]
    responses = at_once(count, lambda i: cash(officer[1], notices[i]["reference"], f"till-{i}"))
    assert sorted(r.status_code for r in responses) == [201] * count
    sequences = sorted(Receipt.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, count + 1))
    assert sorted(r.json()["receipt_number"][-6:] for r in responses) == [f"{n:06d}" for n in range(1, count + 1)]


def test_two_recordings_with_the_same_key_at_once_make_one_payment(officer, file_notice):
    notice = file_notice()
    responses = at_once(2, lambda i: cash(officer[1], notice["reference"], "the-same-key"))
    assert sorted(r.status_code for r in responses) == [200, 201]
    assert responses[0].json()["receipt_number"] == responses[1].json()["receipt_number"]
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1


def test_the_same_key_for_two_notices_at_once_records_one_and_refuses_the_other(officer, file_notice):
    notices = [file_notice(travellers=[traveller(document_number=f"NX{i:07d}")]) for i in range(2)]
    responses = at_once(2, lambda i: cash(officer[1], notices[i]["reference"], "shared-key"))
    assert sorted(r.status_code for r in responses) == [201, 409]
    assert Receipt.objects.get().sequence == 1  # the refused one left no gap


def test_payments_at_two_posts_at_once_number_separately(officer, tj_officer, file_notice):
    notices = [file_notice(travellers=[traveller(document_number=f"NX{i:07d}")]) for i in range(6)]

    def pay(i: int) -> Any:
        token, post = (officer[1], "kg-bordobo") if i % 2 else (tj_officer[1], "tj-kyzyl-art")
        body = {"reference": notices[i]["reference"], "amount": "15.00", "currency": "USD", "method": "cash",
                "idempotency_key": f"k{i}"}
        return Api().post(f"/posts/{post}/payments", body, token)

    assert all(r.status_code == 201 for r in at_once(6, pay))
    for office in ("KG-BORDOBO", "TJ-KYZYL-ART"):
        assert sorted(Receipt.objects.filter(office=office).values_list("sequence", flat=True)) == [1, 2, 3]


def test_a_webhook_delivered_twice_at_once_confirms_once(fake_stripe, file_notice):
    notice = file_notice()
    Api().post(f"/notices/{notice['reference']}/payments", {"provider": "stripe"}, notice["access_token"])
    event = stripe_event(fake_stripe.answers[fake_stripe.requests[0].headers["Idempotency-Key"]])
    responses = at_once(4, lambda i: deliver(Api(), event))
    assert sorted(r.json()["outcome"] for r in responses) == ["confirmed", "duplicate", "duplicate", "duplicate"]
    assert Receipt.objects.count() == 1 and WebhookEvent.objects.count() == 1


def test_cash_and_a_card_payment_confirmed_at_once_leave_the_right_status(officer, fake_stripe, file_notice):
    notice = file_notice(travellers=[traveller(), traveller(document_number="NX4HK2LP2")])
    cash(officer[1], notice["reference"], "first-half")
    Api().post(f"/notices/{notice['reference']}/payments", {"provider": "stripe"}, notice["access_token"])
    session = fake_stripe.answers[fake_stripe.requests[0].headers["Idempotency-Key"]]
    event = stripe_event(session)
    at_once(2, lambda i: deliver(Api(), event) if i else cash(officer[1], notice["reference"], "never", "15.00"))
    from kordon.notices.models import Notice

    assert Notice.objects.get(reference=notice["reference"]).payment_status == "paid"
