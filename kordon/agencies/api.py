"""An agency's own endpoints (agency tokens): its notices (see /api/v1/openapi.json)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from kordon.agencies import services
from kordon.agencies.access import agency_owner
from kordon.agencies.auth import AgencyOwner
from kordon.agencies.models import AgencyNotice, Group, WebhookDelivery
from kordon.agencies.schemas import (
    AgencyNoticesOut,
    DeliveriesOut,
    FiledGroupOut,
    GroupCheckoutOut,
    GroupNoticesOut,
    GroupsOut,
)
from kordon.days import Day
from kordon.notices import services as notices
from kordon.notices.models import Notice, NoticeStatus
from kordon.notices.owners import FILE, PAY, READ
from kordon.payments import services as payments
from kordon.payments.models import PaymentBatch
from kordon.problems import Refused

router = Router()


class NoticesQuery(Schema):
    expected_date: Day | None = None
    status: NoticeStatus | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


@router.get("/notices", summary="The agency's notices, newest first (read scope)", response=AgencyNoticesOut,
            exclude_unset=True)
def list_notices(request: HttpRequest, query: Query[NoticesQuery], response: HttpResponse) -> dict[str, Any]:
    response["Cache-Control"] = "no-store, private"
    owner = agency_owner(request, READ)
    links = AgencyNotice.objects.filter(agency_id=owner.agency.pk)
    if query.expected_date is not None:
        links = links.filter(notice__expected_date=query.expected_date)
    if query.status is not None:
        links = links.filter(notice__status=query.status)
    page = list(
        links.select_related("notice__crossing", "notice__direction__to_post", "notice__vehicle", "group")
        .prefetch_related("notice__travellers__stamps")
        .order_by("-created_at", "-pk")[query.offset: query.offset + query.limit + 1]
    )
    more = len(page) > query.limit
    return {
        "agency": owner.agency.name,
        "notices": [notices.as_json(link.notice) | {"group": link.group_id} for link in page[: query.limit]],
        "next_offset": query.offset + query.limit if more else None,
    }


class GroupIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    # Each notice is checked on its own, so a malformed one is refused alone, not the whole request.
    notices: list[Any] = Field(default_factory=list, max_length=services.MAX_BATCH)


class MoreNoticesIn(Schema):
    notices: list[Any] = Field(min_length=1, max_length=services.MAX_BATCH)


class GroupPaymentIn(Schema):
    provider: str = Field(min_length=1, max_length=30, description="e.g. stripe, bank_transfer, sandbox")


def _group(owner: AgencyOwner, group_id: int) -> Group:
    group = Group.objects.filter(pk=group_id, agency_id=owner.agency.pk).first()
    if group is None:
        raise Refused.one(None, "not_found", _("No such group, or not this agency's."))
    return group


def _group_json(group: Group) -> dict[str, Any]:
    return {"id": group.pk, "name": group.name, "created_at": group.created_at.isoformat()}


def _filed(group: Group, results: list[dict[str, Any]]) -> dict[str, Any]:
    return {"group": _group_json(group), "results": results,
            "filed": sum(r["outcome"] == "filed" for r in results),
            "refused": sum(r["outcome"] == "refused" for r in results)}


@router.post("/groups", summary="File a group: many notices at once, each on its own, with a result per notice",
             response={201: FiledGroupOut}, exclude_unset=True)
def file_group(request: HttpRequest, payload: GroupIn) -> Status[dict[str, Any]]:
    owner = agency_owner(request, FILE)
    owner.guard_filing(request)
    group = services.new_group(owner.agency, payload.name, owner.actor)
    return Status(201, _filed(group, services.file_batch(owner, group, payload.notices)))


@router.post("/groups/{group_id}/notices", summary="Add notices to a group (as when filing one)",
             response=FiledGroupOut, exclude_unset=True)
def add_to_group(request: HttpRequest, group_id: int, payload: MoreNoticesIn) -> dict[str, Any]:
    owner = agency_owner(request, FILE)
    owner.guard_filing(request)
    group = _group(owner, group_id)
    return _filed(group, services.file_batch(owner, group, payload.notices))


@router.get("/groups", summary="The agency's groups, newest first", response=GroupsOut, exclude_unset=True)
def list_groups(request: HttpRequest) -> dict[str, Any]:
    owner = agency_owner(request, READ)
    groups = Group.objects.filter(agency_id=owner.agency.pk).order_by("-created_at", "-pk")[:500]
    return {"groups": [_group_json(g) for g in groups]}


def _group_notices(group: Group) -> list[Notice]:
    return list(Notice.objects.filter(agency_link__group=group).select_related(
        "crossing", "direction__to_post", "vehicle").prefetch_related("travellers__stamps").order_by("pk"))


@router.get("/groups/{group_id}", summary="A group: its notices and its payments", response=GroupNoticesOut,
            exclude_unset=True)
def get_group(request: HttpRequest, group_id: int, response: HttpResponse) -> dict[str, Any]:
    response["Cache-Control"] = "no-store, private"
    owner = agency_owner(request, READ)
    group = _group(owner, group_id)
    found = _group_notices(group)
    batches = PaymentBatch.objects.filter(payments__notice__in=found).distinct().order_by("created_at", "pk")
    return _group_json(group) | {"notices": [notices.as_json(n) for n in found],
                                 "payments": [batch_json(b) for b in batches]}


def batch_json(batch: PaymentBatch) -> dict[str, Any]:
    return {"id": batch.public_id, "provider": batch.provider, "status": batch.status,
            "amount": f"{batch.amount:.2f}", "currency": batch.currency, "created_at": batch.created_at.isoformat(),
            "receipt": {"number": batch.receipt_number, "lines": batch.receipt_lines} if batch.receipt_number else None}


@router.post("/groups/{group_id}/payments", summary="Pay for a whole group at once (one checkout, one receipt)",
             response={200: GroupCheckoutOut, 201: GroupCheckoutOut}, exclude_unset=True)
def pay_group(request: HttpRequest, group_id: int, payload: GroupPaymentIn) -> Status[dict[str, Any]]:
    owner = agency_owner(request, PAY)
    group = _group(owner, group_id)
    site_url = settings.KORDON_BASE_URL or request.build_absolute_uri("/").rstrip("/")
    checkout = payments.start_batch_payment(_group_notices(group), payload.provider, site_url, owner.actor,
                                            payer=owner.agency.name, email=owner.agency.contact_email,
                                            language=owner.agency.language)
    url = checkout.redirect_url
    body = batch_json(checkout.batch) | {"redirect_url": request.build_absolute_uri(url) if url else None,
                                         "instructions": checkout.instructions or None}
    return Status(201 if checkout.created else 200, body)


@router.get("/webhooks/deliveries", summary="The delivery log of the agency's webhooks, newest first",
            response=DeliveriesOut)
def deliveries(request: HttpRequest) -> dict[str, Any]:
    owner = agency_owner(request, READ)
    rows = WebhookDelivery.objects.filter(agency_id=owner.agency.pk).order_by("-created_at", "-pk")[:200]
    return {"webhook_url": owner.agency.webhook_url or None, "deliveries": [
        {"id": d.pk, "event": d.event, "status": d.status, "attempts": d.attempts,
         "last_status_code": d.last_status_code, "last_error": d.last_error or None,
         "created_at": d.created_at.isoformat(), "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None,
         "next_attempt_at": d.next_attempt_at.isoformat() if d.status == "retrying" else None,
         "payload": d.payload} for d in rows]}
