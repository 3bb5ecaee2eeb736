"""An agency's own endpoints (agency tokens): its notices (see /api/v1/openapi.json)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from kordon.agencies.access import agency_owner
from kordon.agencies.models import AgencyNotice
from kordon.days import Day
from kordon.notices import services as notices
from kordon.notices.models import NoticeStatus
from kordon.notices.owners import READ

router = Router()


class NoticesQuery(Schema):
    expected_date: Day | None = None
    status: NoticeStatus | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


@router.get("/notices", summary="The agency's notices, newest first (read scope)")
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
