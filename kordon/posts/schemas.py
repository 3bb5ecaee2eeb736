"""The shapes of the posts' answers, and the entry row every list, search and scan shares
(kordon.answers says how schemas and builders meet)."""

import datetime as dt
from datetime import date
from typing import Any

from django.utils import timezone
from pydantic import Field

from kordon.answers import IsoDate, IsoMoment, Out
from kordon.notices.models import Traveller
from kordon.posts import services
from kordon.posts.models import Stamp, StampKind


class EntryOut(Out):
    """One traveller on a post's list. Entries carry the journey from the other post (`due_by`,
    `overdue`); exits carry `exited` and the permits; a search or scan adds today's listing."""

    reference: str
    traveller_id: int
    surname: str
    given_names: str
    nationality: str
    document_number: str
    vehicle_plate: str | None
    expected_date: IsoDate
    status: str
    payment_status: str
    stamped: bool
    document_clash: bool = Field(description="Another notice names this document on the same day under another "
                                             "name or birth date: check the passport's holder before stamping")
    exited_at: IsoMoment | None
    due_by: IsoMoment | None = None
    overdue: bool = False
    exited: bool = False
    permits_returned: list[str] = Field(default_factory=list)
    permits_outstanding: list[str] = Field(default_factory=list)
    listed_today: bool = False
    why: str = ""
    may_do: str = ""


class EntryListOut(Out):
    post: str
    date: IsoDate
    post_open: bool
    next_open_date: IsoDate | None
    entries: list[EntryOut]


class PostListOut(Out):
    post: str
    date: IsoDate
    entries: list[EntryOut]


class BetweenPostsOut(Out):
    post: str
    entries: list[EntryOut]


class StampOut(Out):
    event_id: str
    reference: str
    traveller_id: int
    document_number: str
    post: str
    kind: str
    admission: bool
    reason: str
    at: IsoMoment
    received_at: IsoMoment
    local_date: IsoDate
    officer: str
    permits_returned: list[str] = Field(default_factory=list, description="Exits only")
    permits_outstanding: list[str] = Field(default_factory=list, description="Exits only")


class RefusalOut(Out):
    id: int
    post: str
    document_number: str
    reason: str
    at: IsoMoment


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def journey_json(t: Traveller, now: dt.datetime | None = None) -> dict[str, Any]:
    """When the traveller left the departing post, when due here, and whether overdue (from prefetched stamps)."""
    exit = services.exit_of(t)
    if exit is None:
        return {"exited_at": None, "due_by": None, "overdue": False}
    due = services.due_by(t, exit)
    entered = any(s.kind == StampKind.ENTRY and s.post_id == t.notice.direction.to_post_id for s in t.stamps.all())
    return {"exited_at": exit.at.isoformat(), "due_by": due.isoformat(),
            "overdue": not entered and (now or timezone.now()) > due}


def entry_json(t: Traveller, today: date | None = None, kind: str = StampKind.ENTRY,
               clashes: set[int] | None = None) -> dict[str, Any]:
    """An EntryOut."""
    vehicle = getattr(t.notice, "vehicle", None)
    stamp = next((s for s in t.stamps.all() if s.kind == kind), None)
    entry = {
        "reference": t.notice.reference, "traveller_id": t.pk, "surname": t.surname,
        "given_names": t.given_names, "nationality": t.nationality, "document_number": t.document_number,
        "vehicle_plate": vehicle.plate if vehicle else None, "expected_date": t.notice.expected_date.isoformat(),
        "status": t.notice.status, "payment_status": t.notice.payment_status, "stamped": stamp is not None,
        # Another notice names this document on the same day under another name or birth date: check
        # the passport's holder before stamping (docs/duplicates.md).
        "document_clash": t.pk in (clashes or set()),
    }
    if kind == StampKind.EXIT:
        entry |= {"exited": stamp is not None, "exited_at": _iso(stamp.at if stamp else None),
                  "permits_returned": stamp.permits_returned if stamp else [],
                  "permits_outstanding": stamp.permits_outstanding if stamp else []}
    else:
        entry |= journey_json(t)
    if today is not None:
        state = services.listing(t.notice, today)
        entry |= {"listed_today": state.listed, "why": state.why, "may_do": state.may_do}
    return entry


def stamp_json(stamp: Stamp) -> dict[str, Any]:
    """A StampOut."""
    data = {
        "event_id": str(stamp.event_id), "reference": stamp.notice.reference, "traveller_id": stamp.traveller_id,
        "document_number": stamp.traveller.document_number, "post": stamp.post.code, "kind": stamp.kind,
        "admission": stamp.admission, "reason": stamp.reason, "at": stamp.at.isoformat(),
        "received_at": stamp.received_at.isoformat(), "local_date": stamp.local_date.isoformat(),
        "officer": stamp.officer.user.get_username(),
    }
    if stamp.kind == StampKind.EXIT:
        data |= {"permits_returned": stamp.permits_returned, "permits_outstanding": stamp.permits_outstanding}
    return data
