"""The public page of a crossing: what the authority asks of travellers, kept in the admin."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kordon.crossings.models import Crossing
from kordon.crossings.opening import PostCalendar
from kordon.crossings.rates import estimates

CLOSED_DATES_SHOWN_DAYS = 366


def crossing_page(request: HttpRequest, slug: str) -> HttpResponse:
    crossing = get_object_or_404(
        Crossing.objects.prefetch_related("posts__opening_hours", "posts__closed_dates", "fee_lines",
                                          "fee_exemptions", "directions"),
        slug=slug,
    )
    posts = []
    for post in crossing.posts.all():
        today = post.local_today()
        closed = [c for c in post.closed_dates.all() if today <= c.date <= today + timedelta(CLOSED_DATES_SHOWN_DAYS)]
        posts.append({"post": post, "hours": list(post.opening_hours.all()), "closed": closed,
                      "open_today": PostCalendar.of(post).is_open(today)})
    fees = [{"line": line, "estimates": estimates(line.amount, line.currency, crossing)}
            for line in crossing.fee_lines.all()]
    context = {
        "crossing": crossing, "posts": posts, "fees": fees, "requirements": crossing.requirements(),
        "bring": [line.strip() for line in crossing.what_to_bring.splitlines() if line.strip()],
        "changes": crossing.changes.select_related(None)[:10],
    }
    return render(request, "crossings/page.html", context)
