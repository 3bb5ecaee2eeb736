"""Each review rule of a crossing sends a notice to a person instead of accepting it."""

from datetime import date, timedelta

import pytest

from kordon.notices.models import Notice
from kordon.notifications.models import Notification
from kordon.review.models import Review, ReviewRules
from kordon.seals.models import Seal
from tests.conftest import kg_today, notice_body, traveller
from tests.mrzlines import td3

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(crossing):
    return ReviewRules.objects.create(crossing=crossing)


def filed(api, **overrides):
    response = api.post("/notices", notice_body(**overrides))
    assert response.status_code == 201, response.content
    return response.json()


def reasons(reference):
    return [r["code"] for r in Review.objects.get(notice__reference=reference).reasons]


def test_without_rules_a_clean_notice_is_accepted(api, crossing):
    assert filed(api)["status"] == "accepted" and Review.objects.count() == 0


def test_a_document_expiring_within_the_margin_goes_to_review(api, rules):
    rules.expiry_margin_days = 30
    rules.save()
    expected = kg_today() + timedelta(days=6)
    soon = filed(api, travellers=[traveller(document_expiry=(expected + timedelta(days=29)).isoformat())])
    assert soon["status"] == "under_review" and reasons(soon["reference"]) == ["document_expiring"]
    later = filed(api, travellers=[traveller(document_number="NX4HK2LP9",
                                             document_expiry=(expected + timedelta(days=31)).isoformat())])
    assert later["status"] == "accepted"


def test_a_traveller_without_mrz_goes_to_review_when_the_crossing_asks_for_it(api, rules):
    rules.require_mrz = True
    rules.save()
    without = filed(api)
    assert without["status"] == "under_review" and reasons(without["reference"]) == ["no_mrz"]
    t = traveller(document_number="NX4HK2LP8")
    mrz = td3("ERIKSSON", "ANNA MARIA", "NLD", "NX4HK2LP8", date(1980, 1, 31), "F", date(2031, 1, 1))
    assert filed(api, travellers=[t | {"mrz": mrz}])["status"] == "accepted"


def test_a_name_that_is_not_exactly_the_mrz_transliteration_goes_to_review(api, rules):
    rules.exact_mrz_names = True
    rules.save()
    mrz = td3("MUELLER", "JOERG", "DEU", "C01X00T47", date(1975, 5, 5), "M", date(2032, 2, 2))
    exact = traveller(surname="Müller", given_names="Jörg", nationality="DEU", sex="M", date_of_birth="1975-05-05",
                      document_number="C01X00T47", document_expiry="2032-02-02", mrz=mrz)
    assert filed(api, travellers=[exact])["status"] == "accepted"
    mrz2 = td3("MULLER", "JORG", "DEU", "C01X00T48", date(1975, 5, 5), "M", date(2032, 2, 2))
    plain = exact | {"document_number": "C01X00T48", "mrz": mrz2}  # filing accepts MULLER for Müller; ICAO writes MUELLER
    held = filed(api, travellers=[plain])
    assert held["status"] == "under_review" and reasons(held["reference"]) == ["mrz_name_inexact"]


def test_a_party_larger_than_n_goes_to_review(api, rules):
    rules.party_larger_than = 2
    rules.save()
    two = [traveller(document_number=f"NX4HK2L{n}", given_names=g) for n, g in ((1, "Anna"), (2, "Lars"))]
    assert filed(api, travellers=two)["status"] == "accepted"
    three = [traveller(document_number=f"PX4HK2L{n}", given_names=g) for n, g in ((1, "Anna"), (2, "Lars"), (3, "Mira"))]
    held = filed(api, travellers=three)
    assert held["status"] == "under_review" and reasons(held["reference"]) == ["large_party"]


def test_a_nationality_that_needs_a_look_goes_to_review(api, rules):
    rules.nationalities = "afg, SYR"
    rules.save()
    assert filed(api)["status"] == "accepted"
    held = filed(api, travellers=[traveller(nationality="AFG", document_number="AF1234567")])
    assert held["status"] == "under_review" and reasons(held["reference"]) == ["nationality"]


def test_a_notice_under_review_has_no_seal_and_is_not_listed_and_its_traveller_is_told(api, rules, officer):
    rules.nationalities = "AFG"
    rules.save()
    held = filed(api, travellers=[traveller(nationality="AFG", document_number="AF1234567")])
    notice = Notice.objects.get(reference=held["reference"])
    assert Seal.objects.filter(notice=notice).count() == 0
    day = (kg_today() + timedelta(days=6)).isoformat()
    entries = api.get("/posts/kg-bordobo/entry-list", officer[1], date=day).json()["entries"]
    assert held["reference"] not in [e["reference"] for e in entries]
    assert Notification.objects.filter(notice=notice, kind="under_review").count() == 1


def test_rules_apply_to_agency_batches_item_by_item(api, rules):
    from tests.agencies.conftest import make_agency, passport

    rules.nationalities = "AFG"
    rules.save()
    _, token = make_agency("Pamir Tours")
    items = [notice_body(travellers=[passport(1)]), notice_body(travellers=[passport(2) | {"nationality": "AFG"}])]
    results = api.post("/agency/groups", {"name": "Tour", "notices": items}, token).json()["results"]
    assert [r["status"] for r in results] == ["accepted", "under_review"]
