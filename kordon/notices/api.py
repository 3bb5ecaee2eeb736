"""Notices over JSON: file, read, amend, cancel (see /api/v1/openapi.json)."""

from datetime import date
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from kordon import throttle
from kordon.audit.services import Actor, record
from kordon.crossings.models import Crossing, VehicleKind
from kordon.days import Day
from kordon.notices import services
from kordon.notices.access import (
    actor_of,
    filing_owner,
    guard_lookup,
    lookup_failed,
    owned_notice,
    readable_notice,
)
from kordon.notices.inputs import NoticeInput, TravellerInput, VehicleInput
from kordon.notices.schemas import CancelledNoticeOut, FiledNoticeOut, NoticeOut, NoticeStatusOut
from kordon.posts.auth import officer_for
from kordon.problems import Refused

router = Router()

Alpha3 = Field(pattern=r"^([A-Za-z]{3}|[Dd])$",
               description="ISO 3166-1 alpha-3 or an ICAO 9303 code (D, XXA, UNO…), as in the passport's MRZ")
Alpha2 = Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2")


class ContactIn(Schema):
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=32, pattern=r"^[+0-9 ()\-]*$")

    @field_validator("email")
    @classmethod
    def email_is_valid(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError(_("Enter an email address such as name@example.org")) from None
        return value


class TravellerIn(Schema):
    surname: str = Field(min_length=1, max_length=100)
    given_names: str = Field("", max_length=100)
    nationality: str = Alpha3
    sex: Literal["F", "M", "X"]
    date_of_birth: Day
    document_number: str = Field(min_length=3, max_length=20, pattern=r"^[A-Za-z0-9 <-]+$")
    document_expiry: Day
    mrz: list[str] = Field(default_factory=list, max_length=3)

    @field_validator("date_of_birth")
    @classmethod
    def born_already(cls, value: date) -> date:
        if value > date.today():
            raise ValueError("The date of birth cannot be in the future")
        return value


class VehicleIn(Schema):
    plate: str = Field(min_length=1, max_length=20)
    country: str = Alpha2
    kind: VehicleKind
    make: str = Field("", max_length=60)
    model: str = Field("", max_length=60)


class NoticeIn(Schema):
    crossing: str = Field(max_length=50)
    direction: str = Field(max_length=5)
    expected_date: Day
    contact: ContactIn = Field(default_factory=lambda: ContactIn(email="", phone=""))
    travellers: list[TravellerIn] = Field(min_length=1, max_length=services.MAX_PARTY)
    vehicle: VehicleIn | None = None


class AmendIn(Schema):
    expected_date: Day


class LookupIn(Schema):
    reference: str = Field(max_length=20)
    document_number: str = Field(max_length=20)
    date_of_birth: date


def notice_input(payload: NoticeIn, idempotency_key: str) -> NoticeInput:
    """What a filing body asks for (also each item of an agency's batch)."""
    crossing = Crossing.objects.filter(slug=payload.crossing).first()
    if crossing is None:
        raise Refused.one("crossing", "not_found",
                          _("There is no crossing “%(slug)s”. See GET /api/v1/crossings.") % {"slug": payload.crossing})
    v = payload.vehicle
    return NoticeInput(
        crossing=crossing, direction=payload.direction, expected_date=payload.expected_date,
        email=payload.contact.email, phone=payload.contact.phone, idempotency_key=idempotency_key,
        travellers=[TravellerInput(**t.model_dump()) for t in payload.travellers],
        vehicle=VehicleInput(v.plate, v.country, v.kind.value, v.make, v.model) if v else None,
    )


@router.post("", summary="File a notice", response={200: FiledNoticeOut, 201: FiledNoticeOut}, exclude_unset=True)
def file_notice(request: HttpRequest, payload: NoticeIn) -> Status[dict[str, Any]]:
    key = request.headers.get("Idempotency-Key", "")[:200]
    owner = filing_owner(request)
    if owner is None:
        throttle.check(request, "file_notice")
    filed = services.file_notice(notice_input(payload, key), owner=owner)
    # A replay answers the notice without a token: the token was given once, to the first answer.
    body = services.as_json(filed.notice) | {"access_token": filed.access_token}
    return Status(201 if filed.created else 200, body)


@router.post("/lookup", summary="A notice's status from its reference, a traveller's passport number and date of birth",
             response=NoticeStatusOut, exclude_unset=True)
def lookup(request: HttpRequest, payload: LookupIn) -> dict[str, Any]:
    guard_lookup(request)
    notice = services.look_up(payload.reference, payload.document_number, payload.date_of_birth)
    if notice is None:
        lookup_failed(request)
        raise Refused.one(None, "not_found", str(services.LOOKUP_MISMATCH))
    return services.status_json(notice)


@router.get("/{reference}", summary="Read a notice (access token or officer token)", response=NoticeOut,
            exclude_unset=True)
def get_notice(request: HttpRequest, reference: str, response: HttpResponse) -> dict[str, Any]:
    response["Cache-Control"] = "no-store, private"  # personal data: no cache keeps a copy
    notice = readable_notice(request, reference)
    officer = officer_for(request)
    if officer is not None:  # an officer saw a traveller's data: recorded (the traveller's own reads are not)
        record(Actor.of_user(officer.user), "notice.read", reference=notice.reference, obj=notice)
    return services.as_json(notice)


@router.post("/{reference}/amend", summary="Move a notice to another date", response=NoticeOut, exclude_unset=True)
def amend(request: HttpRequest, reference: str, payload: AmendIn) -> dict[str, Any]:
    notice = services.amend_date(owned_notice(request, reference), payload.expected_date, actor_of(request))
    return services.as_json(notice)


@router.post("/{reference}/travellers", summary="Add a traveller to the party", response={201: NoticeOut},
             exclude_unset=True)
def add_traveller(request: HttpRequest, reference: str, payload: TravellerIn) -> Status[dict[str, Any]]:
    notice = services.add_traveller(owned_notice(request, reference), TravellerInput(**payload.model_dump()),
                                    actor_of(request))
    return Status(201, services.as_json(notice))


@router.post("/{reference}/cancel", summary="Cancel a notice; what was paid is refunded per the crossing's rule",
             response=CancelledNoticeOut, exclude_unset=True)
def cancel(request: HttpRequest, reference: str) -> dict[str, Any]:
    cancelled = services.cancel(owned_notice(request, reference), actor_of(request))
    return services.as_json(cancelled.notice) | {"refund": cancelled.refund.as_dict()}


