"""Reading, moving and cancelling a notice: only its traveller changes it; strangers learn nothing."""

from datetime import timedelta

import pytest

from kordon.audit.models import AuditEvent
from tests.conftest import error_codes, kg_today, make_officer

pytestmark = pytest.mark.django_db


def test_the_traveller_reads_the_notice_with_the_access_token(api, file_notice):
    notice = file_notice()
    data = api.get(f"/notices/{notice['reference']}", notice["access_token"]).json()
    assert data["reference"] == notice["reference"] and "access_token" not in data


def test_a_stranger_gets_404_never_403(api, file_notice):
    notice = file_notice()
    other = file_notice(travellers=[{**notice["travellers"][0], "document_number": "ZZ12345",
                                     "date_of_birth": "1990-02-02", "document_expiry": "2032-02-02"}])
    for token in [None, "guess", other["access_token"]]:
        response = api.get(f"/notices/{notice['reference']}", token)
        assert response.status_code == 404 and error_codes(response) == [(None, "not_found")]
    assert api.get("/notices/NOT-A-REF", notice["access_token"]).status_code == 404


def test_officers_of_both_posts_read_it_others_do_not(api, file_notice, officer, tj_officer, crossing):
    from kordon.crossings.models import Crossing, Post

    notice = file_notice()
    assert api.get(f"/notices/{notice['reference']}", officer[1]).status_code == 200
    assert api.get(f"/notices/{notice['reference']}", tj_officer[1]).status_code == 200
    elsewhere = Crossing.objects.create(slug="irkeshtam", name="Irkeshtam")
    post = Post.objects.create(crossing=elsewhere, code="cn-irkeshtam", name="Irkeshtam", country="CN",
                               timezone="Asia/Shanghai")
    _, token = make_officer(post, "li")
    assert api.get(f"/notices/{notice['reference']}", token).status_code == 404


def test_an_officer_cannot_amend_or_cancel(api, file_notice, officer):
    notice = file_notice()
    assert api.post(f"/notices/{notice['reference']}/cancel", token=officer[1]).status_code == 404


def test_amending_moves_the_date_and_is_recorded(api, file_notice):
    notice = file_notice()
    new = (kg_today() + timedelta(days=12)).isoformat()
    response = api.post(f"/notices/{notice['reference']}/amend", {"expected_date": new}, notice["access_token"])
    assert response.status_code == 200 and response.json()["expected_date"] == new
    event = AuditEvent.objects.get(action="notice.amended")
    assert event.data["expected_date"]["to"] == new


def test_amending_applies_the_lead_time(api, file_notice):
    notice = file_notice()
    response = api.post(f"/notices/{notice['reference']}/amend",
                        {"expected_date": (kg_today() + timedelta(days=2)).isoformat()}, notice["access_token"])
    assert response.status_code == 422 and error_codes(response) == [("expected_date", "lead_time")]


def test_amending_checks_the_document_is_still_valid(api, file_notice):
    notice = file_notice()
    response = api.post(f"/notices/{notice['reference']}/amend", {"expected_date": "2031-06-01"}, notice["access_token"])
    assert error_codes(response) == [("travellers[0].document_expiry", "document_expired")]


def test_amending_onto_another_notice_of_the_same_passport_is_a_duplicate(api, file_notice):
    first = file_notice()
    later = (kg_today() + timedelta(days=8)).isoformat()
    second = file_notice(expected_date=later)
    response = api.post(f"/notices/{first['reference']}/amend", {"expected_date": later}, first["access_token"])
    assert response.status_code == 409 and error_codes(response) == [("travellers[0].document_number", "duplicate")]
    assert second["reference"] != first["reference"]


def test_cancelling_twice_says_it_is_cancelled(api, file_notice):
    notice = file_notice()
    assert api.post(f"/notices/{notice['reference']}/cancel", token=notice["access_token"]).json()["status"] == "cancelled"
    again = api.post(f"/notices/{notice['reference']}/cancel", token=notice["access_token"])
    assert again.status_code == 409 and error_codes(again) == [(None, "cancelled")]


def test_a_malformed_amendment_is_a_400(api, file_notice):
    notice = file_notice()
    response = api.post(f"/notices/{notice['reference']}/amend", {"expected_date": "soon"}, notice["access_token"])
    assert response.status_code == 400 and error_codes(response) == [("expected_date", "invalid")]


def test_crossings_are_public_with_posts_fees_and_requirements(api, crossing):
    data = api.get("/crossings/kyzyl-art").json()
    assert data["countries"] == ["KG", "TJ"] and data["directions"] == ["KG-TJ", "TJ-KG"]
    assert data["lead_time_days"] == 5 and data["altitude_m"] == 4282
    assert data["fees"] == [{"item": "person", "amount": "15.00", "currency": "USD"}]
    assert data["requirements"]["visa"] is False and data["requirements"]["carnet"] is False
    assert {p["code"] for p in data["posts"]} == {"tj-kyzyl-art", "kg-bordobo"}
    assert [c["slug"] for c in api.get("/crossings").json()] == ["kyzyl-art"]
    assert api.get("/crossings/nowhere").status_code == 404
