"""POST /posts/{code}/events: events recorded on devices, each alone, idempotent, never a second stamp."""

import uuid
from datetime import datetime, timedelta

import pytest

from kordon.audit.models import AuditEvent
from kordon.offline.models import DeviceEvent
from kordon.posts.models import Refusal, Stamp
from tests.conftest import error_codes, make_officer

pytestmark = pytest.mark.django_db


def event(notice, document="NX4HK2LP1", kind="entry", minutes_ago=30, **extra):
    at = datetime.now().astimezone() - timedelta(minutes=minutes_ago)
    return {"event_id": str(uuid.uuid4()), "kind": kind, "reference": notice["reference"],
            "document_number": document, "at": at.isoformat()} | extra


def push(api, token, events, device="tablet-1", code="kg-bordobo"):
    return api.post(f"/posts/{code}/events", {"device": device, "events": events}, token)


def outcomes(response):
    assert response.status_code == 200, response.content
    return [r["outcome"] for r in response.json()["results"]]


def test_a_stamp_keeps_the_devices_time_and_both_times_are_audited(api, officer, today_party):
    sent = event(today_party, minutes_ago=45)
    response = push(api, officer[1], [sent])
    assert outcomes(response) == ["recorded"]
    stamp = Stamp.objects.get()
    assert stamp.at == datetime.fromisoformat(sent["at"]) and stamp.event_id == uuid.UUID(sent["event_id"])
    assert stamp.received_at > stamp.at
    audit = AuditEvent.objects.get(action="offline.recorded")
    assert audit.data["device_at"] == sent["at"] and audit.data["received_at"] and audit.data["device"] == "tablet-1"
    assert AuditEvent.objects.get(action="stamp.entry").data["device_at"] == sent["at"]


def test_an_event_sent_again_is_replayed_with_the_same_stamp(api, officer, today_party):
    sent = event(today_party)
    first = push(api, officer[1], [sent]).json()["results"][0]
    again = push(api, officer[1], [sent]).json()["results"][0]
    assert again["outcome"] == "replayed" and again["first_outcome"] == "recorded"
    assert again["stamp"] == first["stamp"] and Stamp.objects.count() == 1


def test_two_devices_stamping_one_traveller_make_one_stamp_and_a_conflict(api, officer, supervisor, today_party):
    other = make_officer(officer[0].post, "bakyt")[1]
    assert outcomes(push(api, officer[1], [event(today_party, minutes_ago=40)])) == ["recorded"]
    result = push(api, other, [event(today_party, minutes_ago=35)], device="tablet-2").json()["results"][0]
    assert result["outcome"] == "conflict" and error_codes_of(result) == [(None, "conflict")]
    assert Stamp.objects.count() == 1
    conflict = DeviceEvent.objects.get(outcome="conflict")
    assert conflict.stamp == Stamp.objects.get() and conflict.device == "tablet-2"


def error_codes_of(result):
    return [(e["field"], e["code"]) for e in result["errors"]]


def test_a_refused_event_stands_alone_among_recorded_ones(api, officer, today_party):
    unknown = event(today_party, document="ZZ0000000")
    results = push(api, officer[1], [event(today_party), unknown, event(today_party, "NX4HK2LP2")]).json()["results"]
    assert [r["outcome"] for r in results] == ["recorded", "refused", "recorded"]
    assert error_codes_of(results[1]) == [("document_number", "not_found")]
    assert [r["event_id"] for r in results] == [results[0]["event_id"], unknown["event_id"], results[2]["event_id"]]
    assert Stamp.objects.count() == 2
    assert DeviceEvent.objects.get(outcome="refused").event_id == uuid.UUID(unknown["event_id"])


def test_an_event_on_a_day_the_traveller_is_not_listed_is_refused(api, officer, today_party):
    results = push(api, officer[1], [event(today_party, minutes_ago=60 * 24 * 3)]).json()["results"]
    assert results[0]["outcome"] == "refused" and error_codes_of(results[0]) == [(None, "not_on_list")]
    assert not Stamp.objects.exists()


def test_malformed_events_are_refused_with_the_field_and_others_recorded(api, officer, today_party):
    no_time = event(today_party) | {"at": "yesterday"}
    naive = event(today_party, "NX4HK2LP2") | {"at": "2026-12-01T10:00:00"}
    results = push(api, officer[1], [no_time, naive, {"kind": "entry"}, "nonsense", event(today_party)]
                   ).json()["results"]
    assert [r["outcome"] for r in results] == ["refused"] * 4 + ["recorded"]
    assert ("at", "invalid") in error_codes_of(results[0]) and ("at", "invalid") in error_codes_of(results[1])
    assert results[2]["event_id"] is None and results[3]["event_id"] is None
    assert ("event_id", "invalid") in error_codes_of(results[2])


def test_a_future_device_time_is_refused(api, officer, today_party):
    results = push(api, officer[1], [event(today_party, minutes_ago=-60)]).json()["results"]
    assert error_codes_of(results[0]) == [("at", "invalid")]


def test_exits_and_refusals_are_events_too(api, officer, today_party, tj_post):
    tj = make_officer(tj_post, "farrukh")[1]
    exit = event(today_party, kind="exit", permits_returned=["gbao"], minutes_ago=120)
    assert outcomes(push(api, tj, [exit], code="tj-kyzyl-art")) == ["recorded"]
    assert Stamp.objects.get(kind="exit").permits_outstanding == ["personal"]
    refusal = event(today_party, "NX4HK2LP2", kind="refusal", reason="Forged visa")
    assert outcomes(push(api, officer[1], [refusal])) == ["recorded"]
    assert Refusal.objects.get().at == datetime.fromisoformat(refusal["at"])


def test_an_officer_of_the_other_post_gets_403_and_nothing_is_kept(api, tj_officer, today_party):
    response = push(api, tj_officer[1], [event(today_party)])
    assert response.status_code == 403 and error_codes(response) == [(None, "forbidden")]
    assert not DeviceEvent.objects.exists()
    assert push(api, None, [event(today_party)]).status_code == 401


def test_an_event_id_of_another_post_is_refused(api, officer, today_party, tj_post):
    tj = make_officer(tj_post, "farrukh")[1]
    exit = event(today_party, kind="exit")
    push(api, tj, [exit], code="tj-kyzyl-art")
    result = push(api, officer[1], [exit | {"kind": "entry"}]).json()["results"][0]
    assert result["outcome"] == "refused" and error_codes_of(result) == [("event_id", "invalid")]


def test_more_than_500_events_are_refused_whole(api, officer, today_party):
    response = push(api, officer[1], [event(today_party) for _ in range(501)])
    assert response.status_code == 400 and error_codes(response) == [("events", "invalid")]
    assert not DeviceEvent.objects.exists()
    assert outcomes(push(api, officer[1], [event(today_party, "ZZ1") for _ in range(500)])) == ["refused"] * 500


def test_a_body_that_is_not_an_event_list_is_400(api, officer, today_party):
    assert push(api, officer[1], "not a list").status_code == 400
    response = api.client.post("/api/v1/posts/kg-bordobo/events", "{not json", content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {officer[1]}")
    assert response.status_code == 400 and error_codes(response) == [(None, "invalid")]


def test_the_console_session_pushes_with_the_csrf_token(officer, today_party):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.login(username="aibek", password="correct-horse-9")
    body = {"device": "d", "events": [event(today_party)]}
    refused = client.post("/api/v1/posts/kg-bordobo/events", body, content_type="application/json")
    assert refused.status_code == 403 and error_codes(refused) == [(None, "forbidden")]
    client.get("/post/")  # the console page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    done = client.post("/api/v1/posts/kg-bordobo/events", body, content_type="application/json",
                       HTTP_X_CSRFTOKEN=token)
    assert done.status_code == 200 and done.json()["results"][0]["outcome"] == "recorded"


def test_one_batch_replays_an_event_sent_twice_and_keeps_a_second_event_for_one_traveller_as_a_conflict(
        api, officer, today_party):
    first, twice = event(today_party, minutes_ago=20), event(today_party, "NX4HK2LP2", minutes_ago=19)
    again_for_anna = event(today_party, minutes_ago=18)
    results = push(api, officer[1], [first, twice, twice, again_for_anna]).json()["results"]
    assert [r["outcome"] for r in results] == ["recorded", "recorded", "replayed", "conflict"]
    assert results[2]["stamp"] == results[1]["stamp"] and results[3]["stamp"]["event_id"] == first["event_id"]
    assert Stamp.objects.count() == 2 and DeviceEvent.objects.count() == 3


def test_references_and_documents_are_matched_as_typed_at_the_post(api, officer, today_party):
    ref = today_party["reference"]
    typed = {"reference": f"{ref[:4].lower()}-{ref[4:8]}-{ref[8:]}", "document_number": "nx4hk 2lp1"}
    assert outcomes(push(api, officer[1], [event(today_party) | typed])) == ["recorded"]
    assert Stamp.objects.get().traveller.document_number == "NX4HK2LP1"


def test_a_batch_costs_a_few_queries_an_event_and_one_commit(api, officer, today_party, django_assert_max_num_queries):
    from kordon.offline import services

    events = [event(today_party), event(today_party, "NX4HK2LP2"), event(today_party, "ZZ0000000")]
    with django_assert_max_num_queries(10 * len(events) + 5):
        results = services.push_events(officer[0], officer[0].post, "tablet-1", events)
    assert [r["outcome"] for r in results] == ["recorded", "recorded", "refused"]


def test_a_batch_that_fails_as_a_whole_leaves_nothing_and_is_sent_again(api, officer, today_party, monkeypatch):
    from django.db import OperationalError

    from kordon.posts import services as posts

    real, calls = posts.stamp_entry, []

    def failing_second(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise OperationalError("deadlock detected")
        return real(*args, **kwargs)

    monkeypatch.setattr(posts, "stamp_entry", failing_second)
    events = [event(today_party), event(today_party, "NX4HK2LP2")]
    response = push(api, officer[1], events)
    assert response.status_code == 503 and response.json()["errors"][0]["code"] == "unavailable"
    assert not Stamp.objects.exists() and not DeviceEvent.objects.exists()  # the first one was undone too
    assert outcomes(push(api, officer[1], events)) == ["recorded", "recorded"]
