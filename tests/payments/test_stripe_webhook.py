"""Stripe's webhook: signed events confirm payments once; anything else changes nothing or is flagged."""

import json
import time

import pytest

from kordon.audit.models import AuditEvent
from kordon.notices.models import Notice
from kordon.payments.models import Payment, Receipt, WebhookEvent
from tests.conftest import error_codes
from tests.payments.conftest import deliver, sign, stripe_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(api, fake_stripe, file_notice):
    """A notice with a card payment started: the session as Stripe created it."""
    notice = file_notice()
    api.post(f"/notices/{notice['reference']}/payments", {"provider": "stripe"}, notice["access_token"])
    session = fake_stripe.answers[fake_stripe.requests[0].headers["Idempotency-Key"]]
    return notice, session


def status_of(notice):
    return Notice.objects.get(reference=notice["reference"]).payment_status


def test_a_completed_checkout_marks_the_notice_paid_with_an_hq_receipt(api, started):
    notice, session = started
    response = deliver(api, stripe_event(session))
    assert response.status_code == 200 and response.json() == {"outcome": "confirmed"}
    assert status_of(notice) == "paid"
    receipt = Receipt.objects.get()
    assert receipt.number.startswith("HQ-") and receipt.number.endswith("-000001")
    assert (receipt.amount, receipt.currency, receipt.provider) == (15, "USD", "stripe")
    payment = Payment.objects.get()
    assert payment.provider_data["payment_intent"].startswith("pi_3Kordon")
    assert AuditEvent.objects.filter(action="payment.confirmed", actor="system").count() == 1


def test_a_duplicate_delivery_changes_nothing(api, started):
    _, session = started
    event = stripe_event(session)
    assert deliver(api, event).json() == {"outcome": "confirmed"}
    again = deliver(api, event)
    assert again.status_code == 200 and again.json() == {"outcome": "duplicate"}
    assert Receipt.objects.count() == 1 and WebhookEvent.objects.count() == 1
    assert AuditEvent.objects.filter(action="payment.confirmed").count() == 1


def test_a_later_event_for_a_paid_session_is_a_no_op(api, started):
    _, session = started
    deliver(api, stripe_event(session))
    later = deliver(api, stripe_event(session, "checkout.session.async_payment_succeeded"))
    assert later.json() == {"outcome": "already_succeeded"} and Receipt.objects.count() == 1


def test_a_forged_signature_is_a_400_and_changes_nothing(api, started):
    notice, session = started
    payload = json.dumps(stripe_event(session), indent=2)
    for header in (sign(payload, secret="whsec_someone_else"), "t=1,v1=deadbeef", "garbage", ""):
        response = api.client.post("/api/v1/payments/stripe/webhook", payload, content_type="application/json",
                                   HTTP_STRIPE_SIGNATURE=header)
        assert response.status_code == 400 and error_codes(response) == [(None, "bad_signature")]
    assert status_of(notice) == "unpaid" and Receipt.objects.count() == 0
    assert AuditEvent.objects.filter(action="payment.notification_rejected").count() == 4


def test_a_body_changed_after_signing_is_refused(api, started):
    notice, session = started
    payload = json.dumps(stripe_event(session), indent=2)
    header = sign(payload)
    tampered = payload.replace('"amount_total": 1500', '"amount_total": 15')
    response = api.client.post("/api/v1/payments/stripe/webhook", tampered, content_type="application/json",
                               HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400 and status_of(notice) == "unpaid"


def test_an_old_signature_is_refused_as_a_replay(api, started):
    notice, session = started
    payload = json.dumps(stripe_event(session), indent=2)
    response = deliver(api, stripe_event(session), signature=sign(payload, timestamp=int(time.time()) - 3600))
    assert response.status_code == 400 and status_of(notice) == "unpaid"


def test_a_wrong_amount_is_flagged_and_the_notice_stays_unpaid(api, started):
    notice, session = started
    response = deliver(api, stripe_event(session, amount_total=150, amount_subtotal=150))
    assert response.status_code == 200 and response.json() == {"outcome": "flagged"}
    payment = Payment.objects.get()
    assert payment.status == "flagged" and "USD 1.50" in payment.flag_reason and "USD 15.00" in payment.flag_reason
    assert status_of(notice) == "unpaid" and Receipt.objects.count() == 0
    assert AuditEvent.objects.filter(action="payment.flagged").count() == 1


def test_a_wrong_currency_is_flagged_and_the_notice_stays_unpaid(api, started):
    notice, session = started
    assert deliver(api, stripe_event(session, currency="eur")).json() == {"outcome": "flagged"}
    assert "EUR 15.00" in Payment.objects.get().flag_reason
    assert status_of(notice) == "unpaid" and Receipt.objects.count() == 0
    # A correct event for the same session afterwards does not clear the flag: a person looks first.
    assert deliver(api, stripe_event(session)).json() == {"outcome": "already_flagged"}
    assert status_of(notice) == "unpaid"


def test_an_expired_session_fails_the_payment_and_a_new_click_starts_afresh(api, started, fake_stripe):
    notice, session = started
    assert deliver(api, stripe_event(session, "checkout.session.expired", payment_status="unpaid",
                                     status="expired")).json() == {"outcome": "failed"}
    again = api.post(f"/notices/{notice['reference']}/payments", {"provider": "stripe"}, notice["access_token"])
    assert again.status_code == 201 and len(fake_stripe.requests) == 2


def test_a_delayed_payment_method_waits_for_its_outcome(api, started):
    notice, session = started
    response = deliver(api, stripe_event(session, payment_status="unpaid"))
    assert response.json() == {"outcome": "ignored"} and status_of(notice) == "unpaid"
    assert deliver(api, stripe_event(session, "checkout.session.async_payment_succeeded")).json() == {
        "outcome": "confirmed"}


def test_events_about_other_things_are_acknowledged_and_ignored(api, started):
    _, session = started
    event = stripe_event(session, "customer.created") | {"data": {"object": {"id": "cus_1", "object": "customer"}}}
    assert deliver(api, event).json() == {"outcome": "ignored"}


def test_a_session_we_never_started_is_recorded_not_paid(api, started):
    notice, session = started
    stranger = session | {"id": "cs_test_not_ours", "metadata": {}}
    assert deliver(api, stripe_event(stranger)).json() == {"outcome": "unknown"}
    assert status_of(notice) == "unpaid"
    assert AuditEvent.objects.filter(action="payment.notification_unknown").count() == 1


def test_a_signed_body_that_is_not_json_is_a_400(api, started):
    response = api.client.post("/api/v1/payments/stripe/webhook", "not json", content_type="application/json",
                               HTTP_STRIPE_SIGNATURE=sign("not json"))
    assert response.status_code == 400 and error_codes(response) == [(None, "bad_signature")]


def test_an_unknown_provider_is_404_and_cash_takes_no_webhooks(api, crossing):
    assert api.client.post("/api/v1/payments/paypal/webhook", "{}", content_type="application/json").status_code == 404
    cash = api.client.post("/api/v1/payments/cash/webhook", "{}", content_type="application/json")
    assert cash.status_code == 400 and error_codes(cash) == [(None, "bad_signature")]


def test_without_stripe_keys_the_webhook_is_not_there(api, crossing):
    response = api.client.post("/api/v1/payments/stripe/webhook", "{}", content_type="application/json")
    assert response.status_code == 404


def test_the_webhook_needs_no_csrf_token(started):
    from django.test import Client

    from tests.conftest import Api

    api = Api()
    api.client = Client(enforce_csrf_checks=True)
    _, session = started
    assert deliver(api, stripe_event(session)).json() == {"outcome": "confirmed"}
