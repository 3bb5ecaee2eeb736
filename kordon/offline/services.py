"""What offline posts do on the server: take the events a device pushes (one by one, idempotent by
event id), hand an officer the key their device encrypts its data with, and act when a device is lost."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from kordon.audit.services import Actor, record
from kordon.crossings.models import Post
from kordon.notices.models import Traveller
from kordon.offline.models import DeviceEvent, Outcome
from kordon.posts import services as posts
from kordon.posts.access import require_post
from kordon.posts.models import Officer, Stamp, StampKind
from kordon.problems import Problem, Refused

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
    """Record each event on its own (a bad one never rejects the others); the results in the order sent."""
    require_post(officer, post)
    return [_receive(officer, post, device, raw) for raw in events]


def _receive(officer: Officer, post: Post, device: str, raw: Any) -> dict[str, Any]:
    try:
        event = EventIn.model_validate(raw)
    except ValidationError as exc:
        return _malformed(officer, post, device, raw, exc)
    earlier = DeviceEvent.objects.select_related("stamp__notice", "stamp__traveller", "stamp__post",
                                                 "stamp__officer__user").filter(event_id=event.event_id).first()
    if earlier is not None:
        return _replay(earlier, post)
    try:
        with transaction.atomic():
            applied = _apply(officer, post, event)
            stored = _store(officer, post, device, raw, event, applied)
    except IntegrityError:  # the same event arrived in another request a moment ago
        return _replay(DeviceEvent.objects.get(event_id=event.event_id), post)
    return result_json(stored)


def _apply(officer: Officer, post: Post, event: EventIn) -> Applied:
    try:
        posts.device_time(event.at)
        if event.kind == "refusal":
            return _refuse(officer, post, event)
        return _stamp(officer, post, event)
    except Refused as refused:
        return Applied(Outcome.REFUSED, errors=tuple(refused.problems))


def _stamp(officer: Officer, post: Post, event: EventIn) -> Applied:
    kind = StampKind.ENTRY if event.kind == "entry" else StampKind.EXIT
    traveller = posts.find_traveller(post, event.reference, event.document_number, kind)
    standing = Stamp.objects.filter(traveller=traveller, post=post, kind=kind).first()
    if standing is None:
        if kind == StampKind.ENTRY:
            result = posts.stamp_entry(officer, post, traveller, event_id=event.event_id, reason=event.reason,
                                       at=event.at)
        else:
            result = posts.register_exit(officer, post, traveller, permits_returned=event.permits_returned,
                                         event_id=event.event_id, reason=event.reason, at=event.at)
        standing = result.stamp
        if result.created:
            return Applied(Outcome.RECORDED, standing)
    # Already stamped by another event (another device, or the online console): never a second stamp.
    if standing.event_id == event.event_id:
        return Applied(Outcome.RECORDED, standing)
    return Applied(Outcome.CONFLICT, standing)


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


def _malformed(officer: Officer, post: Post, device: str, raw: Any, exc: ValidationError) -> dict[str, Any]:
    problems = [Problem(".".join(str(p) for p in error["loc"]) or None, "invalid",
                        str(error["msg"]).removeprefix("Value error, ")) for error in exc.errors()]
    event_id = _event_id(raw)
    if event_id is None:  # nothing to keep it under: the device must fix it and send it again
        return {"event_id": raw.get("event_id") if isinstance(raw, dict) else None, "outcome": Outcome.REFUSED,
                "errors": [p.as_dict() for p in problems]}
    earlier = DeviceEvent.objects.filter(event_id=event_id).first()
    if earlier is not None:
        return _replay(earlier, post)
    with transaction.atomic():
        stored = DeviceEvent.objects.create(event_id=event_id, post=post, officer=officer, device=device,
                                            kind=str(raw.get("kind", ""))[:10], payload=raw,
                                            outcome=Outcome.REFUSED, errors=[p.as_dict() for p in problems])
        record(Actor.of_user(officer.user), "offline.refused", obj=stored, event_id=str(event_id), device=device,
               received_at=stored.received_at.isoformat(), errors=stored.errors)
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
