"""The shapes of an agency's answers (kordon.answers says how schemas and builders meet)."""

from typing import Any

from pydantic import Field

from kordon.answers import IsoMoment, MoneyText, Out, ProblemOut
from kordon.notices.schemas import FeeOut, NoticeOut


class AgencyNoticeOut(NoticeOut):
    group: int | None = Field(description="The agency's group the notice belongs to, if any")


class AgencyNoticesOut(Out):
    agency: str
    notices: list[AgencyNoticeOut]
    next_offset: int | None = Field(description="Where the next page starts; null on the last page")


class GroupOut(Out):
    id: int
    name: str
    created_at: IsoMoment


class GroupsOut(Out):
    groups: list[GroupOut]


class FiledItemOut(Out):
    """One notice of a batch: filed (or replayed) with its reference and fee, or refused with why."""

    index: int
    outcome: str = Field(description="`filed`, `replayed` or `refused`")
    reference: str = Field("", description="Filed or replayed")
    status: str = Field("", description="Filed or replayed")
    fee: FeeOut | None = Field(None, description="Filed or replayed")
    access_token: str = Field("", description="Shown once, when the notice is first filed")
    errors: list[ProblemOut] = Field(default_factory=list, description="Refused: every problem")


class FiledGroupOut(Out):
    group: GroupOut
    results: list[FiledItemOut]
    filed: int
    refused: int


class BatchLineOut(Out):
    reference: str
    display_reference: str
    travellers: int
    amount: MoneyText
    receipt_number: str


class BatchReceiptOut(Out):
    number: str
    lines: list[BatchLineOut]


class BatchOut(Out):
    id: str
    provider: str
    status: str
    amount: MoneyText
    currency: str
    created_at: IsoMoment
    receipt: BatchReceiptOut | None = Field(description="Once the group's payment succeeded: one receipt")


class GroupNoticesOut(GroupOut):
    notices: list[NoticeOut]
    payments: list[BatchOut]


class GroupCheckoutOut(BatchOut):
    redirect_url: str | None = Field(description="Where the payer goes next, or null")
    instructions: str | None = Field(description="What to do instead (a bank transfer), or null")


class DeliveryOut(Out):
    """One webhook delivery: the event, where it stands, and what the agency's server last answered."""

    id: int
    event: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    created_at: IsoMoment
    delivered_at: IsoMoment | None
    next_attempt_at: IsoMoment | None = Field(description="When it is tried again; null unless retrying")
    payload: dict[str, Any]


class DeliveriesOut(Out):
    webhook_url: str | None
    deliveries: list[DeliveryOut]
