"""The post console: today's list, search, stamp, admit, refuse. Officers log in; each sees one post."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kordon.crossings.opening import PostCalendar
from kordon.days import parse_day
from kordon.languages import path_without_language
from kordon.notices.models import Traveller
from kordon.payments.services import PartyPayments, party_payments
from kordon.posts import services
from kordon.posts.access import officer_required
from kordon.posts.models import Officer
from kordon.problems import Refused


@officer_required
def home(request: HttpRequest, officer: Officer) -> HttpResponse:
    post = officer.post
    today = post.local_today()
    day = parse_day(request.GET.get("date", "")) or today
    calendar = PostCalendar.of(post)
    travellers = list(services.entry_list(post, day, calendar))
    entries = [(t, next(iter(t.stamps.all()), None), *party)
               for t, party in zip(travellers, _parties(travellers), strict=True)]
    context = {
        "officer": officer, "post": post, "day": day, "today": today, "entries": entries,
        "tomorrow": today + timedelta(days=1),
        "stamped": sum(1 for entry in entries if entry[1] and entry[1].local_date == day),
        "open": calendar.is_open(day), "closed_reason": calendar.why_closed(day),
        "next_open": calendar.next_open(day),
    }
    return render(request, "posts/list.html", context)


@officer_required
def search(request: HttpRequest, officer: Officer) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    today = officer.post.local_today()
    found = list(services.search(officer.post, query)) if query else []
    results = [(t, services.listing(t.notice, today), next(iter(t.stamps.all()), None), *party)
               for t, party in zip(found, _parties(found), strict=True)]
    return render(request, "posts/search.html",
                  {"officer": officer, "post": officer.post, "q": query, "results": results, "today": today})


def _parties(travellers: list[Traveller]) -> list[tuple[PartyPayments, bool]]:
    """What each traveller's party owes (two queries in all), and whether this is the party's first
    row: the cash form is shown once per party."""
    parties = party_payments({t.notice for t in travellers})
    seen: set[int] = set()
    rows = []
    for t in travellers:
        rows.append((parties[t.notice_id], t.notice_id not in seen))
        seen.add(t.notice_id)
    return rows


def _traveller(officer: Officer, traveller_id: str) -> Traveller | None:
    return services.arriving(officer.post).filter(pk=traveller_id if traveller_id.isdigit() else 0).first()


def _back(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    return HttpResponseRedirect(target if path_without_language(target).startswith("/post/") else reverse("posts:home"))


@require_POST
@officer_required
def stamp(request: HttpRequest, officer: Officer) -> HttpResponse:
    traveller = _traveller(officer, request.POST.get("traveller", ""))
    if traveller is None:
        messages.error(request, _("That traveller does not arrive at this post."))
        return _back(request)
    try:
        result = services.stamp_entry(officer, officer.post, traveller, reason=request.POST.get("reason", ""))
    except Refused as refused:
        messages.error(request, " ".join(p.message for p in refused.problems))
        return _back(request)
    name = traveller.full_name
    if not result.created:
        messages.success(request, _("%(name)s was already stamped earlier.") % {"name": name})
    elif result.stamp.admission:
        messages.success(request, _("Admitted: %(name)s.") % {"name": name})
    else:
        messages.success(request, _("Stamped: %(name)s.") % {"name": name})
    return _back(request)


@require_POST
@officer_required
def refuse(request: HttpRequest, officer: Officer) -> HttpResponse:
    traveller = _traveller(officer, request.POST.get("traveller", ""))
    try:
        services.refuse_entry(officer, officer.post, reason=request.POST.get("reason", ""), traveller=traveller,
                              document_number=request.POST.get("document_number", ""),
                              name=request.POST.get("name", ""))
    except Refused as refused:
        messages.error(request, " ".join(p.message for p in refused.problems))
        return _back(request)
    messages.success(request, _("Refusal recorded."))
    return _back(request)


@require_POST
@officer_required
def language(request: HttpRequest, officer: Officer) -> HttpResponse:
    """The console's language switch: the officer's own preference, kept on their account."""
    services.choose_language(officer, request.POST.get("language", ""))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("posts:home")
    return HttpResponseRedirect(translate_url(path_without_language(back), officer.language or "en"))
