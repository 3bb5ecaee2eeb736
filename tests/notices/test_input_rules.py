"""What a notice may hold: names in letters, real nationality codes, a way to reach the party.
The form, the API and the messages agree."""

import pytest
from django.test import Client

from kordon.notices.models import Notice
from tests.conftest import error_codes, notice_body, traveller
from tests.notices.test_traveller_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("surname", ["Eriksson 😀", "Eriks$on", "Eriksson™", "R2D2"])
def test_emoji_symbols_and_digits_in_a_name_are_refused_naming_the_character(api, crossing, surname):
    response = api.post("/notices", notice_body(travellers=[traveller(surname=surname)]))
    assert response.status_code == 422
    assert error_codes(response) == [("travellers[0].surname", "invalid")]
    assert "only letters" in response.json()["errors"][0]["message"]
    assert Notice.objects.count() == 0


@pytest.mark.parametrize("surname", ["Gül-Öztürk", "O'Brien", "Иванов", "Nguyễn", "de la Cruz", "St. John"])
def test_names_in_any_script_with_accents_hyphens_and_apostrophes_are_kept(api, crossing, surname):
    response = api.post("/notices", notice_body(travellers=[traveller(surname=surname)]))
    assert response.status_code == 201, response.content
    assert response.json()["travellers"][0]["surname"] == surname


def test_a_symbol_in_given_names_is_refused_on_the_form_beside_the_field(client: Client, crossing):
    response = client.post("/notices/new/", form_data(**{"form-0-given_names": "Anna ★"}))
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_form-0-given_names_error"' in page and "not “★”" in page


@pytest.mark.parametrize("code", ["XYZ", "QQQ", "AAA"])
def test_a_nationality_that_is_no_country_code_is_refused(api, crossing, code):
    response = api.post("/notices", notice_body(travellers=[traveller(nationality=code)]))
    assert response.status_code == 422
    assert error_codes(response) == [("travellers[0].nationality", "invalid")]
    assert f"“{code}” is not a country code" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("code", ["DEU", "D", "XXA", "UNO", "GBD", "KGZ", "ZWE"])
def test_iso_and_icao_nationality_codes_are_accepted(api, crossing, code):
    response = api.post("/notices", notice_body(travellers=[traveller(nationality=code)]))
    assert response.status_code == 201, response.content


def test_the_form_refuses_nationality_xyz_beside_the_field(client: Client, crossing):
    page = client.post("/notices/new/", form_data(**{"form-0-nationality": "XYZ"})).content.decode()
    assert 'id="id_form-0-nationality_error"' in page and "is not a country code" in page


def test_a_notice_without_any_contact_is_refused_by_the_api(api, crossing):
    response = api.post("/notices", notice_body(contact={"email": "", "phone": ""}))
    assert response.status_code == 422
    assert error_codes(response) == [("contact", "contact_missing")]
    response = api.post("/notices", {k: v for k, v in notice_body().items() if k != "contact"})
    assert error_codes(response) == [("contact", "contact_missing")]


def test_a_phone_alone_is_contact_enough(api, crossing):
    assert api.post("/notices", notice_body(contact={"phone": "+996 555 123 456"})).status_code == 201


def test_the_form_refuses_to_file_without_contact_and_says_so_beside_the_email(client: Client, crossing):
    response = client.post("/notices/new/", form_data(email="", phone=""))
    page = response.content.decode()
    assert response.status_code == 422 and Notice.objects.count() == 0
    assert 'id="id_email_error"' in page and "Give an email address or a phone number" in page


def test_the_empty_form_names_each_missing_field_in_words(client: Client, crossing):
    empty = {k: "" for k, v in form_data().items() if k.startswith("form-0-")}
    response = client.post("/notices/new/", form_data(**empty, expected_date=""))
    page = response.content.decode()
    assert response.status_code == 422
    assert "This field is required" not in page
    assert "Add at least one traveller" not in page
    for words in ("Enter the surname", "Enter the nationality", "Choose the sex", "Enter the date of birth",
                  "Enter the passport number", "Enter the date the passport is valid until",
                  "Enter the date you will arrive"):
        assert words in page


def test_vehicle_fields_are_optional_but_all_or_none(client: Client, crossing):
    empty = client.get("/notices/new/").content.decode()
    assert "optional, but all or none" in empty
    page = client.post("/notices/new/", form_data(plate="01 KG 123 ABC")).content.decode()
    assert "give its plate, registration country and kind together, or none of them" in page
    assert 'id="id_vehicle_country_error"' in page and 'id="id_vehicle_kind_error"' in page
    assert 'id="id_plate_error"' not in page
    assert Notice.objects.count() == 0


def test_directions_are_named_by_country(client: Client, crossing):
    page = client.get("/notices/new/").content.decode()
    assert "Tajikistan → Kyrgyzstan" in page and "Kyrgyzstan → Tajikistan" in page
