"""A document number alone is neither an oracle for a traveller's date nor a lock on their filing
(docs/duplicates.md): "duplicate" is said only when name and birth date match too."""

from datetime import timedelta

import pytest

from kordon.audit.models import AuditEvent
from kordon.notices.models import Notice
from tests.conftest import error_codes, kg_today, notice_body, traveller

pytestmark = pytest.mark.django_db


def day(offset):
    return (kg_today() + timedelta(days=offset)).isoformat()


def test_amending_day_by_day_under_another_name_learns_nothing(api, file_notice):
    file_notice(expected_date=day(8))  # the real traveller crosses on day 8
    probe = file_notice(expected_date=day(6), travellers=[traveller(surname="Stranger", date_of_birth="1990-05-05")])
    answers = {offset: api.post(f"/notices/{probe['reference']}/amend", {"expected_date": day(offset)},
                                probe["access_token"]).status_code for offset in (7, 8, 9)}
    assert answers == {7: 200, 8: 200, 9: 200}  # the real date answers like every other


def test_filing_first_under_another_name_does_not_block_the_traveller(api, file_notice, officer):
    squatter = file_notice(travellers=[traveller(surname="Stranger", given_names="", date_of_birth="1990-05-05")])
    real = api.post("/notices", notice_body())
    assert real.status_code == 201
    assert Notice.objects.count() == 2
    clash = AuditEvent.objects.get(action="notice.document_clash")
    assert (clash.notice_reference, clash.data["other"]) == (real.json()["reference"], squatter["reference"])
    entries = api.get("/posts/kg-bordobo/entry-list", officer[1], date=real.json()["expected_date"]).json()["entries"]
    assert [e["document_clash"] for e in entries] == [True, True]  # officers check who holds the passport


def test_the_same_person_twice_is_still_a_duplicate_and_charged_once(api, file_notice):
    file_notice()
    again = api.post("/notices", notice_body(travellers=[traveller(surname="ERIKSSON", given_names="Anna")]))
    assert again.status_code == 409
    assert error_codes(again) == [("travellers[0].document_number", "duplicate")]
    assert Notice.objects.count() == 1


def test_a_newcomer_under_another_name_joins_without_a_verdict(api, file_notice):
    file_notice()
    other = file_notice(travellers=[traveller(surname="Berg", document_number="NX4HK2LP5")])
    joined = api.post(f"/notices/{other['reference']}/travellers", traveller(surname="Stranger", date_of_birth=
                      "1991-01-01"), other["access_token"])
    assert joined.status_code == 201
