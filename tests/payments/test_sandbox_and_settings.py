"""The sandbox provider: a demonstration checkout through the real confirm path, never on by accident."""

import pytest
from django.core import checks
from django.test import override_settings

from kordon.crossings.demo import load_kyzyl_art
from kordon.payments import providers
from kordon.payments.models import Payment, Receipt
from kordon.payments.providers.sandbox import simulate
from tests.conftest import open_link

pytestmark = pytest.mark.django_db


def errors(check_id):
    return [m for m in checks.run_checks(tags=["kordon"]) if m.id == check_id]


def test_the_sandbox_is_off_by_default(crossing):
    from django.conf import settings

    assert settings.KORDON_SANDBOX_PAYMENTS is False
    assert providers.get("sandbox") is None and "sandbox" not in crossing.providers()


def test_demo_data_offers_the_sandbox_only_when_it_is_switched_on(db, settings):
    assert "sandbox" not in load_kyzyl_art().providers()
    settings.KORDON_SANDBOX_PAYMENTS = True
    assert load_kyzyl_art().providers() == ["cash", "stripe", "bank_transfer", "sandbox"]


def test_the_sandbox_without_debug_stops_the_start_with_a_clear_message():
    with override_settings(KORDON_SANDBOX_PAYMENTS=True, DEBUG=False):
        [error] = errors("kordon.E101")
    assert error.level == checks.ERROR and "without taking any money" in error.msg
    assert "KORDON_SANDBOX_PAYMENTS_IN_PRODUCTION" in error.hint
    with override_settings(KORDON_SANDBOX_PAYMENTS=True, DEBUG=True):
        assert errors("kordon.E101") == []
    with override_settings(KORDON_SANDBOX_PAYMENTS=True, DEBUG=False, KORDON_SANDBOX_PAYMENTS_IN_PRODUCTION=True):
        assert errors("kordon.E101") == []


def test_stripe_with_half_its_settings_stops_the_start():
    with override_settings(KORDON_STRIPE_SECRET_KEY="sk_test_x", KORDON_STRIPE_WEBHOOK_SECRET=""):
        assert errors("kordon.E102")
    assert errors("kordon.E102") == []


def test_the_sandbox_checkout_pays_through_the_same_confirm_path(client, api, sandbox, file_notice):
    notice = file_notice()
    started = api.post(f"/notices/{notice['reference']}/payments", {"provider": "sandbox"}, notice["access_token"])
    assert started.status_code == 201
    checkout = started.json()["redirect_url"]
    page = client.get(checkout)
    assert "no money moves" in page.content.decode() and "USD 15.00" in page.content.decode()
    back = client.post(checkout, {"action": "pay"})
    receipt = Receipt.objects.get()
    assert client.get(back["Location"])["Location"] == f"/receipts/{receipt.number}/?reference={notice['reference']}"
    assert receipt.number.startswith("HQ-") and receipt.method.startswith("Sandbox")
    assert api.get(f"/notices/{notice['reference']}", notice["access_token"]).json()["payment_status"] == "paid"


def test_declining_in_the_sandbox_leaves_the_notice_unpaid(client, api, sandbox, file_notice):
    notice = file_notice()
    checkout = api.post(f"/notices/{notice['reference']}/payments", {"provider": "sandbox"},
                        notice["access_token"]).json()["redirect_url"]
    back = client.post(checkout, {"action": "decline"})
    assert "You did not pay" in client.get(back["Location"]).content.decode()
    assert Payment.objects.get().status == "failed" and Receipt.objects.count() == 0


def test_a_forged_sandbox_notification_is_refused(api, sandbox, file_notice):
    notice = file_notice()
    api.post(f"/notices/{notice['reference']}/payments", {"provider": "sandbox"}, notice["access_token"])
    evidence = simulate(Payment.objects.get().provider_reference, Payment.objects.get().amount, "USD")
    response = api.client.post("/api/v1/payments/sandbox/webhook", evidence.body, content_type="application/json",
                               HTTP_SANDBOX_SIGNATURE="0" * 64)
    assert response.status_code == 400 and Receipt.objects.count() == 0
    signed = api.client.post("/api/v1/payments/sandbox/webhook", evidence.body, content_type="application/json",
                             HTTP_SANDBOX_SIGNATURE=evidence.headers["Sandbox-Signature"])
    assert signed.json() == {"outcome": "confirmed"}


def test_with_the_sandbox_off_its_pages_are_gone(client, api, sandbox, settings, file_notice):
    notice = file_notice()
    checkout = api.post(f"/notices/{notice['reference']}/payments", {"provider": "sandbox"},
                        notice["access_token"]).json()["redirect_url"]
    settings.KORDON_SANDBOX_PAYMENTS = False
    assert client.get(checkout).status_code == 404
    assert client.post(checkout, {"action": "pay"}).status_code == 404


def test_the_traveller_pays_from_the_notice_page(client, sandbox, file_notice):
    notice = file_notice()
    status = open_link(client, notice)
    page = client.get(status).content.decode()
    assert "Pay online: Sandbox" in page and "Still to pay: <strong>USD 15.00" in page
    response = client.post(status + "pay/", {"provider": "sandbox"})
    assert response["Location"].startswith("/payments/sandbox/sbx_")
    assert client.post(status + "pay/", {"provider": "nonsense"}, follow=True).status_code == 200
