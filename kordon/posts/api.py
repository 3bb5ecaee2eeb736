"""A post's entry list and stamps over JSON, for officers' tokens (API.md)."""

import uuid
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from kordon.crossings.opening import PostCalendar
from kordon.days import Day
from kordon.notices.models import Traveller
from kordon.posts import services
from kordon.posts.access import officer_at
from kordon.posts.models import Stamp, StampKind

router = Router()


class StampIn(Schema):
    reference: str = Field(max_length=20)
    document_number: str = Field(max_length=20)
    event_id: uuid.UUID | None = None
    reason: str = Field("", max_length=1000)


class RefusalIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)
    reference: str = Field("", max_length=20)
    document_number: str = Field("", max_length=20)
    name: str = Field("", max_length=200)


class ListQuery(Schema):
    date: Day | None = None


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=100)


def entry_json(t: Traveller, today: date | None = None) -> dict[str, Any]:
    vehicle = getattr(t.notice, "vehicle", None)
    stamp = next((s for s in t.stamps.all() if s.kind == StampKind.ENTRY), None)
    entry = {
        "reference": t.notice.reference, "traveller_id": t.pk, "surname": t.surname,
        "given_names": t.given_names, "nationality": t.nationality, "document_number": t.document_number,
        "vehicle_plate": vehicle.plate if vehicle else None, "expected_date": t.notice.expected_date.isoformat(),
        "status": t.notice.status, "payment_status": t.notice.payment_status, "stamped": stamp is not None,
    }
    if today is not None:
        state = services.listing(t.notice, today)
        entry |= {"listed_today": state.listed, "why": state.why, "may_do": state.may_do}
    return entry


def stamp_json(stamp: Stamp) -> dict[str, Any]:
    return {
        "event_id": str(stamp.event_id), "reference": stamp.notice.reference, "traveller_id": stamp.traveller_id,
        "document_number": stamp.traveller.document_number, "post": stamp.post.code, "kind": stamp.kind,
        "admission": stamp.admission, "reason": stamp.reason, "at": stamp.at.isoformat(),
        "local_date": stamp.local_date.isoformat(), "officer": stamp.officer.user.get_username(),
    }


@router.get("/{code}/entry-list", summary="Who may be stamped at this post on a date (default: today there)")
def entry_list(request: HttpRequest, code: str, query: Query[ListQuery]) -> dict[str, Any]:
    _, post = officer_at(request, code)
    day = query.date or post.local_today()
    calendar = PostCalendar.of(post)
    entries = [entry_json(t) for t in services.entry_list(post, day, calendar)]
    next_open = calendar.first_open(day)
    return {"post": post.code, "date": day.isoformat(), "post_open": calendar.is_open(day),
            "next_open_date": next_open.isoformat() if next_open else None, "entries": entries}


@router.get("/{code}/search", summary="Find arriving travellers by reference, document number, plate or name")
def search(request: HttpRequest, code: str, query: Query[SearchQuery]) -> dict[str, Any]:
    _, post = officer_at(request, code)
    today = post.local_today()
    return {"post": post.code, "date": today.isoformat(),
            "entries": [entry_json(t, today) for t in services.search(post, query.q)]}


@router.post("/{code}/stamps", summary="Stamp a traveller's entry, once", response={200: dict, 201: dict})
def stamp(request: HttpRequest, code: str, payload: StampIn) -> Status[dict[str, Any]]:
    officer, post = officer_at(request, code)
    traveller = services.find_traveller(post, payload.reference, payload.document_number)
    result = services.stamp_entry(officer, post, traveller, event_id=payload.event_id, reason=payload.reason)
    return Status(201 if result.created else 200, stamp_json(result.stamp))


@router.post("/{code}/refusals", summary="Record that a traveller was refused entry, with the reason",
             response={201: dict})
def refuse(request: HttpRequest, code: str, payload: RefusalIn) -> Status[dict[str, Any]]:
    officer, post = officer_at(request, code)
    traveller = None
    if payload.reference:
        traveller = services.find_traveller(post, payload.reference, payload.document_number)
    refusal = services.refuse_entry(officer, post, reason=payload.reason, traveller=traveller,
                                    document_number=payload.document_number, name=payload.name)
    return Status(201, {"id": refusal.pk, "post": post.code, "document_number": refusal.document_number,
                 "reason": refusal.reason, "at": refusal.at.isoformat()})
