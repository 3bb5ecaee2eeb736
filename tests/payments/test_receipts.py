"""Receipts: numbered without gaps per office and year, printable, mailed, checkable by anyone."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kordon.payments.models import Receipt, ReceiptCounter
from tests.conftest import error_codes, traveller

pytestmark = pytest.mark.django_db


def pay_cash(api, token, notice, key, amount="15.00", post="kg-bordobo"):
    body = {"reference": notice["reference"], "amount": amount, "currency": "USD", "method": "cash",
            "idempotency_key": key}
    response = api.post(f"/posts/{post}/payments", body, token)
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def parties(file_notice):
    return [file_notice(travellers=[traveller(document_number=f"NX{i:07d}")]) for i in range(3)]


def test_numbers_run_on_per_office_without_gaps(api, officer, tj_officer, parties):
    year = datetime.now(ZoneInfo("Asia/Bishkek")).year
    numbers = [pay_cash(api, officer[1], p, f"k{i}")["receipt_number"] for i, p in enumerate(parties[:2])]
    tj = pay_cash(api, tj_officer[1], parties[2], "tj", post="tj-kyzyl-art")["receipt_number"]
    assert numbers == [f"KG-BORDOBO-{year}-000001", f"KG-BORDOBO-{year}-000002"]
    assert tj.endswith("-000001") and tj.startswith("TJ-KYZYL-ART-")


def test_a_refused_payment_takes_no_number(api, officer, parties):
    pay_cash(api, officer[1], parties[0], "a")
    refused = api.post("/posts/kg-bordobo/payments", {"reference": parties[1]["reference"], "amount": "99.00",
                                                      "currency": "USD", "method": "cash", "idempotency_key": "b"},
                       officer[1])
    assert refused.status_code == 422
    assert pay_cash(api, officer[1], parties[1], "c")["receipt_number"].endswith("-000002")


def test_numbering_starts_again_each_year_at_the_offices_new_year(api, officer, parties, time_machine):
    # 31 Dec 18:30 UTC is already 1 January in Bishkek (UTC+6): the receipt belongs to the new year.
    time_machine.move_to(datetime(2030, 12, 31, 12, 0, tzinfo=ZoneInfo("UTC")), tick=False)
    assert pay_cash(api, officer[1], parties[0], "a")["receipt_number"] == "KG-BORDOBO-2030-000001"
    time_machine.move_to(datetime(2030, 12, 31, 18, 30, tzinfo=ZoneInfo("UTC")), tick=False)
    assert pay_cash(api, officer[1], parties[1], "b")["receipt_number"] == "KG-BORDOBO-2031-000001"
    assert set(ReceiptCounter.objects.values_list("year", "last")) == {(2030, 1), (2031, 1)}


def test_anyone_checks_a_receipt_with_its_number_and_the_notice_reference(api, officer, parties):
    paid = pay_cash(api, officer[1], parties[0], "a")
    response = api.get(f"/receipts/{paid['receipt_number']}", reference=parties[0]["display_reference"])
    assert response.status_code == 200
    data = response.json()
    assert data["valid"] is True and data["refunded"] is False
    assert (data["amount"], data["currency"], data["method"], data["office"]) == ("15.00", "USD", "cash", "KG-BORDOBO")
    assert data["lines"] == [{"description": "Entry fee per person", "quantity": 1, "amount": "15.00"}]


def test_a_receipt_with_another_reference_is_not_confirmed(api, officer, parties):
    paid = pay_cash(api, officer[1], parties[0], "a")
    wrong = api.get(f"/receipts/{paid['receipt_number']}", reference=parties[1]["reference"])
    assert wrong.status_code == 404 and error_codes(wrong) == [(None, "not_found")]
    assert api.get(f"/receipts/{paid['receipt_number']}", reference="nonsense").status_code == 404
    missing = api.get(f"/receipts/{paid['receipt_number']}")
    assert missing.status_code == 400 and error_codes(missing) == [("reference", "invalid")]
    assert api.get("/receipts/KG-BORDOBO-2020-000009", reference=parties[0]["reference"]).status_code == 404


def test_the_printable_receipt_shows_everything_a_receipt_must(client, api, officer, parties):
    paid = pay_cash(api, officer[1], parties[0], "a")
    page = client.get(f"/receipts/{paid['receipt_number']}/", {"reference": parties[0]["reference"]})
    text = page.content.decode()
    assert page.status_code == 200
    for expected in (paid["receipt_number"], "Bordobo (Kyrgyz post)", "ERIKSSON, Anna Maria",
                     parties[0]["display_reference"], "Cash at the post", "Entry fee per person", "USD 15.00",
                     "Asia/Bishkek", "Print this receipt"):
        assert expected in text, expected
    assert client.get(f"/receipts/{paid['receipt_number']}/", {"reference": parties[1]["reference"]}).status_code == 404


def test_the_receipt_is_mailed_over_smtp_when_the_notice_has_an_address(
        api, officer, parties, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        paid = pay_cash(api, officer[1], parties[0], "a")
    [message] = smtp_server.messages
    assert message["To"] == "anna@example.org"
    subject = f"Receipt {paid['receipt_number']} for crossing notice {parties[0]['display_reference']}"
    assert message["Subject"] == subject
    body = message.get_content()
    assert "Bordobo (Kyrgyz post)" in body and "Paid: USD 15.00" in body and "Cash at the post" in body
    assert Receipt.objects.get().emailed_at is not None


def test_no_address_no_mail(api, officer, file_notice, smtp_server, django_capture_on_commit_callbacks):
    notice = file_notice(contact={"phone": "+996 555 123 456"})
    with django_capture_on_commit_callbacks(execute=True):
        pay_cash(api, officer[1], notice, "a")
    assert smtp_server.messages == []


def test_a_receipt_keeps_what_was_paid_for_even_when_fees_change(api, officer, crossing, parties):
    paid = pay_cash(api, officer[1], parties[0], "a")
    crossing.fee_lines.update(amount=Decimal("99.00"))
    data = api.get(f"/receipts/{paid['receipt_number']}", reference=parties[0]["reference"]).json()
    assert data["amount"] == "15.00" and data["lines"][0]["amount"] == "15.00"


def test_paying_in_parts_gives_each_part_its_receipt(api, officer, file_notice):
    notice = file_notice(travellers=[traveller(), traveller(document_number="NX4HK2LP2")])
    first = pay_cash(api, officer[1], notice, "a", "10.00")
    assert first["lines"] == [{"description": "Part of the fee of USD 30.00", "quantity": 1, "amount": "10.00"}]
    second = pay_cash(api, officer[1], notice, "b", "20.00")
    assert second["receipt_number"] != first["receipt_number"] and second["payment_status"] == "paid"


def test_the_printable_receipt_leads_back_only_to_the_post_console(client, api, officer, parties):
    paid = pay_cash(api, officer[1], parties[0], "a")
    url = f"/receipts/{paid['receipt_number']}/"

    def back_link(back):
        page = client.get(url, {"reference": parties[0]["reference"], "back": back}).content.decode()
        return "Back to the post console" in page, f'href="{back}"' in page

    assert back_link("/post/") == (True, True)
    assert back_link("/ru/post/kg-bordobo/") == (True, True)  # the console in another language
    assert back_link("https://example.org/post/") == (False, False)
    assert back_link("//example.org/post/") == (False, False)
    assert back_link("/admin/") == (False, False)
