"""The traveller's pages: file a notice, see it, move its date, cancel it."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kordon import throttle
from kordon.crossings.models import Crossing
from kordon.days import DayField
from kordon.notices import services
from kordon.notices.access import guard_lookup, lookup_failed, notice_from_link, traveller_page
from kordon.notices.forms import (
    LookupForm,
    NoticeForm,
    TravellerForm,
    TravellerFormSet,
    attach_problems,
    direction_label,
    reshape_party,
)
from kordon.notices.inputs import NoticeInput, TravellerInput, VehicleInput
from kordon.notices.links import (
    forget_notice_page,
    forget_token,
    keep_token,
    kept_token,
    notice_link,
    notice_page,
    remember_notice_page,
)
from kordon.notices.models import Notice
from kordon.notices.references import display, normalize
from kordon.problems import Refused
from kordon.statuses import status_of


def home(request: HttpRequest) -> HttpResponse:
    crossings = Crossing.objects.filter(is_open=True).prefetch_related("posts", "directions", "fee_lines")
    return render(request, "notices/home.html", {"crossings": crossings})


def file_notice(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        initial = {"crossing": request.GET.get("crossing")}
        return _render_form(request, NoticeForm(initial=initial), TravellerFormSet())
    action = request.POST.get("action", "file")
    if action != "file":
        number = action.removeprefix("remove-")
        remove = int(number) if action.startswith("remove-") and number.isdigit() and len(number) < 4 else None
        data = reshape_party(request.POST, add=action == "add", remove=remove)
        formset = TravellerFormSet(data)
        if action == "add":  # the keyboard continues in the new traveller's fieldset (GOV.UK "add another")
            formset.forms[-1].fields["mrz"].widget.attrs["autofocus"] = True
        return _render_form(request, NoticeForm(data), formset, validate=False,
                            removed=remove + 1 if remove is not None else None)
    form, formset = NoticeForm(request.POST), TravellerFormSet(request.POST)
    if not (form.is_valid() and formset.is_valid()):
        return _render_form(request, form, formset, status=422)
    throttle.check(request, "file_notice")
    try:
        filing = _input(form.cleaned_data, formset)
        filed = services.file_notice(filing, token=services.form_token(filing.idempotency_key))
    except Refused as refused:
        attach_problems(form, formset, refused.problems)
        return _render_form(request, form, formset, status=status_of(refused))
    if filed.access_token is None:  # the same form sent twice: the first answer carried the link
        return render(request, "notices/filed_already.html", {"notice": filed.notice})
    response = HttpResponseRedirect(f"{notice_page(filed.notice.reference)}?filed=1")
    keep_token(request, response, filed.notice, filed.access_token)
    return response


def _render_form(request: HttpRequest, form: NoticeForm, formset: Any, *, status: int = 200,
                 validate: bool = True, removed: int | None = None) -> HttpResponse:
    if not validate:
        _without_complaints(form, formset)
    context = {"form": form, "formset": formset, "quiet": not validate, "removed": removed}
    return render(request, "notices/file.html", context, status=status)


def _without_complaints(form: NoticeForm, formset: Any) -> None:
    """After adding or removing a traveller the fields are shown again as typed, without errors:
    the forms keep their data but are marked as already validated, with nothing found."""
    form._errors = ErrorDict()  # type: ignore[attr-defined]  # Django's own cache of the validation
    formset._errors, formset._non_form_errors = [], formset.error_class()
    for sub in formset.forms:
        sub._errors = ErrorDict()


def _input(data: dict[str, Any], formset: Any) -> NoticeInput:
    vehicle = None
    if data.get("has_vehicle"):
        vehicle = VehicleInput(data["plate"], data["vehicle_country"], data["vehicle_kind"],
                                        data.get("make", ""), data.get("model", ""))
    travellers = [
        TravellerInput(
            surname=t["surname"], given_names=t.get("given_names", ""), nationality=t["nationality"],
            sex=t["sex"], date_of_birth=t["date_of_birth"], document_number=t["document_number"],
            document_expiry=t["document_expiry"], mrz=(t.get("mrz") or "").split(),
        )
        for t in formset.cleaned_data if t
    ]
    return NoticeInput(
        crossing=data["crossing"], direction=data["direction"], expected_date=data["expected_date"],
        email=data.get("email", ""), phone=data.get("phone", ""), vehicle=vehicle, travellers=travellers,
        idempotency_key=f"form:{data['idempotency_key']}",  # never the same as an API client's key
    )


@require_safe
def exchange(request: HttpRequest, reference: str, token: str, rest: str = "") -> HttpResponse:
    """The traveller's link (kordon.notices.links): keep its token in this browser's cookie and go on
    (303) to the same page without it. Older links to a page below the notice's go to that page."""
    notice = notice_from_link(reference, token)
    query = request.META.get("QUERY_STRING", "")
    response = HttpResponseRedirect(notice_page(notice.reference) + rest + (f"?{query}" if query else ""))
    response.status_code = 303
    keep_token(request, response, notice, token)
    return response


@traveller_page
def status(request: HttpRequest, notice: Notice) -> HttpResponse:
    remember_notice_page(request, notice.reference)
    return _render_status(request, notice)


@require_POST
def forget(request: HttpRequest, reference: str) -> HttpResponse:
    """"Forget this notice on this device" (a shared phone): its cookie goes; the link still opens it."""
    response = HttpResponseRedirect(reverse("notices:home"))
    ref = normalize(reference)
    if ref:
        forget_token(response, ref)
        forget_notice_page(request, ref)
        messages.info(request, _("This device no longer keeps notice %(reference)s open. Your link still opens "
                                 "it.") % {"reference": display(ref)})
    return response


def _render_status(request: HttpRequest, notice: Notice, problems: list[Any] | None = None,
                   status: int = 200, newcomer: TravellerForm | None = None,
                   date_problems: list[str] | None = None, typed_date: str = "") -> HttpResponse:
    # Entry stamps only: an exit at the departing post is a stamp of kind "exit".
    travellers = notice.travellers.prefetch_related(Prefetch("stamps", queryset=notice.stamps.filter(kind="entry")))
    filed = request.GET.get("filed") == "1"
    key_link = ""
    if filed:  # just filed: the link to keep (on this page's content only, never in its address)
        site_url = settings.KORDON_BASE_URL or request.build_absolute_uri("/").rstrip("/")
        key_link = site_url + notice_link(notice.reference, kept_token(request, notice.reference))
    context = {
        "notice": notice, "travellers": travellers, "vehicle": getattr(notice, "vehicle", None),
        "window": notice.arrival_window(), "post": notice.direction.to_post, "problems": problems or [],
        "filed": filed, "key_link": key_link, "newcomer": newcomer or TravellerForm(prefix="new"),
        "direction": direction_label(notice.direction), "date_problems": date_problems or [],
        "typed_date": typed_date or notice.expected_date.isoformat(),
    }
    return render(request, "notices/status.html", context, status=status)


@require_POST
@traveller_page
def amend(request: HttpRequest, notice: Notice) -> HttpResponse:
    typed = request.POST.get("expected_date", "")[:40]
    try:
        new_date = DayField().clean(typed)
        notice = services.amend_date(notice, new_date)
    except forms.ValidationError:
        return _render_status(request, notice, status=422, typed_date=typed,
                              date_problems=[_("Enter the new date as YYYY-MM-DD.")])
    except Refused as refused:
        at_date = [p.message for p in refused.problems if p.field == "expected_date"]
        others = [p.message for p in refused.problems if p.field != "expected_date"]
        return _render_status(request, notice, others, status_of(refused), date_problems=at_date,
                              typed_date=typed)
    when = date_format(notice.expected_date, "DATE_FORMAT")
    message = _("Your notice now arrives on %(date)s. The old seal is no longer valid: use the new one on this "
                "page.") % {"date": when}
    if notice.contact_email:
        message += " " + _("It is also on its way to %(email)s.") % {"email": notice.contact_email}
    messages.success(request, message)
    return HttpResponseRedirect(notice_page(notice.reference))


@require_POST
@traveller_page
def add_traveller(request: HttpRequest, notice: Notice) -> HttpResponse:
    form = TravellerForm(request.POST, prefix="new")
    if not form.is_valid():
        return _render_status(request, notice, status=422, newcomer=form)
    data = form.cleaned_data | {"mrz": (form.cleaned_data.get("mrz") or "").split()}
    try:
        services.add_traveller(notice, TravellerInput(**data))
    except Refused as refused:
        for p in refused.problems:
            form.add_error(p.field if p.field in form.fields else None, p.message)
        return _render_status(request, notice, status=status_of(refused), newcomer=form)
    messages.success(request, _("%(surname)s is on the notice now.") % {"surname": form.cleaned_data["surname"]})
    return HttpResponseRedirect(notice_page(notice.reference))


@require_POST
@traveller_page
def cancel(request: HttpRequest, notice: Notice) -> HttpResponse:
    try:
        refund = services.cancel(notice).refund
    except Refused as refused:
        return _render_status(request, notice, [p.message for p in refused.problems], status_of(refused))
    messages.success(request, _("Your notice is cancelled: the post has taken you off its list, and the seal "
                                "is no longer valid."))
    if refund.status != "none_due":
        messages.info(request, refund.message)
    return HttpResponseRedirect(notice_page(notice.reference))


def lookup(request: HttpRequest) -> HttpResponse:
    """The status of a notice for a traveller who lost the link: nothing personal is shown."""
    if request.method != "POST":
        return render(request, "notices/lookup.html", {"form": LookupForm()})
    form = LookupForm(request.POST)
    if not form.is_valid():
        return render(request, "notices/lookup.html", {"form": form}, status=422)
    guard_lookup(request)
    data = form.cleaned_data
    notice = services.look_up(data["reference"], data["document_number"], data["date_of_birth"])
    if notice is None:
        lookup_failed(request)
        form.add_error(None, str(services.LOOKUP_MISMATCH))
        return render(request, "notices/lookup.html", {"form": form}, status=404)
    found = services.status_json(notice)
    context = {"form": LookupForm(), "found": found, "notice": notice,
               "window": notice.arrival_window(), "post": notice.direction.to_post}
    return render(request, "notices/lookup.html", context)


def link_again(request: HttpRequest) -> HttpResponse:
    """"Send me my link again": the same answer whatever was typed, so nobody learns which references exist."""
    if request.method != "POST":
        return render(request, "notices/link_again.html", {"reference": request.GET.get("reference", "")[:40]})
    reference, contact = request.POST.get("reference", "")[:40], request.POST.get("contact", "")[:254]
    if not reference.strip() or not contact.strip():
        problem = _("Enter the notice's reference and the email address or phone number given when filing.")
        return render(request, "notices/link_again.html",
                      {"reference": reference, "contact": contact, "problem": problem}, status=422)
    site_url = settings.KORDON_BASE_URL or request.build_absolute_uri("/").rstrip("/")
    services.ask_for_link(reference, contact, site_url)
    return render(request, "notices/link_again.html", {"asked": True})
