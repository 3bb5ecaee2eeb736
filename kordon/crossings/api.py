"""Crossings over JSON, public (see /api/v1/openapi.json)."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from kordon.crossings.models import Crossing, Post, Weekday
from kordon.crossings.schemas import CrossingOut

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
        "transit_hours": crossing.transit_hours,
        "exit_permits": [{"code": p.code, "name": p.name, "direction": p.direction.code}
                         for p in crossing.exit_permits.all()],
        "posts": [post_json(p) for p in posts],
        "fees": [
            {"item": f.item, "amount": f"{f.amount:.2f}", "currency": f.currency} for f in crossing.fee_lines.all()
        ],
        "requirements": crossing.requirements(),
        "services_nearby": crossing.services_nearby,
        "notes": crossing.notes,
        "what_to_bring": crossing.what_to_bring,
        "seasonal_notes": crossing.seasonal_notes,
        "transport_between_posts": crossing.transport_between_posts,
        "rules_changed_at": last.at.isoformat() if (last := crossing.last_change()) else None,
        "open": crossing.is_open,
    }


def post_json(post: Post) -> dict[str, Any]:
    """A post with its weekly hours (local time; an empty list: not published, open every day) and its
    closed dates from today on."""
    today = post.local_today()
    return {
        "code": post.code, "name": post.name, "country": post.country, "timezone": post.timezone,
        "opening_hours": [
            {"weekday": Weekday(h.weekday).name.lower(), "opens": f"{h.opens:%H:%M}", "closes": f"{h.closes:%H:%M}"}
            for h in post.opening_hours.all()
        ],
        "closed_dates": [
            {"date": c.date.isoformat(), "reason": c.reason} for c in post.closed_dates.all() if c.date >= today
        ],
    }


def _crossings() -> Any:
    return Crossing.objects.prefetch_related("posts__opening_hours", "posts__closed_dates", "directions", "fee_lines",
                                             "exit_permits__direction")


@router.get("", summary="List crossings", response=list[CrossingOut], exclude_unset=True)
def list_crossings(request: HttpRequest) -> list[dict[str, Any]]:
    return [crossing_json(c) for c in _crossings()]


@router.get("/{slug}", summary="One crossing with its posts, fees and requirements", response=CrossingOut,
            exclude_unset=True)
def get_crossing(request: HttpRequest, slug: str) -> dict[str, Any]:
    return crossing_json(get_object_or_404(_crossings(), slug=slug))
