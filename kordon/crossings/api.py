from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from kordon.crossings.models import Crossing

router = Router()


def crossing_json(crossing: Crossing) -> dict[str, Any]:
    posts = list(crossing.posts.all())
    return {
        "slug": crossing.slug,
        "name": crossing.name,
        "countries": [p.country for p in posts],
        "directions": [d.code for d in crossing.directions.all()],
        "lead_time_days": crossing.lead_time_days,
        "document_validity_days": crossing.document_validity_days,
        "arrival_window_days": {"early": crossing.arrival_days_early, "late": crossing.arrival_days_late},
        "altitude_m": crossing.altitude_m,
        "posts": [{"code": p.code, "name": p.name, "country": p.country, "timezone": p.timezone} for p in posts],
        "fees": [
            {"item": f.item, "amount": f"{f.amount:.2f}", "currency": f.currency} for f in crossing.fee_lines.all()
        ],
        "requirements": crossing.requirements(),
        "services_nearby": crossing.services_nearby,
        "notes": crossing.notes,
        "open": crossing.is_open,
    }


def _crossings() -> Any:
    return Crossing.objects.prefetch_related("posts", "directions", "fee_lines")


@router.get("", summary="List crossings")
def list_crossings(request: HttpRequest) -> list[dict[str, Any]]:
    return [crossing_json(c) for c in _crossings()]


@router.get("/{slug}", summary="One crossing with its posts, fees and requirements")
def get_crossing(request: HttpRequest, slug: str) -> dict[str, Any]:
    return crossing_json(get_object_or_404(_crossings(), slug=slug))
