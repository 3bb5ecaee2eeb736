"""The traveller's pages: the form keeps input on error, shows errors beside fields, files once."""

from datetime import timedelta

import pytest
from django.test import Client

from kordon.notices.models import Notice
from tests.conftest import kg_today

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "crossing": "kyzyl-art", "direction": "TJ-KG", "expected_date": (kg_today() + timedelta(days=7)).isoformat(),
        "email": "anna@example.org", "phone": "", "idempotency_key": "3f0c8a6e-0000-4000-8000-000000000001",
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "1", "form-MAX_NUM_FORMS": "30",
        "form-0-surname": "Eriksson", "form-0-given_names": "Anna", "form-0-nationality": "nld", "form-0-sex": "F",
        "form-0-date_of_birth": "1980-01-31", "form-0-document_number": "NX4HK2LP1",
        "form-0-document_expiry": "2031-01-01", "form-0-mrz": "", "action": "file",
    }
    return data | overrides


def test_the_home_page_shows_the_crossing_facts(client: Client, crossing):
    page = client.get("/").content.decode()
    assert "Kyzyl-Art pass" in page and "4282 m" in page and "Sary-Tash" in page and "USD 15.00 per person" in page


def test_filing_leads_to_the_status_page_with_reference_and_fee(client: Client, crossing):
    response = client.post("/notices/new/", form_data())
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    notice = Notice.objects.get()
    assert notice.display_reference in page and "USD 15.00" in page and "Your notice is filed" in page
    assert "What happens at the post" in page


def test_a_double_submit_files_one_notice(client: Client, crossing):
    first = client.post("/notices/new/", form_data())
    second = client.post("/notices/new/", form_data())
    assert first.status_code == second.status_code == 302
    assert Notice.objects.count() == 1
    assert client.get(second["Location"]).status_code == 200


def test_errors_are_shown_beside_their_field_and_input_is_kept(client: Client, crossing):
    response = client.post("/notices/new/", form_data(**{
        "expected_date": kg_today().isoformat(), "form-0-document_expiry": "2001-01-01", "form-0-nationality": "NL"}))
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_form-0-nationality_error"' in page and "3-letter code" in page
    assert 'value="Eriksson"' in page and 'value="NX4HK2LP1"' in page
    assert Notice.objects.count() == 0


def test_domain_problems_appear_beside_the_field(client: Client, crossing):
    response = client.post("/notices/new/", form_data(**{"expected_date": kg_today().isoformat(),
                                                          "form-0-document_expiry": "2001-01-01"}))
    page = response.content.decode()
    assert 'id="id_expected_date_error"' in page and "days&#x27; notice" in page
    assert 'id="id_form-0-document_expiry_error"' in page and "expires on 2001-01-01" in page


def test_a_traveller_can_be_added_and_removed_without_javascript(client: Client, crossing):
    added = client.post("/notices/new/", form_data(action="add"))
    assert 'name="form-1-surname"' in added.content.decode() and "error" not in added.content.decode().split("<main>")[1][:200]
    data = form_data(**{"form-TOTAL_FORMS": "2", "form-1-surname": "Second", "action": "remove-0"})
    removed = client.post("/notices/new/", data).content.decode()
    assert 'value="Second"' in removed and 'name="form-1-surname"' not in removed


def test_a_vehicle_needs_plate_country_and_kind(client: Client, crossing):
    response = client.post("/notices/new/", form_data(has_vehicle="on"))
    assert response.status_code == 422
    assert 'id="id_plate_error"' in response.content.decode()


def test_the_status_page_needs_the_right_token(client: Client, crossing):
    location = client.post("/notices/new/", form_data())["Location"]
    reference = Notice.objects.get().reference
    assert client.get(f"/notices/{reference}/wrong-token/").status_code == 404
    assert client.get(location.replace(reference, "AAAA")).status_code == 404


def test_the_traveller_moves_the_date_and_cancels_from_the_status_page(client: Client, crossing):
    location = client.post("/notices/new/", form_data())["Location"].split("?")[0]
    new_date = (kg_today() + timedelta(days=11)).isoformat()
    assert client.post(location + "amend/", {"expected_date": new_date}).status_code == 302
    assert Notice.objects.get().expected_date.isoformat() == new_date
    too_soon = client.post(location + "amend/", {"expected_date": kg_today().isoformat()})
    assert too_soon.status_code == 422 and "earliest date" in too_soon.content.decode()
    garbage = client.post(location + "amend/", {"expected_date": "next week"})
    assert garbage.status_code == 422
    client.post(location + "cancel/")
    assert Notice.objects.get().status == "cancelled"
    assert "This notice is cancelled" in client.get(location).content.decode()


def test_garbage_in_the_form_never_crashes_it(client: Client, crossing):
    for bad in [{"form-TOTAL_FORMS": "abc"}, {"form-TOTAL_FORMS": "100000"}, {"crossing": "nowhere"},
                {"action": "remove-x"}, {"action": "remove-99"}, {"form-0-date_of_birth": "2999-01-01"}]:
        response = client.post("/notices/new/", form_data(**bad))
        assert response.status_code in (200, 302, 400, 422), bad
