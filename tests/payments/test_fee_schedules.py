"""Fee schedules: per person and per vehicle kind, exemptions per traveller, frozen when filed."""

from decimal import Decimal

import pytest

from kordon.crossings.models import CurrencyRate, FeeExemption, FeeLine
from kordon.notices.models import Notice
from tests.conftest import open_link, traveller

pytestmark = pytest.mark.django_db

CHILD = traveller(given_names="Mila", document_number="NX4HK2LP3", date_of_birth="2019-06-01")


def fee(notice):
    lines = notice["fee"]["lines"]
    return notice["fee"]["total"], [(x["item"], x["quantity"], x["amount"], x.get("exemption")) for x in lines]


def test_a_child_under_the_age_pays_nothing_and_the_line_says_why(crossing, file_notice):
    FeeExemption.objects.create(crossing=crossing, label="Children under 12", under_age=12)
    notice = file_notice(travellers=[traveller(), CHILD])
    assert fee(notice) == ("15.00", [("person", 1, "15.00", None), ("person", 1, "0.00", "Children under 12")])


def test_the_age_counts_on_the_crossing_date_not_the_filing_date(crossing, file_notice):
    FeeExemption.objects.create(crossing=crossing, label="Children under 12", under_age=12)
    expected = file_notice()["expected_date"]
    turns_12_before = traveller(document_number="NX4HK2LP4", date_of_birth=f"{int(expected[:4]) - 12}{expected[4:]}")
    notice = file_notice(travellers=[turns_12_before], contact={"email": "b@example.org"})
    assert fee(notice)[0] == "15.00"


def test_listed_nationals_are_exempt(crossing, file_notice):
    FeeExemption.objects.create(crossing=crossing, label="Citizens of Kyrgyzstan", nationality="KGZ")
    notice = file_notice(travellers=[traveller(nationality="KGZ")])
    assert fee(notice) == ("0.00", [("person", 1, "0.00", "Citizens of Kyrgyzstan")])
    assert Notice.objects.get(reference=notice["reference"]).payment_status == "paid"  # nothing to pay


def test_a_vehicle_kind_has_its_own_line(crossing, file_notice):
    FeeLine.objects.create(crossing=crossing, item="vehicle:truck", amount=Decimal("40.00"), currency="USD")
    truck = file_notice(vehicle={"plate": "01KG123ABC", "country": "KG", "kind": "truck"})
    assert fee(truck) == ("55.00", [("person", 1, "15.00", None), ("vehicle:truck", 1, "40.00", None)])
    camper = file_notice(travellers=[traveller(document_number="ZZ1234567")],
                         vehicle={"plate": "VX-123-B", "country": "NL", "kind": "camper"})
    assert fee(camper)[0] == "15.00"  # no line for campers at Kyzyl-Art: nothing charged for the vehicle


def test_changing_the_schedule_never_changes_a_filed_fee(api, crossing, file_notice):
    notice = file_notice()
    FeeLine.objects.filter(crossing=crossing, item="person").update(amount=Decimal("25.00"))
    FeeExemption.objects.create(crossing=crossing, label="Everyone from NLD", nationality="NLD")
    again = api.get(f"/notices/{notice['reference']}", notice["access_token"]).json()
    assert again["fee"] == notice["fee"]
    assert Notice.objects.get(reference=notice["reference"]).fee_total == Decimal("15.00")


def test_fees_are_decimal_to_the_cent(crossing, file_notice):
    FeeLine.objects.filter(crossing=crossing, item="person").update(amount=Decimal("0.10"))
    party = [traveller(document_number=f"NX4HK2L{i:02d}") for i in range(3)]
    notice = file_notice(travellers=party)
    assert notice["fee"]["total"] == "0.30"  # 3 × 0.1 as float would be 0.30000000000000004
    assert Notice.objects.get(reference=notice["reference"]).fee_total == Decimal("0.30")


def test_the_status_page_shows_the_local_money_estimate_labelled_as_such(client, crossing, file_notice):
    notice = file_notice(travellers=[traveller(), traveller(document_number="NX4HK2LP2", given_names="Lars")])
    CurrencyRate.objects.filter(currency="KGS").update(rate=Decimal("87.45"))
    page = client.get(open_link(client, notice)).content.decode()
    assert "≈ KGS 2624" in page and "≈ TJS 327" in page  # 30 × 87.45 = 2623.5, rounded half up
    assert "only an estimate" in page and "charged in USD" in page


def test_a_crossing_without_local_currencies_shows_no_estimate(client, crossing, file_notice):
    crossing.display_currencies = ""
    crossing.save()
    notice = file_notice()
    page = client.get(open_link(client, notice)).content.decode()
    assert "estimate" not in page.lower()


def test_an_exemption_needs_an_age_or_a_nationality(crossing):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        FeeExemption(crossing=crossing, label="Nobody").clean()
    with pytest.raises(ValidationError):
        FeeExemption(crossing=crossing, label="Both", under_age=12, nationality="KGZ").clean()


def test_a_crossing_names_only_known_payment_providers(crossing):
    from django.core.exceptions import ValidationError

    crossing.payment_providers = "cash, paypal"
    with pytest.raises(ValidationError, match="paypal"):
        crossing.full_clean()
