"""The shapes of the crossings' answers (kordon.answers says how schemas and builders meet)."""

from kordon.answers import IsoDate, IsoMoment, MoneyText, Out


class OpeningHoursOut(Out):
    weekday: str
    opens: str
    closes: str


class ClosedDateOut(Out):
    date: IsoDate
    reason: str


class PostOut(Out):
    """Weekly hours in local time (an empty list: not published, open every day); closed dates from today on."""

    code: str
    name: str
    country: str
    timezone: str
    opening_hours: list[OpeningHoursOut]
    closed_dates: list[ClosedDateOut]


class ArrivalWindowOut(Out):
    early: int
    late: int


class ExitPermitOut(Out):
    code: str
    name: str
    direction: str


class CrossingFeeOut(Out):
    item: str
    amount: MoneyText
    currency: str


class RequirementsOut(Out):
    """Each requirement is false when not needed, or the text that says what is needed."""

    visa: str | bool
    car_tax: str | bool
    car_insurance: str | bool
    carnet: str | bool
    other: str | bool


class CrossingOut(Out):
    slug: str
    name: str
    countries: list[str]
    directions: list[str]
    lead_time_days: int
    document_validity_days: int
    arrival_window_days: ArrivalWindowOut
    altitude_m: int | None
    transit_hours: int
    exit_permits: list[ExitPermitOut]
    posts: list[PostOut]
    fees: list[CrossingFeeOut]
    requirements: RequirementsOut
    services_nearby: str
    notes: str
    what_to_bring: str
    seasonal_notes: str
    transport_between_posts: str
    rules_changed_at: IsoMoment | None
    open: bool
