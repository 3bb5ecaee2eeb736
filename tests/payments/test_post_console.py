"""The post console: what each party owes, cash with a receipt, and no stamp before payment where required."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kordon.payments.models import Payment, Receipt
from tests.conftest import error_codes, traveller

pytestmark = pytest.mark.django_db


@pytest.fixture
def party(file_notice):
    return file_notice(travellers=[traveller(), traveller(given_names="Lars", sex="M", document_number="NX4HK2LP2")])


@pytest.fixture
def console(client, officer):
    client.login(username="aibek", password="correct-horse-9")
    return client


@pytest.fixture
def required(crossing):
    crossing.payment_required_before_entry = True
    crossing.save()


def on_listed_day(time_machine, notice):
    time_machine.move_to(datetime.fromisoformat(f"{notice['expected_date']}T09:00:00+06:00"), tick=False)


def cash_form(console, notice, key="form-key-1", amount="30.00"):
    return console.post("/post/payments/cash/", {"reference": notice["reference"], "amount": amount, "currency": "USD",
                                                 "idempotency_key": key, "next": "/post/"})


def test_the_entry_list_shows_what_each_party_owes_with_one_cash_form(console, party):
    page = console.get("/post/", {"date": party["expected_date"]}).content.decode()
    assert page.count("unpaid: USD 30.00") == 2  # on both travellers' rows
    assert page.count("Record cash payment") == 1  # the form once per party
    assert 'value="30.00"' in page


def test_recording_cash_shows_the_printable_receipt(console, party):
    response = cash_form(console, party)
    receipt = Receipt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/receipts/{receipt.number}/?reference={party['reference']}&back=/post/"
    page = console.get(response["Location"]).content.decode()
    assert receipt.number in page and "Print this receipt" in page and "Back to the post console" in page
    listed = console.get("/post/", {"date": party["expected_date"]}).content.decode()
    assert 'data-testid="payment-' + party["reference"] + '">paid<' in listed


def test_a_double_submitted_cash_form_records_one_payment(console, party):
    first, second = cash_form(console, party), cash_form(console, party)
    assert first["Location"] == second["Location"]
    assert Payment.objects.count() == 1


def test_a_mistyped_amount_is_explained_and_nothing_recorded(console, party):
    for amount in ("abc", "-5", "15.001", "99.00"):
        response = cash_form(console, party, key=f"k-{amount}", amount=amount)
        assert response.status_code == 302 and response["Location"] == "/post/"
    messages = console.get("/post/").content.decode()
    assert "Enter the amount received" in messages and "Only USD 30.00 is outstanding" in messages
    assert Payment.objects.count() == 0


def test_an_officer_of_the_other_post_cannot_record_here(client, tj_officer, party):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="farrukh")
    user.set_password("correct-horse-9")
    user.save()
    client.login(username="farrukh", password="correct-horse-9")
    cash_form(client, party)  # the notice leaves from the Tajik post: it may take the fee too
    assert Receipt.objects.get().office == "TJ-KYZYL-ART"


def test_stamping_an_unpaid_traveller_where_payment_is_required_is_refused_and_offers_cash(
        api, officer, party, required, time_machine):
    on_listed_day(time_machine, party)
    response = api.post("/posts/kg-bordobo/stamps", {"reference": party["reference"], "document_number": "NX4HK2LP1"},
                        officer[1])
    assert response.status_code == 409 and error_codes(response) == [(None, "unpaid")]
    body = response.json()
    assert body["outstanding"] == {"amount": "30.00", "currency": "USD"}
    assert "Record the cash payment" in body["errors"][0]["message"]


def test_after_paying_the_traveller_is_stamped(api, officer, party, required, time_machine):
    on_listed_day(time_machine, party)
    api.post("/posts/kg-bordobo/payments", {"reference": party["reference"], "amount": "30.00", "currency": "USD",
                                            "method": "cash", "idempotency_key": "k"}, officer[1])
    response = api.post("/posts/kg-bordobo/stamps", {"reference": party["reference"], "document_number": "NX4HK2LP1"},
                        officer[1])
    assert response.status_code == 201


def test_a_part_payment_is_not_enough_to_be_stamped(api, officer, party, required, time_machine):
    on_listed_day(time_machine, party)
    api.post("/posts/kg-bordobo/payments", {"reference": party["reference"], "amount": "15.00", "currency": "USD",
                                            "method": "cash", "idempotency_key": "k"}, officer[1])
    response = api.post("/posts/kg-bordobo/stamps", {"reference": party["reference"], "document_number": "NX4HK2LP1"},
                        officer[1])
    assert response.status_code == 409 and response.json()["outstanding"]["amount"] == "15.00"


def test_the_console_says_unpaid_and_the_cash_form_is_right_there(console, party, required, time_machine):
    on_listed_day(time_machine, party)
    console.login(username="aibek", password="correct-horse-9")  # a new shift: the last login has expired
    traveller_id = console.get("/post/").context["entries"][0][0].pk
    response = console.post("/post/stamp/", {"traveller": traveller_id, "next": "/post/"}, follow=True)
    page = response.content.decode()
    assert "Not paid: USD 30.00" in page and "Record the cash payment" in page
    assert "Record cash payment" in page  # the form on the row


def test_where_payment_is_not_required_the_unpaid_are_stamped_as_before(api, officer, party, time_machine):
    on_listed_day(time_machine, party)
    response = api.post("/posts/kg-bordobo/stamps", {"reference": party["reference"], "document_number": "NX4HK2LP1"},
                        officer[1])
    assert response.status_code == 201


def test_search_shows_the_fee_state_too(console, party):
    page = console.get("/post/search/", {"q": "NX4HK2LP2"}).content.decode()
    assert "unpaid: USD 30.00" in page and "Record cash payment" in page


def test_the_day_starts_at_the_posts_midnight_for_receipts_too(console, party, time_machine):
    time_machine.move_to(datetime(2031, 3, 1, 20, 0, tzinfo=ZoneInfo("UTC")), tick=False)  # 2 March in Bishkek
    console.login(username="aibek", password="correct-horse-9")
    cash_form(console, party)
    assert str(Receipt.objects.get().issued_on) == "2031-03-02"
