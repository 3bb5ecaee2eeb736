"""The post console: today's list, search, stamp, admit, refuse. Officers log in; each sees one post."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kordon.crossings.models import ExitPermit
from kordon.crossings.opening import PostCalendar
from kordon.days import parse_day
from kordon.languages import path_without_language
from kordon.notices.models import Traveller
from kordon.payments.balance import PartyPayments, party_payments
from kordon.posts import services
from kordon.posts.access import back_to_console, officer_required
from kordon.posts.models import Officer, StampKind
from kordon.problems import Refused


@officer_required
def home(request: HttpRequest, officer: Officer) -> HttpResponse:
    post = officer.post
    today = post.local_today()
    day = parse_day(request.GET.get("date", "")) or today
    calendar = PostCalendar.of(post)
    travellers = list(services.entry_list(post, day, calendar))
    services.record_read(officer, "entry_list.read", post=post.code, date=day.isoformat(), travellers=len(travellers))
    entries = [(t, services.entry_stamp(t, post), *party)
               for t, party in zip(travellers, _parties(travellers), strict=True)]
    # One passport on two notices for the day: the officer checks who holds it (docs/duplicates.md).
    context = {
        "officer": officer, "post": post, "day": day, "today": today, "entries": entries,
        "tomorrow": today + timedelta(days=1),
        "stamped": sum(1 for entry in entries if entry[1] and entry[1].local_date == day),
        "open": calendar.is_open(day), "closed_reason": calendar.why_closed(day),
        "next_open": calendar.next_open(day), "alerts": services.overdue_journeys(post),
        "clashes": services.document_clashes(travellers),
    }
    return render(request, "posts/list.html", context)


@officer_required
def search(request: HttpRequest, officer: Officer) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    today = officer.post.local_today()
    found = list(services.search(officer.post, query)) if query else []
    if query:
        services.record_read(officer, "search", post=officer.post.code, query=query, travellers=len(found))
    results = [(t, services.listing(t.notice, today), services.entry_stamp(t, officer.post), *party)
               for t, party in zip(found, _parties(found), strict=True)]
    return render(request, "posts/search.html",
                  {"officer": officer, "post": officer.post, "q": query, "results": results, "today": today,
                   "clashes": services.document_clashes(found)})


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


def _traveller(officer: Officer, traveller_id: str, kind: str = StampKind.ENTRY) -> Traveller | None:
    """A traveller arriving at (kind exit: leaving through) the officer's post, or None."""
    here = services.passing(officer.post, kind if kind in StampKind.values else StampKind.ENTRY)
    return here.filter(pk=traveller_id if traveller_id.isdigit() else 0).first()


@require_POST
@officer_required
def stamp(request: HttpRequest, officer: Officer) -> HttpResponse:
    traveller = _traveller(officer, request.POST.get("traveller", ""))
    if traveller is None:
        messages.error(request, _("That traveller does not arrive at this post."))
        return back_to_console(request)
    try:
        result = services.stamp_entry(officer, officer.post, traveller, reason=request.POST.get("reason", ""))
    except Refused as refused:
        messages.error(request, " ".join(p.message for p in refused.problems))
        return back_to_console(request)
    name = traveller.full_name
    if not result.created:
        messages.success(request, _("%(name)s was already stamped earlier.") % {"name": name})
    elif result.stamp.admission:
        messages.success(request, _("Admitted: %(name)s.") % {"name": name})
    else:
        messages.success(request, _("Stamped: %(name)s.") % {"name": name})
    return back_to_console(request)


@require_POST
@officer_required
def refuse(request: HttpRequest, officer: Officer) -> HttpResponse:
    traveller = _traveller(officer, request.POST.get("traveller", ""), request.POST.get("kind", StampKind.ENTRY))
    try:
        services.refuse_entry(officer, officer.post, reason=request.POST.get("reason", ""), traveller=traveller,
                              document_number=request.POST.get("document_number", ""),
                              name=request.POST.get("name", ""))
    except Refused as refused:
        messages.error(request, " ".join(p.message for p in refused.problems))
        return back_to_console(request)
    messages.success(request, _("Refusal recorded."))
    return back_to_console(request)


@require_POST
@officer_required
def language(request: HttpRequest, officer: Officer) -> HttpResponse:
    """The console's language switch: the officer's own preference, kept on their account."""
    services.choose_language(officer, request.POST.get("language", ""))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("posts:home")
    return HttpResponseRedirect(translate_url(path_without_language(back), officer.language or "en"))


@officer_required
def exits(request: HttpRequest, officer: Officer) -> HttpResponse:
    """The departing post's console: the day's exit list, or the travellers found by a search."""
    post, query = officer.post, request.GET.get("q", "").strip()[:100]
    today = post.local_today()
    day = parse_day(request.GET.get("date", "")) or today
    found = list(services.search(post, query, StampKind.EXIT) if query else services.exit_list(post, day))
    permits: dict[int, list[ExitPermit]] = {}
    rows = []
    for t in found:
        if t.notice.direction_id not in permits:
            permits[t.notice.direction_id] = services.exit_permits(t.notice)
        rows.append((t, services.exit_of(t), services.listing(t.notice, today), permits[t.notice.direction_id]))
    context = {"officer": officer, "post": post, "day": day, "today": today, "q": query, "rows": rows,
               "tomorrow": today + timedelta(days=1), "exited": sum(1 for row in rows if row[1]),
               "offline_kind": StampKind.EXIT}
    return render(request, "posts/exits.html", context)


@require_POST
@officer_required
def register_exit(request: HttpRequest, officer: Officer) -> HttpResponse:
    traveller = _traveller(officer, request.POST.get("traveller", ""), StampKind.EXIT)
    if traveller is None:
        messages.error(request, _("That traveller does not leave through this post."))
        return back_to_console(request)
    try:
        result = services.register_exit(officer, officer.post, traveller,
                                        permits_returned=request.POST.getlist("permit"),
                                        reason=request.POST.get("reason", ""))
    except Refused as refused:
        messages.error(request, " ".join(p.message for p in refused.problems))
        return back_to_console(request)
    kept = result.stamp.permits_outstanding
    note = "" if result.created else _(" (already registered earlier)")
    message = _("Exit registered: %(name)s%(note)s.") % {"name": traveller.full_name, "note": note}
    if kept:
        message += " " + _("Not handed back: %(codes)s.") % {"codes": ", ".join(kept)}
    (messages.warning if kept else messages.success)(request, message)
    return back_to_console(request)


@officer_required
def between(request: HttpRequest, officer: Officer) -> HttpResponse:
    """The receiving post's view of the road: who left the other post, when they are due, overdue first."""
    post = officer.post
    context = {"officer": officer, "post": post, "road": services.between_posts(post),
               "alerts": services.overdue_journeys(post)}
    return render(request, "posts/between.html", context)
