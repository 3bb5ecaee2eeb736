"""Sync and events for a post's devices over JSON (see /api/v1/openapi.json; docs/architecture.md, "Offline posts")."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kordon.audit.services import Actor, record
from kordon.offline import services, sync
from kordon.offline.schemas import EventsOut, SyncOut
from kordon.posts.access import officer_at

router = Router()


class SyncQuery(Schema):
    since: str | None = Field(None, max_length=1000)


class EventsIn(Schema):
    device: str = Field("", max_length=100)
    # Each event is checked on its own, so a malformed one is refused alone, not the whole request.
    events: list[Any] = Field(max_length=services.MAX_EVENTS)


@router.get("/{code}/sync", summary="Everything the post's device needs offline, or what changed since a cursor",
            response=SyncOut, exclude_unset=True)
def sync_post(request: HttpRequest, code: str, query: Query[SyncQuery]) -> dict[str, Any]:
    officer, post = officer_at(request, code)
    result = sync.sync(post, query.since)
    record(Actor.of_user(officer.user), "offline.sync", full=result.full, entries=result.entries,
           removed=result.removed, post=post.code)
    return result.body


@router.post("/{code}/events", summary="Stamps, exits and refusals recorded on a device, pushed later",
             response=EventsOut, exclude_unset=True)
def push_events(request: HttpRequest, code: str, payload: EventsIn) -> dict[str, Any]:
    officer, post = officer_at(request, code)
    return {"results": services.push_events(officer, post, payload.device, payload.events)}
