"""What a traveller's text says about the vehicle: its plate, and its registration country only when said."""

from datetime import date

import pytest

from kordon.intake.reading import read_text

TODAY = date(2027, 5, 1)


@pytest.mark.parametrize(("text", "country"), [
    ("We have a German car, plate B-AB 1234", "DE"),
    ("The car is registered in the Netherlands", "NL"),
    ("Dutch plates", "NL"),
    ("Netherlands", "NL"),  # the answer to our question
    ("машина с немецкими номерами", "DE"),
    ("Автомобиль зарегистрирован в Германии", "DE"),
    ("госномер: А123ВС 77 RUS", "RU"),  # the plate's own sign
    ("номер 01 KG 123 ABC", "KG"),
])
def test_the_registration_country_is_read_where_the_traveller_says_it(text, country):
    assert read_text(text, TODAY).vehicle_country == country


@pytest.mark.parametrize("text", [
    "Into Kyrgyzstan with our car, plate NL-12-AB",  # the direction names a country, not the vehicle's
    "We are Dutch, two people with a car",  # the travellers' nationality is not the vehicle's
    "no",
    "plate AB-123-C",
])
def test_no_country_is_invented(text):
    assert read_text(text, TODAY).vehicle_country == ""


def test_a_plate_has_a_digit_and_registered_is_not_a_keyword():
    assert read_text("Here are the car and its registration papers", TODAY).plate == ""
    assert read_text("registered in the Netherlands", TODAY).plate == ""
    assert read_text("Number plate is 01 KG 123 ABC", TODAY).plate == "01 KG 123 ABC"
