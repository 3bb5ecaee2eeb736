"""Cash at the post over the API (API.md): one payment per idempotency key, a receipt every time."""

import pytest

from kordon.audit.models import AuditEvent
from kordon.notices.models import Notice
from kordon.payments.models import Payment, Receipt
from tests.conftest import error_codes, traveller

pytestmark = pytest.mark.django_db


def pay(api, token, notice, amount="15.00", key="till-1", post="kg-bordobo", **extra):
    body = {"reference": notice["reference"], "amount": amount, "currency": "USD", "method": "cash",
            "idempotency_key": key} | extra
    return api.post(f"/posts/{post}/payments", body, token)


def test_cash_is_recorded_with_a_numbered_receipt(api, officer, file_notice):
    notice = file_notice()
    response = pay(api, officer[1], notice)
    assert response.status_code == 201
    data = response.json()
    assert data["receipt_number"].startswith("KG-BORDOBO-") and data["receipt_number"].endswith("-000001")
    assert (data["amount"], data["currency"], data["reference"]) == ("15.00", "USD", notice["reference"])
    assert data["payment_status"] == "paid" and data["method"] == "cash"
    assert Notice.objects.get(reference=notice["reference"]).payment_status == "paid"
    assert AuditEvent.objects.filter(action="payment.confirmed", notice_reference=notice["reference"]).count() == 1


def test_the_same_idempotency_key_again_returns_the_same_receipt(api, officer, file_notice):
    notice = file_notice()
    first = pay(api, officer[1], notice)
    again = pay(api, officer[1], notice)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["receipt_number"] == first.json()["receipt_number"]
    assert Payment.objects.count() == 1 and Receipt.objects.count() == 1


def test_the_same_key_for_another_amount_is_refused(api, officer, file_notice):
    notice = file_notice(travellers=[traveller(), traveller(document_number="NX4HK2LP2", given_names="Lars")])
    assert pay(api, officer[1], notice, "15.00").status_code == 201
    response = pay(api, officer[1], notice, "10.00")
    assert response.status_code == 409 and error_codes(response) == [("idempotency_key", "idempotency_conflict")]


def test_a_party_can_pay_in_parts(api, officer, file_notice):
    notice = file_notice(travellers=[traveller(), traveller(document_number="NX4HK2LP2", given_names="Lars")])
    first = pay(api, officer[1], notice, "15.00", key="a")
    assert first.json()["payment_status"] == "partially_paid"
    second = pay(api, officer[1], notice, "15.00", key="b", payer="Lars Eriksson")
    assert second.json()["payment_status"] == "paid"
    assert [first.json()["receipt_number"][-6:], second.json()["receipt_number"][-6:]] == ["000001", "000002"]
    assert second.json()["payer"] == "Lars Eriksson" and first.json()["payer"] == "ERIKSSON, Anna Maria"


def test_more_than_is_owed_is_refused_and_says_how_much_is_owed(api, officer, file_notice):
    notice = file_notice()
    response = pay(api, officer[1], notice, "20.00")
    assert response.status_code == 422 and error_codes(response) == [("amount", "overpayment")]
    assert "USD 15.00" in response.json()["errors"][0]["message"]
    pay(api, officer[1], notice, "15.00", key="k2")
    paid = pay(api, officer[1], notice, "1.00", key="k3")
    assert paid.status_code == 409 and error_codes(paid) == [("amount", "already_paid")]


def test_another_currency_is_refused(api, officer, file_notice):
    response = pay(api, officer[1], file_notice(), currency="KGS")
    assert response.status_code == 422 and error_codes(response) == [("currency", "wrong_currency")]
    assert Payment.objects.count() == 0


@pytest.mark.parametrize("amount", ["15.001", "-15.00", "0", "0.00", "15,00", "1e3", "NaN", "", " "])
def test_an_amount_that_is_not_money_is_a_400_naming_the_field(api, officer, file_notice, amount):
    response = pay(api, officer[1], file_notice(), amount)
    assert response.status_code == 400 and error_codes(response) == [("amount", "invalid")]
    assert response.json()["errors"][0]["message"]


@pytest.mark.parametrize("amount", [15, 15.0, None, ["15.00"]])
def test_a_json_number_is_refused_because_money_travels_as_a_decimal_string(api, officer, file_notice, amount):
    response = pay(api, officer[1], file_notice(), amount)
    assert response.status_code == 400 and error_codes(response) == [("amount", "invalid")]
    assert '"15.00"' in response.json()["errors"][0]["message"] or amount is None


def test_other_methods_and_missing_fields_are_400(api, officer, file_notice):
    notice = file_notice()
    assert error_codes(pay(api, officer[1], notice, method="card")) == [("method", "invalid")]
    response = api.post("/posts/kg-bordobo/payments", {"reference": notice["reference"]}, officer[1])
    assert response.status_code == 400
    assert {f for f, _ in error_codes(response)} == {"amount", "currency", "method", "idempotency_key"}


def test_malformed_json_or_a_form_post_is_a_400_not_a_500(api, officer):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {officer[1]}"}
    broken = api.client.post("/api/v1/posts/kg-bordobo/payments", "{not json", content_type="application/json",
                             **headers)
    assert broken.status_code == 400 and error_codes(broken) == [(None, "invalid")]
    form = api.client.post("/api/v1/posts/kg-bordobo/payments", {"amount": "15.00"}, **headers)
    assert form.status_code == 400 and error_codes(form) == [(None, "invalid")]
    listed = api.post("/posts/kg-bordobo/payments", ["not", "an", "object"], officer[1])
    assert listed.status_code == 400


def test_an_unknown_reference_is_404(api, officer, crossing):
    response = pay(api, officer[1], {"reference": "2345-6789-AB"})
    assert response.status_code == 404 and error_codes(response) == [("reference", "not_found")]


def test_a_cancelled_notice_takes_no_money(api, officer, file_notice):
    notice = file_notice()
    api.post(f"/notices/{notice['reference']}/cancel", token=notice["access_token"])
    response = pay(api, officer[1], notice)
    assert response.status_code == 409 and error_codes(response) == [("reference", "cancelled")]


def test_only_an_officer_of_that_post_records_payments(api, officer, tj_officer, file_notice):
    notice = file_notice()
    assert pay(api, None, notice).status_code == 401
    assert pay(api, "forged", notice).status_code == 401
    assert pay(api, notice["access_token"], notice).status_code == 401
    other = pay(api, tj_officer[1], notice)
    assert other.status_code == 403 and error_codes(other) == [(None, "forbidden")]
    assert Payment.objects.count() == 0


def test_the_departing_post_may_take_the_fee_too(api, tj_officer, file_notice):
    response = pay(api, tj_officer[1], file_notice(), post="tj-kyzyl-art")
    assert response.status_code == 201 and response.json()["receipt_number"].startswith("TJ-KYZYL-ART-")
