"""A post's entry list and stamps over JSON, for officers' tokens (see /api/v1/openapi.json)."""

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from kordon.crossings.opening import PostCalendar
from kordon.days import Day
from kordon.posts import services
from kordon.posts.access import officer_at
from kordon.posts.models import StampKind
from kordon.posts.schemas import (
    BetweenPostsOut,
    EntryListOut,
    PostListOut,
    RefusalOut,
    StampOut,
    entry_json,
    stamp_json,
)

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


class ExitIn(Schema):
    reference: str = Field(max_length=20)
    document_number: str = Field(max_length=20)
    permits_returned: list[str] = Field(default_factory=list, max_length=20)
    event_id: uuid.UUID | None = None
    at: dt.datetime | None = None
    reason: str = Field("", max_length=1000)


class ListQuery(Schema):
    date: Day | None = None


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=100)
    kind: Literal["entry", "exit"] = "entry"


@router.get("/{code}/entry-list", summary="Who may be stamped at this post on a date (default: today there)",
            response=EntryListOut, exclude_unset=True)
def entry_list(request: HttpRequest, code: str, query: Query[ListQuery]) -> dict[str, Any]:
    officer, post = officer_at(request, code)
    day = query.date or post.local_today()
    calendar = PostCalendar.of(post)
    travellers = list(services.entry_list(post, day, calendar))
    clashes = services.document_clashes(travellers)
    entries = [entry_json(t, clashes=clashes) for t in travellers]
    services.record_read(officer, "entry_list.read", post=post.code, date=day.isoformat(), travellers=len(entries))
    next_open = calendar.first_open(day)
    return {"post": post.code, "date": day.isoformat(), "post_open": calendar.is_open(day),
            "next_open_date": next_open.isoformat() if next_open else None, "entries": entries}


@router.get("/{code}/exit-list", summary="Who may leave through this post on a date (default: today there)",
            response=PostListOut, exclude_unset=True)
def exit_list(request: HttpRequest, code: str, query: Query[ListQuery]) -> dict[str, Any]:
    _, post = officer_at(request, code)
    day = query.date or post.local_today()
    entries = [entry_json(t, kind=StampKind.EXIT) for t in services.exit_list(post, day)]
    return {"post": post.code, "date": day.isoformat(), "entries": entries}


@router.get("/{code}/between-posts", summary="Who left the other post and is not here yet, overdue first",
            response=BetweenPostsOut, exclude_unset=True)
def between_posts(request: HttpRequest, code: str) -> dict[str, Any]:
    _, post = officer_at(request, code)
    road = services.between_posts(post)
    return {"post": post.code, "entries": [
        entry_json(r.traveller) | {"exited_at": r.exit.at.isoformat(), "due_by": r.due_by.isoformat(),
                                   "overdue": r.overdue} for r in road]}


@router.get("/{code}/search", summary="Find travellers arriving (or, kind=exit, leaving) by reference, document "
                                      "number, plate or name", response=PostListOut, exclude_unset=True)
def search(request: HttpRequest, code: str, query: Query[SearchQuery]) -> dict[str, Any]:
    officer, post = officer_at(request, code)
    today = post.local_today()
    found = list(services.search(post, query.q, query.kind))
    clashes = services.document_clashes(found)
    entries = [entry_json(t, today, query.kind, clashes) for t in found]
    services.record_read(officer, "search", post=post.code, query=query.q, travellers=len(entries))
    return {"post": post.code, "date": today.isoformat(), "entries": entries}


@router.post("/{code}/stamps", summary="Stamp a traveller's entry, once",
             response={200: StampOut, 201: StampOut}, exclude_unset=True)
def stamp(request: HttpRequest, code: str, payload: StampIn) -> Status[dict[str, Any]]:
    officer, post = officer_at(request, code)
    traveller = services.find_traveller(post, payload.reference, payload.document_number)
    result = services.stamp_entry(officer, post, traveller, event_id=payload.event_id, reason=payload.reason)
    return Status(201 if result.created else 200, stamp_json(result.stamp))


@router.post("/{code}/exits", summary="Register a traveller's exit and the permits handed back, once",
             response={200: StampOut, 201: StampOut}, exclude_unset=True)
def register_exit(request: HttpRequest, code: str, payload: ExitIn) -> Status[dict[str, Any]]:
    officer, post = officer_at(request, code)
    traveller = services.find_traveller(post, payload.reference, payload.document_number, StampKind.EXIT)
    at = services.device_time(payload.at)
    result = services.register_exit(officer, post, traveller, permits_returned=payload.permits_returned,
                                    event_id=payload.event_id, reason=payload.reason, at=at)
    return Status(201 if result.created else 200, stamp_json(result.stamp))


@router.post("/{code}/refusals", summary="Record that a traveller was refused entry, with the reason",
             response={201: RefusalOut}, exclude_unset=True)
def refuse(request: HttpRequest, code: str, payload: RefusalIn) -> Status[dict[str, Any]]:
    officer, post = officer_at(request, code)
    traveller = None
    if payload.reference:
        traveller = services.find_traveller(post, payload.reference, payload.document_number)
    refusal = services.refuse_entry(officer, post, reason=payload.reason, traveller=traveller,
                                    document_number=payload.document_number, name=payload.name)
    return Status(201, {"id": refusal.pk, "post": post.code, "document_number": refusal.document_number,
                 "reason": refusal.reason, "at": refusal.at.isoformat()})
