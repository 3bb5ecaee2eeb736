"""The entry list and stamps over the API: who may see and stamp what, and on which day."""

import uuid
from datetime import timedelta

import pytest

from kordon.audit.models import AuditEvent
from kordon.notices.models import Notice
from kordon.posts.models import Refusal, Stamp
from tests.conftest import error_codes, kg_today, traveller

pytestmark = pytest.mark.django_db


@pytest.fixture
def party(file_notice):
    return file_notice(travellers=[traveller(), traveller(given_names="Lars", sex="M", document_number="NX4HK2LP2")])


def on_listed_day(time_machine, notice):
    time_machine.move_to(f"{notice['expected_date']}T06:00:00+06:00", tick=False)


def stamp(api, token, notice, document="NX4HK2LP1", **extra):
    body = {"reference": notice["reference"], "document_number": document} | extra
    return api.post("/posts/kg-bordobo/stamps", body, token)


def test_the_entry_list_shows_the_party_on_its_date(api, officer, party):
    response = api.get("/posts/kg-bordobo/entry-list", officer[1], date=party["expected_date"])
    assert response.status_code == 200
    entries = response.json()["entries"]
    assert [e["document_number"] for e in entries] == ["NX4HK2LP1", "NX4HK2LP2"]
    assert entries[0]["reference"] == party["reference"] and entries[0]["stamped"] is False


def test_the_entry_list_defaults_to_today_at_the_post(api, officer, party, time_machine):
    on_listed_day(time_machine, party)
    data = api.get("/posts/kg-bordobo/entry-list", officer[1]).json()
    assert data["date"] == party["expected_date"] and len(data["entries"]) == 2


def test_a_cancelled_notice_leaves_the_list(api, officer, party):
    api.post(f"/notices/{party['reference']}/cancel", token=party["access_token"])
    assert api.get("/posts/kg-bordobo/entry-list", officer[1], date=party["expected_date"]).json()["entries"] == []


def test_an_officer_of_the_other_post_gets_403(api, tj_officer, party):
    response = api.get("/posts/kg-bordobo/entry-list", tj_officer[1], date=party["expected_date"])
    assert response.status_code == 403 and error_codes(response) == [(None, "forbidden")]
    assert stamp(api, tj_officer[1], party).status_code == 403


def test_no_token_or_a_wrong_token_gets_401(api, officer, party):
    assert api.get("/posts/kg-bordobo/entry-list").status_code == 401
    assert api.get("/posts/kg-bordobo/entry-list", "forged").status_code == 401


def test_a_travellers_access_token_is_not_an_officers(api, party):
    assert api.get("/posts/kg-bordobo/entry-list", party["access_token"]).status_code == 401


def test_stamping_on_the_listed_day_makes_one_stamp(api, officer, party, time_machine):
    on_listed_day(time_machine, party)
    first = stamp(api, officer[1], party)
    assert first.status_code == 201
    again = stamp(api, officer[1], party)
    assert again.status_code == 200 and again.json()["event_id"] == first.json()["event_id"]
    assert Stamp.objects.count() == 1
    assert AuditEvent.objects.filter(action="stamp.entry").count() == 1


def test_stamping_everyone_marks_the_notice_entered(api, officer, party, time_machine):
    on_listed_day(time_machine, party)
    stamp(api, officer[1], party)
    assert Notice.objects.get(reference=party["reference"]).status == "accepted"
    stamp(api, officer[1], party, "NX4HK2LP2")
    notice = api.get(f"/notices/{party['reference']}", party["access_token"]).json()
    assert notice["status"] == "entered" and all(t["stamped"] for t in notice["travellers"])


def test_an_early_traveller_is_told_the_listed_date(api, officer, party, time_machine):
    on_listed_day(time_machine, party)
    time_machine.shift(timedelta(days=-2))
    response = stamp(api, officer[1], party)
    assert response.status_code == 409
    assert error_codes(response) == [(None, "not_on_list")]
    assert response.json()["listed_for"] == party["expected_date"]
    assert "supervisor may admit" in response.json()["errors"][0]["message"]
    assert Stamp.objects.count() == 0


def test_the_late_window_lets_a_traveller_in_a_day_after(api, officer, party, time_machine):
    on_listed_day(time_machine, party)
    time_machine.shift(timedelta(days=1))  # Kyzyl-Art allows one day late (snow, a broken axle)
    assert stamp(api, officer[1], party).status_code == 201


def test_a_supervisor_admits_with_a_reason(api, supervisor, party, time_machine):
    on_listed_day(time_machine, party)
    time_machine.shift(timedelta(days=-3))
    assert stamp(api, supervisor[1], party).status_code == 409  # no reason, no admission
    response = stamp(api, supervisor[1], party, reason="Pass closes tomorrow: snow forecast")
    assert response.status_code == 201 and response.json()["admission"] is True
    assert AuditEvent.objects.get(action="stamp.admitted").data["reason"].startswith("Pass closes")


def test_an_officer_cannot_admit_even_with_a_reason(api, officer, party, time_machine):
    on_listed_day(time_machine, party)
    time_machine.shift(timedelta(days=-3))
    assert stamp(api, officer[1], party, reason="seems fine").status_code == 409


def test_a_cancelled_notice_is_not_on_the_list(api, officer, party, time_machine):
    api.post(f"/notices/{party['reference']}/cancel", token=party["access_token"])
    on_listed_day(time_machine, party)
    response = stamp(api, officer[1], party)
    assert response.status_code == 409 and "cancelled" in response.json()["errors"][0]["message"]
    assert response.json()["listed_for"] is None


def test_an_unknown_reference_or_document_is_404(api, officer, party):
    assert error_codes(stamp(api, officer[1], party | {"reference": "ABCD-EFGH-JK"})) == [("reference", "not_found")]
    assert error_codes(stamp(api, officer[1], party, "ZZ999")) == [("document_number", "not_found")]


def test_a_notice_arriving_at_the_other_post_is_unknown_here(api, officer, file_notice):
    other_way = file_notice(direction="KG-TJ")
    assert stamp(api, officer[1], other_way).status_code == 404


def test_a_replayed_event_id_returns_the_same_stamp(api, officer, party, time_machine):
    on_listed_day(time_machine, party)
    event = str(uuid.uuid4())
    assert stamp(api, officer[1], party, event_id=event).json()["event_id"] == event
    assert stamp(api, officer[1], party, event_id=event).status_code == 200
    conflict = stamp(api, officer[1], party, "NX4HK2LP2", event_id=event)
    assert conflict.status_code == 409 and error_codes(conflict) == [("event_id", "invalid")]


def test_a_malformed_stamp_request_is_a_400(api, officer, party):
    assert api.post("/posts/kg-bordobo/stamps", {"reference": 5}, officer[1]).status_code == 400
    bad_event = stamp(api, officer[1], party, event_id="not-a-uuid")
    assert bad_event.status_code == 400 and ("event_id", "invalid") in error_codes(bad_event)
    bad_date = api.get("/posts/kg-bordobo/entry-list", officer[1], date="31-12-2026")
    assert bad_date.status_code == 400 and ("date", "invalid") in error_codes(bad_date)


def test_search_finds_by_document_plate_name_and_reference(api, officer, file_notice):
    notice = file_notice(travellers=[traveller(surname="Öztürk", given_names="Gül")],
                         vehicle={"plate": "01 KG 123 ABC", "country": "KG", "kind": "car"})
    for query in ["nx4hk2lp1", "01kg123abc", "ozturk gul", "ÖZTÜRK", notice["reference"].lower()]:
        found = api.get("/posts/kg-bordobo/search", officer[1], q=query).json()["entries"]
        assert [e["reference"] for e in found] == [notice["reference"]], query
        assert found[0]["listed_today"] is False and "Listed for" in found[0]["why"]


def test_a_refusal_is_recorded_with_its_reason(api, officer, party):
    response = api.post("/posts/kg-bordobo/refusals", {"reason": "Forged entry permit", "reference": party["reference"],
                                                       "document_number": "NX4HK2LP1"}, officer[1])
    assert response.status_code == 201
    assert Refusal.objects.get().notice.reference == party["reference"]
    assert AuditEvent.objects.filter(action="entry.refused").exists()
    assert api.post("/posts/kg-bordobo/refusals", {"reason": ""}, officer[1]).status_code == 400


def test_amending_and_cancelling_stop_after_entry(api, officer, party, time_machine):
    on_listed_day(time_machine, party)
    stamp(api, officer[1], party)
    moved = api.post(f"/notices/{party['reference']}/amend",
                     {"expected_date": (kg_today() + timedelta(days=10)).isoformat()}, party["access_token"])
    assert moved.status_code == 409 and error_codes(moved) == [(None, "already_entered")]
