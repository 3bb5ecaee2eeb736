"""Refunds on cancellation: per the crossing's rule, through the provider that took the money, receipted."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kordon.audit.models import AuditEvent
from kordon.audit.services import SYSTEM
from kordon.documents import retention
from kordon.notices.models import Notice
from kordon.payments import services
from kordon.payments.models import Payment, Receipt
from kordon.problems import Refused
from kordon.statuses import status_of
from tests.conftest import open_link, traveller
from tests.payments.conftest import deliver, stripe_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_by_card(api, fake_stripe, file_notice):
    notice = file_notice()
    api.post(f"/notices/{notice['reference']}/payments", {"provider": "stripe"}, notice["access_token"])
    session = fake_stripe.answers[fake_stripe.requests[0].headers["Idempotency-Key"]]
    assert deliver(api, stripe_event(session)).json() == {"outcome": "confirmed"}
    return notice


@pytest.fixture
def paid_in_cash(api, officer, file_notice):
    notice = file_notice()
    api.post("/posts/kg-bordobo/payments", {"reference": notice["reference"], "amount": "15.00", "currency": "USD",
                                            "method": "cash", "idempotency_key": "k"}, officer[1])
    return notice


def cancel(api, notice):
    response = api.post(f"/notices/{notice['reference']}/cancel", token=notice["access_token"])
    assert response.status_code == 200, response.content
    return response.json()


def on_day_before(time_machine, notice, days):
    day = date.fromisoformat(notice["expected_date"]) - timedelta(days=days)
    time_machine.move_to(datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Asia/Bishkek")), tick=False)


def test_cancelling_in_time_refunds_the_card_through_stripe_with_a_refund_receipt(api, paid_by_card, fake_stripe):
    data = cancel(api, paid_by_card)
    assert data["status"] == "cancelled" and data["payment_status"] == "refunded"
    assert data["refund"]["status"] == "refunded" and len(data["refund"]["receipts"]) == 1
    sent = fake_stripe.requests[-1]
    assert sent.path == "/v1/refunds" and sent.form["amount"] == "1500"
    assert sent.form["payment_intent"].startswith("pi_3Kordon")
    assert sent.headers["Idempotency-Key"].startswith("kordon-refund-")
    refund_receipt = Receipt.objects.get(kind="refund")
    assert refund_receipt.number == data["refund"]["receipts"][0] and refund_receipt.number.endswith("-000002")
    assert refund_receipt.lines[0]["description"].startswith("Refund of receipt HQ-")
    assert AuditEvent.objects.filter(action="refund.paid").count() == 1


def test_after_the_deadline_the_cancellation_stands_and_the_refund_is_refused_with_the_reason(
        api, paid_by_card, fake_stripe, time_machine):
    on_day_before(time_machine, paid_by_card, days=2)  # Kyzyl-Art refunds until 3 days before
    data = cancel(api, paid_by_card)
    assert data["status"] == "cancelled" and data["payment_status"] == "paid"
    assert data["refund"]["status"] == "refused" and data["refund"]["code"] == "refund_deadline_passed"
    last = date.fromisoformat(paid_by_card["expected_date"]) - timedelta(days=3)
    assert f"last day for a refund was {last:%A %Y-%m-%d}" in data["refund"]["message"]
    assert "not refunded" in data["refund"]["message"]
    assert not any(r.path == "/v1/refunds" for r in fake_stripe.requests)
    assert Receipt.objects.filter(kind="refund").count() == 0
    assert AuditEvent.objects.filter(action="refund.refused").count() == 1


def test_on_the_last_day_the_refund_is_still_made(api, paid_by_card, time_machine):
    on_day_before(time_machine, paid_by_card, days=3)
    assert cancel(api, paid_by_card)["refund"]["status"] == "refunded"


def test_a_late_refund_asked_for_again_is_still_refused(api, paid_by_card, time_machine):
    on_day_before(time_machine, paid_by_card, days=1)
    cancel(api, paid_by_card)
    time_machine.move_to(datetime(2020, 1, 1, tzinfo=ZoneInfo("UTC")))  # the clock cannot be turned back
    payment = Payment.objects.get(kind="payment")
    with pytest.raises(Refused) as refused:
        services.refund_payment(payment, SYSTEM)
    assert refused.value.problems[0].code == "refund_deadline_passed" and status_of(refused.value) == 409


def test_a_crossing_without_refunds_says_so(api, crossing, paid_by_card):
    crossing.refund_until_days_before = None
    crossing.save()
    refund = cancel(api, paid_by_card)["refund"]
    assert refund["status"] == "refused" and refund["code"] == "no_refunds"


def test_a_payment_of_a_notice_still_active_is_not_refunded(paid_by_card):
    with pytest.raises(Refused) as refused:
        services.refund_payment(Payment.objects.get(kind="payment"), SYSTEM)
    assert refused.value.problems[0].code == "not_cancelled"


def test_refunding_twice_pays_back_once(api, paid_by_card, fake_stripe):
    cancel(api, paid_by_card)
    notice = Notice.objects.get(reference=paid_by_card["reference"])
    again = services.refund_on_cancellation(notice, SYSTEM)
    assert again.status == "refunded"
    assert Payment.objects.filter(kind="refund").count() == 1
    assert sum(r.path == "/v1/refunds" for r in fake_stripe.requests) == 1


def test_stripe_down_during_a_refund_leaves_it_to_retry(api, paid_by_card, fake_stripe):
    fake_stripe.fail_with = 503
    data = cancel(api, paid_by_card)
    assert data["status"] == "cancelled" and data["refund"]["status"] == "failed"
    fake_stripe.fail_with = None
    notice = Notice.objects.get(reference=paid_by_card["reference"])
    assert services.refund_on_cancellation(notice, SYSTEM).status == "refunded"


def test_cash_is_owed_back_then_handed_over_at_the_post_with_its_receipt(api, client, officer, paid_in_cash):
    data = cancel(api, paid_in_cash)
    assert data["refund"]["status"] == "owed" and data["payment_status"] == "paid"
    client.login(username="aibek", password="correct-horse-9")
    page = client.get("/post/search/", {"q": paid_in_cash["reference"]}).content.decode()
    assert "Refund owed: USD 15.00" in page
    refund = Payment.objects.get(kind="refund")
    response = client.post("/post/payments/refund/", {"refund": refund.public_id})
    assert response.status_code == 302
    receipt = Receipt.objects.get(kind="refund")
    assert receipt.office == "KG-BORDOBO" and receipt.number.endswith("-000002")
    assert Notice.objects.get(reference=paid_in_cash["reference"]).payment_status == "refunded"
    assert client.post("/post/payments/refund/", {"refund": refund.public_id}).status_code == 302
    assert Receipt.objects.filter(kind="refund").count() == 1


def test_the_traveller_page_says_what_happens_to_the_money(client, paid_by_card):
    status = open_link(client, paid_by_card)
    assert "what you paid is refunded in full" in client.get(status).content.decode()
    response = client.post(status + "cancel/", follow=True)
    assert "USD 15.00 is refunded the way you paid" in response.content.decode()


def test_cancelling_an_unpaid_notice_refunds_nothing(api, file_notice):
    data = cancel(api, file_notice(travellers=[traveller(document_number="ZZ1234567")]))
    assert data["refund"] == {"status": "none_due", "code": None, "message": "Nothing was paid, so nothing is "
                              "refunded.", "receipts": []}


def test_a_refund_retried_after_anonymization_is_judged_on_the_day_of_cancellation(
        api, paid_by_card, fake_stripe, time_machine):

    on_day_before(time_machine, paid_by_card, days=5)  # in time: Kyzyl-Art refunds until 3 days before
    fake_stripe.fail_with = 503
    assert cancel(api, paid_by_card)["refund"]["status"] == "failed"
    later = date.fromisoformat(paid_by_card["expected_date"]) + timedelta(days=400)
    time_machine.move_to(datetime(later.year, later.month, later.day, 12, tzinfo=ZoneInfo("UTC")), tick=False)
    assert retention.apply_retention(later).notices_anonymized == 1  # rewrites the notice's updated_at
    fake_stripe.fail_with = None
    notice = Notice.objects.get(reference=paid_by_card["reference"])
    assert notice.updated_at.date() == later
    assert services.refund_on_cancellation(notice, SYSTEM).status == "refunded"
