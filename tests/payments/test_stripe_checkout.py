"""Starting a card payment: a Stripe Checkout Session created once, with an idempotency key."""

import pytest

from kordon.audit.models import AuditEvent
from kordon.payments.models import Payment
from tests.conftest import error_codes, open_link, traveller

pytestmark = pytest.mark.django_db


def start(api, notice, provider="stripe"):
    return api.post(f"/notices/{notice['reference']}/payments", {"provider": provider}, notice["access_token"])


def test_a_checkout_session_is_created_for_the_fee(api, fake_stripe, file_notice):
    notice = file_notice(travellers=[traveller(), traveller(document_number="NX4HK2LP2", given_names="Lars")])
    response = start(api, notice)
    assert response.status_code == 201
    data = response.json()
    assert data["redirect_url"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    assert (data["provider"], data["status"], data["amount"], data["currency"]) == ("stripe", "pending", "30.00", "USD")

    [sent] = fake_stripe.requests
    assert (sent.method, sent.path) == ("POST", "/v1/checkout/sessions")
    assert sent.headers["Authorization"] == "Bearer sk_test_51Kordon0000000000000000000000"
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert sent.headers["Idempotency-Key"] == f"kordon-payment-{data['id']}"
    form = sent.form
    assert form["mode"] == "payment" and form["client_reference_id"] == notice["display_reference"]
    assert form["line_items[0][price_data][currency]"] == "usd"
    assert form["line_items[0][price_data][unit_amount]"] == "1500"  # cents, never a float
    assert form["line_items[0][quantity]"] == "2"
    assert form["line_items[0][price_data][product_data][name]"] == "Entry fee per person"
    assert form["metadata[payment_id]"] == data["id"] and form["customer_email"] == "anna@example.org"
    assert form["success_url"].endswith(f"/payments/{data['id']}/return/")
    assert AuditEvent.objects.filter(action="payment.started").count() == 1


def test_a_double_click_starts_one_payment_with_one_session(api, fake_stripe, file_notice):
    notice = file_notice()
    first, second = start(api, notice), start(api, notice)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["redirect_url"] == second.json()["redirect_url"]
    assert Payment.objects.count() == 1 and len(fake_stripe.requests) == 1


def test_after_a_part_payment_the_rest_is_one_line(api, fake_stripe, officer, file_notice):
    notice = file_notice(travellers=[traveller(), traveller(document_number="NX4HK2LP2", given_names="Lars")])
    api.post("/posts/kg-bordobo/payments", {"reference": notice["reference"], "amount": "10.00", "currency": "USD",
                                            "method": "cash", "idempotency_key": "k"}, officer[1])
    assert start(api, notice).json()["amount"] == "20.00"
    form = fake_stripe.requests[0].form
    assert (form["line_items[0][price_data][unit_amount]"], form["line_items[0][quantity]"]) == ("2000", "1")
    assert "line_items[1][quantity]" not in form


def test_stripe_being_down_is_a_clear_502_and_nothing_is_left_pending(api, fake_stripe, file_notice):
    fake_stripe.fail_with = 500
    response = start(api, file_notice())
    assert response.status_code == 502 and error_codes(response) == [("provider", "provider_unavailable")]
    assert list(Payment.objects.values_list("status", flat=True)) == ["failed"]


def test_only_the_access_token_starts_a_payment(api, fake_stripe, officer, file_notice):
    notice = file_notice()
    for token in (None, "guess", officer[1]):
        response = api.post(f"/notices/{notice['reference']}/payments", {"provider": "stripe"}, token)
        assert response.status_code == 404
    assert fake_stripe.requests == []


def test_a_provider_the_crossing_does_not_offer_is_refused(api, file_notice):
    notice = file_notice()
    response = start(api, notice)  # no Stripe keys here: card payments are not offered
    assert response.status_code == 422 and error_codes(response) == [("provider", "invalid")]
    assert error_codes(start(api, notice, "sandbox")) == [("provider", "invalid")]  # off unless switched on
    assert error_codes(start(api, notice, "cash")) == [("provider", "invalid")]  # cash is paid at the post


def test_a_paid_or_cancelled_notice_starts_nothing(api, fake_stripe, officer, file_notice):
    notice = file_notice()
    api.post("/posts/kg-bordobo/payments", {"reference": notice["reference"], "amount": "15.00", "currency": "USD",
                                            "method": "cash", "idempotency_key": "k"}, officer[1])
    assert error_codes(start(api, notice)) == [(None, "already_paid")]
    other = file_notice(travellers=[traveller(document_number="ZZ9876543")])
    api.post(f"/notices/{other['reference']}/cancel", token=other["access_token"])
    assert error_codes(start(api, other)) == [(None, "cancelled")]
    assert fake_stripe.requests == []


def test_a_bad_body_is_a_400(api, file_notice):
    notice = file_notice()
    response = api.post(f"/notices/{notice['reference']}/payments", {"provider": 7}, notice["access_token"])
    assert response.status_code == 400 and error_codes(response) == [("provider", "invalid")]


def test_the_notice_page_sends_the_traveller_to_stripe(client, fake_stripe, file_notice):
    notice = file_notice()
    status = open_link(client, notice)
    assert "Pay online: Card (Stripe)" in client.get(status).content.decode()
    response = client.post(status + "pay/", {"provider": "stripe"})
    assert response.status_code == 302 and response["Location"].startswith("https://checkout.stripe.com/c/pay/")
    waiting = client.get(f"/payments/{Payment.objects.get().public_id}/return/")
    assert "waiting for the payment provider" in waiting.content.decode()
