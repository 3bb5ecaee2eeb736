"""What offline posts do on the server: take the events a device pushes (one by one, idempotent by
event id), hand an officer the key their device encrypts its data with, and act when a device is lost."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from kordon.audit.services import Actor, record
from kordon.crossings.models import Post
from kordon.notices.models import Traveller
from kordon.notices.references import normalize
from kordon.offline.models import DeviceEvent, Outcome
from kordon.posts import services as posts
from kordon.posts.access import require_post
from kordon.posts.models import Officer, Stamp, StampKind
from kordon.problems import Problem, Refused
from kordon.text import compact

MAX_EVENTS = 500


class EventIn(BaseModel):
    """One event as a device sends it (the OpenAPI document, /api/v1/openapi.json: `POST /posts/{code}/events`)."""

    model_config = ConfigDict(extra="ignore")

    event_id: uuid.UUID
    kind: Literal["entry", "exit", "refusal"]
    at: AwareDatetime
    reference: str = Field("", max_length=20)
    document_number: str = Field("", max_length=20)
    reason: str = Field("", max_length=1000)
    name: str = Field("", max_length=200)
    permits_returned: list[str] = Field(default_factory=list, max_length=20)


@dataclass(frozen=True)
class Applied:
    outcome: str
    stamp: Stamp | None = None
    errors: tuple[Problem, ...] = ()
    refusal_id: int | None = None


def push_events(officer: Officer, post: Post, device: str, events: list[Any]) -> list[dict[str, Any]]:
    """Record each event on its own (a bad one never rejects the others); the results in the order sent.

    The batch is one transaction, each event in a savepoint of its own: an event that fails is undone
    alone, and 500 events cost one commit, not 500. The earlier events of the batch's ids and the
    travellers it names are read in one query each. If the transaction as a whole fails (the database
    is gone, a deadlock with another device's batch), nothing of it happened: the answer is a 503 and
    the device sends the batch again, which replays what it can.
    """
    require_post(officer, post)
    parsed = [_parse(raw) for raw in events]
    ids = [event.event_id if event else _event_id(raw) for raw, event, _ in parsed]
    known = {e.event_id: e for e in _with_stamps(DeviceEvent.objects.filter(event_id__in=[i for i in ids if i]))}
    travellers = _travellers(post, [event for _, event, _ in parsed if event is not None])
    with transaction.atomic():
        return [_receive(officer, post, device, raw, event, error, known, travellers) for raw, event, error in parsed]


def _parse(raw: Any) -> tuple[Any, EventIn | None, ValidationError | None]:
    try:
        return raw, EventIn.model_validate(raw), None
    except ValidationError as exc:
        return raw, None, exc


def _with_stamps(events: Any) -> Any:
    return events.select_related("stamp__notice", "stamp__traveller", "stamp__post", "stamp__officer__user")


Travellers = dict[tuple[str, str, str], Traveller]


def _travellers(post: Post, events: list[EventIn]) -> Travellers:
    """The travellers the batch's stamps and exits name, by (kind, reference, document), in one query;
    one not found here is looked up again on its own, which says why."""
    wanted = {(StampKind.ENTRY if e.kind == "entry" else StampKind.EXIT, normalize(e.reference) or "",
               compact(e.document_number)) for e in events if e.kind in ("entry", "exit")}
    references = {ref for _, ref, _ in wanted if ref}
    if not references:
        return {}
    found: Travellers = {}
    rows = (Traveller.objects.select_related("notice__crossing", "notice__direction")
            .filter(notice__reference__in=references)
            .filter(Q(notice__direction__to_post=post) | Q(notice__direction__from_post=post)))
    for traveller in rows:
        direction = traveller.notice.direction
        for kind, here in ((StampKind.ENTRY, direction.to_post_id), (StampKind.EXIT, direction.from_post_id)):
            key = (kind, traveller.notice.reference, traveller.document_key)
            if here == post.pk and key in wanted:
                found[key] = traveller
    return found


def _receive(officer: Officer, post: Post, device: str, raw: Any, event: EventIn | None,
             error: ValidationError | None, known: dict[uuid.UUID, DeviceEvent], travellers: Travellers
             ) -> dict[str, Any]:
    if event is None:
        assert error is not None
        return _malformed(officer, post, device, raw, error, known)
    earlier = known.get(event.event_id)
    if earlier is not None:
        return _replay(earlier, post)
    try:
        with transaction.atomic():
            applied = _apply(officer, post, event, travellers)
            stored = _store(officer, post, device, raw, event, applied)
    except IntegrityError:  # the same event arrived in another request a moment ago
        return _replay(_with_stamps(DeviceEvent.objects).get(event_id=event.event_id), post)
    known[event.event_id] = stored  # the same event twice in one batch: the second is a replay
    return result_json(stored)


def _apply(officer: Officer, post: Post, event: EventIn, travellers: Travellers) -> Applied:
    try:
        posts.device_time(event.at)
        if event.kind == "refusal":
            return _refuse(officer, post, event)
        return _stamp(officer, post, event, travellers)
    except Refused as refused:
        return Applied(Outcome.REFUSED, errors=tuple(refused.problems))


def _stamp(officer: Officer, post: Post, event: EventIn, travellers: Travellers) -> Applied:
    kind = StampKind.ENTRY if event.kind == "entry" else StampKind.EXIT
    traveller = travellers.get((kind, normalize(event.reference) or "", compact(event.document_number)))
    if traveller is None:  # raises, saying what is wrong with the reference or the document
        traveller = posts.find_traveller(post, event.reference, event.document_number, kind)
    # Both return the stamp that already stands (another device, the online console) rather than make
    # a second: the unique constraint decides, not a read before.
    if kind == StampKind.ENTRY:
        result = posts.stamp_entry(officer, post, traveller, event_id=event.event_id, reason=event.reason,
                                   at=event.at)
    else:
        result = posts.register_exit(officer, post, traveller, permits_returned=event.permits_returned,
                                     event_id=event.event_id, reason=event.reason, at=event.at)
    if result.created or result.stamp.event_id == event.event_id:
        return Applied(Outcome.RECORDED, result.stamp)
    return Applied(Outcome.CONFLICT, result.stamp)


def _refuse(officer: Officer, post: Post, event: EventIn) -> Applied:
    traveller = None
    if event.reference:
        traveller = _traveller_here(post, event.reference, event.document_number)
    refusal = posts.refuse_entry(officer, post, reason=event.reason, traveller=traveller,
                                 document_number=event.document_number, name=event.name, at=event.at)
    return Applied(Outcome.RECORDED, refusal_id=refusal.pk)


def _traveller_here(post: Post, reference: str, document_number: str) -> Traveller:
    """The traveller arriving at the post, or else leaving through it."""
    try:
        return posts.find_traveller(post, reference, document_number, StampKind.ENTRY)
    except Refused:
        return posts.find_traveller(post, reference, document_number, StampKind.EXIT)


def _store(officer: Officer, post: Post, device: str, raw: Any, event: EventIn, applied: Applied) -> DeviceEvent:
    stored = DeviceEvent.objects.create(
        event_id=event.event_id, post=post, officer=officer, device=device, kind=event.kind,
        payload=raw, device_at=event.at, outcome=applied.outcome, stamp=applied.stamp,
        refusal_id=applied.refusal_id, errors=[p.as_dict() for p in applied.errors],
    )
    record(Actor.of_user(officer.user), f"offline.{applied.outcome}", reference=_reference(event), obj=stored,
           event_id=str(event.event_id), kind=event.kind, device=device, device_at=event.at.isoformat(),
           received_at=stored.received_at.isoformat(), stamp=applied.stamp.pk if applied.stamp else None,
           errors=stored.errors)
    return stored


def _reference(event: EventIn) -> str:
    return event.reference.strip().upper().replace("-", "")[:10]


def _malformed(officer: Officer, post: Post, device: str, raw: Any, exc: ValidationError,
               known: dict[uuid.UUID, DeviceEvent]) -> dict[str, Any]:
    problems = [Problem(".".join(str(p) for p in error["loc"]) or None, "invalid",
                        str(error["msg"]).removeprefix("Value error, ")) for error in exc.errors()]
    event_id = _event_id(raw)
    if event_id is None:  # nothing to keep it under: the device must fix it and send it again
        return {"event_id": raw.get("event_id") if isinstance(raw, dict) else None, "outcome": Outcome.REFUSED,
                "errors": [p.as_dict() for p in problems]}
    earlier = known.get(event_id)
    if earlier is not None:
        return _replay(earlier, post)
    with transaction.atomic():
        stored = DeviceEvent.objects.create(event_id=event_id, post=post, officer=officer, device=device,
                                            kind=str(raw.get("kind", ""))[:10], payload=raw,
                                            outcome=Outcome.REFUSED, errors=[p.as_dict() for p in problems])
        record(Actor.of_user(officer.user), "offline.refused", obj=stored, event_id=str(event_id), device=device,
               received_at=stored.received_at.isoformat(), errors=stored.errors)
    known[event_id] = stored
    return result_json(stored)


def _event_id(raw: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw["event_id"]))
    except (TypeError, KeyError, ValueError):
        return None


def _replay(earlier: DeviceEvent, post: Post) -> dict[str, Any]:
    if earlier.post_id != post.pk:
        return {"event_id": str(earlier.event_id), "outcome": Outcome.REFUSED, "errors": [Problem(
            "event_id", "invalid", _("This event id was already used at another post. Send a new one.")).as_dict()]}
    return result_json(earlier) | {"outcome": "replayed", "first_outcome": earlier.outcome}


def result_json(event: DeviceEvent) -> dict[str, Any]:
    result: dict[str, Any] = {"event_id": str(event.event_id), "outcome": event.outcome}
    if event.stamp is not None:
        result["stamp"] = stamp_json(event.stamp)
    if event.errors:
        result["errors"] = event.errors
    if event.outcome == Outcome.CONFLICT:
        result["errors"] = [Problem(None, "conflict", _(
            "This traveller was already stamped by another event; the first stamp stands and a supervisor "
            "will look at this one.")).as_dict()]
    return result


def stamp_json(stamp: Stamp) -> dict[str, Any]:
    return {"event_id": str(stamp.event_id), "kind": stamp.kind, "traveller_id": stamp.traveller_id,
            "post": stamp.post.code, "at": stamp.at.isoformat(), "received_at": stamp.received_at.isoformat(),
            "officer": stamp.officer.user.get_username(), "admission": stamp.admission,
            "permits_outstanding": stamp.permits_outstanding}


# ---------------------------------------------------------------------------------------------
# Supervisors' review


def to_review(post: Post) -> list[DeviceEvent]:
    """Conflicts and refused events of the post that no supervisor has resolved yet, oldest first."""
    return list(DeviceEvent.objects.select_related("officer__user", "stamp__officer__user", "stamp__traveller",
                                                   "stamp__notice")
                .filter(post=post, outcome__in=[Outcome.CONFLICT, Outcome.REFUSED], resolved_at__isnull=True)
                .order_by("received_at"))


def resolve_event(supervisor: Officer, event: DeviceEvent, note: str) -> DeviceEvent:
    """A supervisor looked at a conflict or a refused event and says what was done about it."""
    if not supervisor.is_supervisor or supervisor.post_id != event.post_id:
        raise Refused.one(None, "forbidden", _("Only a supervisor of this post resolves its events."))
    if not note.strip():
        raise Refused.one("note", "invalid", _("Say what was found and done: the note is kept."))
    with transaction.atomic():
        changed = DeviceEvent.objects.filter(pk=event.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=supervisor, resolution=note.strip())
        if changed:
            record(Actor.of_user(supervisor.user), "offline.resolved", obj=event, event_id=str(event.event_id),
                   outcome=event.outcome, note=note.strip())
    event.refresh_from_db()
    return event


# ---------------------------------------------------------------------------------------------
# Device keys


@dataclass(frozen=True)
class DeviceKey:
    key: bytes
    key_id: str


def device_key(officer: Officer) -> DeviceKey:
    """The key the officer's device encrypts its offline data with: the same across logins (an outbox
    written before a session expired is readable after the next login), new after a lost device."""
    message = f"device-key|{officer.pk}|{officer.post.code}|{officer.device_key_epoch}"
    key = salted_hmac("kordon.offline.device-key", message, algorithm="sha256").digest()
    return DeviceKey(key, f"{officer.pk}.{officer.device_key_epoch}")
