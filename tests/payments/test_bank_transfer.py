"""Bank transfer: instructions with the notice's reference; an administrator confirms what arrived."""

from decimal import Decimal

import pytest

from kordon.audit.services import Actor
from kordon.notices.models import Notice
from kordon.payments import services
from kordon.payments.models import Payment, Receipt
from tests.conftest import open_link

pytestmark = pytest.mark.django_db

ACCOUNT = "Border Service of Kyrgyzstan, Demir Bank, account KG00 1234 5678 9012"


@pytest.fixture
def bank(settings):
    settings.KORDON_BANK_TRANSFER_ACCOUNT = ACCOUNT


@pytest.fixture
def started(api, bank, file_notice):
    notice = file_notice()
    response = api.post(f"/notices/{notice['reference']}/payments", {"provider": "bank_transfer"},
                        notice["access_token"])
    assert response.status_code == 201
    return notice, response.json()


def test_the_traveller_gets_instructions_with_the_reference_as_payment_reference(started):
    notice, data = started
    assert data["redirect_url"] is None
    assert ACCOUNT in data["instructions"]
    assert f"Payment reference: {notice['display_reference']}" in data["instructions"]
    assert "USD 15.00" in data["instructions"]


def test_an_administrator_confirms_the_transfer_and_a_receipt_is_issued(started, admin_user):
    notice, _ = started
    outcome = services.confirm_bank_transfer(Payment.objects.get(), Actor.of_user(admin_user), Decimal("15.00"), "USD")
    assert outcome == "confirmed" and Receipt.objects.get().number.startswith("HQ-")
    assert Notice.objects.get(reference=notice["reference"]).payment_status == "paid"


def test_a_transfer_of_another_amount_is_flagged(started, admin_user):
    notice, _ = started
    outcome = services.confirm_bank_transfer(Payment.objects.get(), Actor.of_user(admin_user), Decimal("14.00"), "USD")
    assert outcome == "flagged" and Notice.objects.get(reference=notice["reference"]).payment_status == "unpaid"


def test_the_admin_action_confirms_pending_transfers(admin_client, started):
    payment = Payment.objects.get()
    response = admin_client.post("/admin/payments/payment/", {"action": "confirm_transfer",
                                                               "_selected_action": [payment.pk]})
    assert response.status_code == 302 and Receipt.objects.count() == 1


def test_the_notice_page_keeps_the_instructions_until_the_money_arrives(client, started):
    notice, _ = started
    page = client.get(open_link(client, notice)).content.decode()
    assert ACCOUNT in page


def test_without_an_account_bank_transfer_is_not_offered(api, file_notice):
    notice = file_notice()
    response = api.post(f"/notices/{notice['reference']}/payments", {"provider": "bank_transfer"},
                        notice["access_token"])
    assert response.status_code == 422


def test_the_admin_pages_for_money_open(admin_client, started, crossing):
    payment = Payment.objects.get()
    services.confirm_bank_transfer(payment, Actor("test"), Decimal("15.00"), "USD")
    for url in ("/admin/payments/payment/", f"/admin/payments/payment/{payment.pk}/change/",
                "/admin/payments/receipt/", "/admin/payments/webhookevent/", "/admin/crossings/currencyrate/",
                f"/admin/crossings/crossing/{crossing.pk}/change/"):
        assert admin_client.get(url).status_code == 200, url


def test_choosing_a_transfer_on_the_notice_page_shows_the_instructions(client, bank, file_notice):
    notice = file_notice()
    status = open_link(client, notice)
    assert "Pay online: Bank transfer" in client.get(status).content.decode()
    page = client.post(status + "pay/", {"provider": "bank_transfer"}).content.decode()
    assert ACCOUNT in page and notice["display_reference"] in page and "Back to your notice" in page
