"""The shapes of the notices' answers (kordon.answers says how schemas and builders meet)."""

from pydantic import Field

from kordon.answers import IsoDate, IsoMoment, MoneyText, Out


class ContactOut(Out):
    email: str
    phone: str


class FeeLineOut(Out):
    item: str = Field(description="`person` or `vehicle:<kind>`")
    quantity: int
    unit_amount: MoneyText
    amount: MoneyText
    exemption: str = Field("", description="Present only on a line of travellers who pay nothing: why")


class FeeOut(Out):
    total: MoneyText
    currency: str
    lines: list[FeeLineOut]


class TravellerOut(Out):
    id: int
    surname: str
    given_names: str
    nationality: str
    sex: str
    date_of_birth: IsoDate
    document_number: str
    document_expiry: IsoDate
    stamped: bool
    stamped_at: IsoMoment | None


class VehicleOut(Out):
    plate: str
    country: str
    kind: str
    make: str
    model: str


class NoticeOut(Out):
    """A notice as its traveller and the officers of its posts see it; never its access token."""

    reference: str
    display_reference: str
    status: str
    payment_status: str = Field(description="`unpaid`, `partially_paid`, `paid` or `refunded`")
    crossing: str
    direction: str
    expected_date: IsoDate
    arrival_window: list[IsoDate] = Field(description="The first and last day the notice is listed")
    receiving_post: str
    contact: ContactOut
    fee: FeeOut
    travellers: list[TravellerOut]
    vehicle: VehicleOut | None


class FiledNoticeOut(NoticeOut):
    access_token: str | None = Field(description="Shown once, to the first answer; null when a filing is replayed")


class RefundOut(Out):
    status: str = Field(description="`none_due`, `refunded`, `owed`, `refused` or `failed`")
    code: str | None
    message: str
    receipts: list[str]


class CancelledNoticeOut(NoticeOut):
    refund: RefundOut


class NoticeStatusOut(Out):
    """What anyone who knows the three answers may learn: nothing personal."""

    reference: str
    status: str
    expected_date: IsoDate
    payment_status: str
    listed_from: IsoDate
    listed_until: IsoDate
