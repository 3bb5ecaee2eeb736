"""The departing post: its exit list, exits with the permits handed back, and who is between the posts."""

import uuid
from datetime import datetime, timedelta

import pytest

from kordon.audit.models import AuditEvent
from kordon.posts.models import Journey, Stamp
from tests.conftest import error_codes, make_officer, traveller

pytestmark = pytest.mark.django_db


@pytest.fixture
def party(file_notice):
    return file_notice(travellers=[traveller(), traveller(given_names="Lars", sex="M", document_number="NX4HK2LP2")])


@pytest.fixture
def tj_token(tj_post):
    return make_officer(tj_post, "farrukh")[1]


def on_listed_day(time_machine, notice, hour="08:00"):
    time_machine.move_to(f"{notice['expected_date']}T{hour}:00+05:00", tick=False)


def leave(api, token, notice, document="NX4HK2LP1", permits=("gbao", "personal"), **extra):
    body = {"reference": notice["reference"], "document_number": document, "permits_returned": list(permits)} | extra
    return api.post("/posts/tj-kyzyl-art/exits", body, token)


def test_the_crossing_says_its_transit_time_and_exit_permits(api, crossing):
    data = api.get("/crossings/kyzyl-art").json()
    assert data["transit_hours"] == 6
    assert [(p["code"], p["name"], p["direction"]) for p in data["exit_permits"]] == [
        ("gbao", "GBAO special permit", "TJ-KG"), ("personal", "Personal permit", "TJ-KG")]


def test_the_exit_list_shows_the_party_leaving_on_its_date(api, tj_token, party):
    data = api.get("/posts/tj-kyzyl-art/exit-list", tj_token, date=party["expected_date"]).json()
    assert data["post"] == "tj-kyzyl-art"
    assert [(e["document_number"], e["exited"]) for e in data["entries"]] == [("NX4HK2LP1", False),
                                                                               ("NX4HK2LP2", False)]


def test_the_receiving_post_has_no_exit_list_of_this_party(api, officer, party):
    data = api.get("/posts/kg-bordobo/exit-list", officer[1], date=party["expected_date"]).json()
    assert data["entries"] == []


def test_an_exit_is_registered_once_with_the_permits_kept_recorded(api, tj_token, party, time_machine):
    on_listed_day(time_machine, party)
    first = leave(api, tj_token, party, permits=["gbao"])
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["kind"] == "exit" and body["permits_returned"] == ["gbao"]
    assert body["permits_outstanding"] == ["personal"]
    again = leave(api, tj_token, party, permits=["gbao", "personal"])
    assert again.status_code == 200 and again.json()["event_id"] == body["event_id"]
    assert again.json()["permits_outstanding"] == ["personal"]  # the first exit stands
    assert Stamp.objects.filter(kind="exit").count() == 1
    audit = AuditEvent.objects.get(action="stamp.exit")
    assert audit.data["permits_outstanding"] == ["personal"]
    listed = api.get("/posts/tj-kyzyl-art/exit-list", tj_token).json()["entries"]
    assert listed[0]["exited"] is True and listed[0]["permits_outstanding"] == ["personal"]


def test_an_unknown_permit_is_refused_naming_the_field(api, tj_token, party, time_machine):
    on_listed_day(time_machine, party)
    response = leave(api, tj_token, party, permits=["visa"])
    assert response.status_code == 422 and error_codes(response) == [("permits_returned", "invalid")]
    assert "gbao, personal" in response.json()["errors"][0]["message"]
    assert not Stamp.objects.exists()


def test_an_officer_of_the_receiving_post_cannot_register_exits(api, officer, party, time_machine):
    on_listed_day(time_machine, party)
    response = leave(api, officer[1], party)
    assert response.status_code == 403 and error_codes(response) == [(None, "forbidden")]
    assert api.get("/posts/tj-kyzyl-art/exit-list", officer[1]).status_code == 403


def test_the_departing_post_cannot_stamp_entries_of_a_party_it_lets_out(api, tj_token, party, time_machine):
    on_listed_day(time_machine, party)
    body = {"reference": party["reference"], "document_number": "NX4HK2LP1"}
    response = api.post("/posts/tj-kyzyl-art/stamps", body, tj_token)
    assert response.status_code == 404 and error_codes(response) == [("reference", "not_found")]


def test_exits_need_a_token(api, party):
    assert leave(api, None, party).status_code == 401
    assert api.get("/posts/tj-kyzyl-art/exit-list").status_code == 401


def test_an_exit_on_the_wrong_day_is_not_on_the_list(api, tj_token, party, time_machine):
    time_machine.move_to(datetime.fromisoformat(f"{party['expected_date']}T08:00:00+05:00") - timedelta(days=3),
                         tick=False)
    response = leave(api, tj_token, party)
    assert response.status_code == 409 and error_codes(response) == [(None, "not_on_list")]
    assert response.json()["listed_for"] == party["expected_date"]


def test_bad_exit_bodies_are_400_with_the_field(api, tj_token, party):
    response = leave(api, tj_token, party, event_id="not-a-uuid")
    assert response.status_code == 400 and error_codes(response) == [("event_id", "invalid")]
    response = api.post("/posts/tj-kyzyl-art/exits", {"reference": party["reference"]}, tj_token)
    assert response.status_code == 400 and ("document_number", "invalid") in error_codes(response)


def test_a_device_time_in_the_future_is_refused(api, tj_token, party, time_machine):
    on_listed_day(time_machine, party)
    later = datetime.fromisoformat(f"{party['expected_date']}T12:00:00+05:00").isoformat()
    response = leave(api, tj_token, party, at=later)
    assert response.status_code == 422 and error_codes(response) == [("at", "invalid")]


def test_between_posts_lists_who_left_overdue_first(api, tj_token, officer, party, file_notice, time_machine):
    second = file_notice(travellers=[traveller(document_number="QQ1234567", surname="Tanaka")],
                         expected_date=party["expected_date"])
    on_listed_day(time_machine, party, "08:00")
    leave(api, tj_token, party)
    on_listed_day(time_machine, party, "09:00")
    leave(api, tj_token, second, document="QQ1234567")
    on_listed_day(time_machine, party, "14:30")  # 6 h after the first exit, 5.5 h after the second
    data = api.get("/posts/kg-bordobo/between-posts", officer[1]).json()
    assert [(e["document_number"], e["overdue"]) for e in data["entries"]] == [("NX4HK2LP1", True),
                                                                                ("QQ1234567", False)]
    first = data["entries"][0]
    assert datetime.fromisoformat(first["due_by"]) - datetime.fromisoformat(first["exited_at"]) == timedelta(hours=6)
    entry_list = api.get("/posts/kg-bordobo/entry-list", officer[1]).json()["entries"]
    by_document = {e["document_number"]: e for e in entry_list}
    assert by_document["NX4HK2LP1"]["overdue"] is True and by_document["NX4HK2LP2"]["exited_at"] is None


def test_an_entry_stamp_or_a_refusal_ends_the_journey(api, tj_token, officer, party, time_machine):
    on_listed_day(time_machine, party)
    leave(api, tj_token, party)
    leave(api, tj_token, party, document="NX4HK2LP2")
    on_listed_day(time_machine, party, "10:00")
    assert api.post("/posts/kg-bordobo/stamps", {"reference": party["reference"], "document_number": "NX4HK2LP1"},
                    officer[1]).status_code == 201
    assert Journey.objects.get().ended_at is None
    refusal = {"reference": party["reference"], "document_number": "NX4HK2LP2", "reason": "No visa"}
    assert api.post("/posts/kg-bordobo/refusals", refusal, officer[1]).status_code == 201
    assert Journey.objects.get().ended_at is not None
    assert api.get("/posts/kg-bordobo/between-posts", officer[1]).json()["entries"] == []


def test_between_posts_is_for_the_receiving_posts_officers(api, tj_token, party):
    response = api.get("/posts/kg-bordobo/between-posts", tj_token)
    assert response.status_code == 403


def test_exit_search_finds_departing_travellers(api, tj_token, party):
    data = api.get("/posts/tj-kyzyl-art/search", tj_token, q="NX4HK2LP1", kind="exit").json()
    assert [e["document_number"] for e in data["entries"]] == ["NX4HK2LP1"]
    assert api.get("/posts/tj-kyzyl-art/search", tj_token, q="NX4HK2LP1").json()["entries"] == []
    assert api.get("/posts/tj-kyzyl-art/search", tj_token, q="x", kind="sideways").status_code == 400


def test_an_exit_event_id_is_kept(api, tj_token, party, time_machine):
    on_listed_day(time_machine, party)
    event_id = str(uuid.uuid4())
    assert leave(api, tj_token, party, event_id=event_id).json()["event_id"] == event_id
