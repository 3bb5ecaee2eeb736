"""The shapes of the offline posts' answers (kordon.answers says how schemas and builders meet)."""

from typing import Any

from pydantic import Field

from kordon.answers import IsoDate, IsoMoment, Out, ProblemOut
from kordon.seals.schemas import CheckedTrustOut


class PermitOut(Out):
    code: str
    name: str


class OfflineEntryOut(Out):
    """One traveller a device holds: arriving (`kind` entry) or leaving (`kind` exit) through the post."""

    traveller_id: int
    reference: str
    kind: str
    surname: str
    given_names: str
    nationality: str
    document_number: str
    date_of_birth: IsoDate
    vehicle_plate: str | None
    expected_date: IsoDate
    listed_from: IsoDate
    listed_until: IsoDate
    notice_status: str
    payment_status: str
    payment_required: bool
    seal_id: str | None
    stamped: bool
    exited: bool
    exited_at: IsoMoment | None
    due_by: IsoMoment | None
    overdue: bool
    permits: list[PermitOut]
    permits_outstanding: list[str]


class SyncOut(Out):
    post: str
    cursor: str = Field(description="Send it back as `since` to get only what changed")
    generated_at: IsoMoment
    full: bool = Field(description="True: the whole set, replacing what the device holds")
    days: list[IsoDate]
    entries: list[OfflineEntryOut]
    removed: list[int] = Field(description="Travellers the device must drop")
    trust: CheckedTrustOut | None = Field(description="The trust material; null in a delta when it did not change "
                                                      "since the cursor (the device keeps its copy)")
    trust_version: str = Field(description="A digest of what the trust material is made of")


class DeviceStampOut(Out):
    event_id: str
    kind: str
    traveller_id: int
    post: str
    at: IsoMoment
    received_at: IsoMoment
    officer: str
    admission: bool
    permits_outstanding: list[str]


class EventResultOut(Out):
    event_id: Any = Field(description="The event's id (a UUID); as sent, or null, when the event could not be read")
    outcome: str = Field(description="`recorded`, `conflict`, `refused` or `replayed`")
    first_outcome: str = Field("", description="A replay: what the event's first sending came to")
    stamp: DeviceStampOut | None = Field(None, description="The stamp the event made, or the one that stands")
    errors: list[ProblemOut] = Field(default_factory=list)


class EventsOut(Out):
    results: list[EventResultOut]
