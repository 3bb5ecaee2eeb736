"""The traveller's pages: file a notice, see it, move its date, cancel it."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kordon import throttle
from kordon.audit.services import TRAVELLER
from kordon.crossings.models import Crossing
from kordon.days import DayField
from kordon.notices import services
from kordon.notices.access import notice_from_link
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
from kordon.notices.links import notice_url, remember_notice_page
from kordon.notices.models import Notice
from kordon.payments.services import refund_on_cancellation
from kordon.problems import Refused


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
        return _render_form(request, form, formset, status=refused.status)
    if filed.access_token is None:  # the same form sent twice: the first answer carried the link
        return render(request, "notices/filed_already.html", {"notice": filed.notice})
    url = notice_url(filed.notice.reference, filed.access_token)
    return HttpResponseRedirect(f"{url}?filed=1")


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


def status(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    notice = notice_from_link(reference, token)
    remember_notice_page(request, notice.reference, notice_url(notice.reference, token))
    return _render_status(request, notice, token)


def _render_status(request: HttpRequest, notice: Notice, token: str, problems: list[Any] | None = None,
                   status: int = 200, newcomer: TravellerForm | None = None,
                   date_problems: list[str] | None = None, typed_date: str = "") -> HttpResponse:
    travellers = notice.travellers.prefetch_related("stamps")
    context = {
        "notice": notice, "token": token, "travellers": travellers, "vehicle": getattr(notice, "vehicle", None),
        "window": notice.arrival_window(), "post": notice.direction.to_post, "problems": problems or [],
        "filed": request.GET.get("filed") == "1", "newcomer": newcomer or TravellerForm(prefix="new"),
        "direction": direction_label(notice.direction), "date_problems": date_problems or [],
        "typed_date": typed_date or notice.expected_date.isoformat(),
    }
    return render(request, "notices/status.html", context, status=status)


@require_POST
def amend(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    notice = notice_from_link(reference, token)
    typed = request.POST.get("expected_date", "")[:40]
    try:
        new_date = DayField().clean(typed)
        notice = services.amend_date(notice, new_date)
    except forms.ValidationError:
        return _render_status(request, notice, token, status=422, typed_date=typed,
                              date_problems=[_("Enter the new date as YYYY-MM-DD.")])
    except Refused as refused:
        at_date = [p.message for p in refused.problems if p.field == "expected_date"]
        others = [p.message for p in refused.problems if p.field != "expected_date"]
        return _render_status(request, notice, token, others, refused.status, date_problems=at_date, typed_date=typed)
    when = date_format(notice.expected_date, "DATE_FORMAT")
    message = _("Your notice now arrives on %(date)s. The old seal is no longer valid: use the new one on this "
                "page.") % {"date": when}
    if notice.contact_email:
        message += " " + _("It is also on its way to %(email)s.") % {"email": notice.contact_email}
    messages.success(request, message)
    return HttpResponseRedirect(notice_url(notice.reference, token))


@require_POST
def add_traveller(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    notice = notice_from_link(reference, token)
    form = TravellerForm(request.POST, prefix="new")
    if not form.is_valid():
        return _render_status(request, notice, token, status=422, newcomer=form)
    data = form.cleaned_data | {"mrz": (form.cleaned_data.get("mrz") or "").split()}
    try:
        services.add_traveller(notice, TravellerInput(**data))
    except Refused as refused:
        for p in refused.problems:
            form.add_error(p.field if p.field in form.fields else None, p.message)
        return _render_status(request, notice, token, status=refused.status, newcomer=form)
    messages.success(request, _("%(surname)s is on the notice now.") % {"surname": form.cleaned_data["surname"]})
    return HttpResponseRedirect(notice_url(notice.reference, token))


@require_POST
def cancel(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    notice = notice_from_link(reference, token)
    try:
        notice = services.cancel_notice(notice)
    except Refused as refused:
        return _render_status(request, notice, token, [p.message for p in refused.problems], refused.status)
    refund = refund_on_cancellation(notice, TRAVELLER)
    messages.success(request, _("Your notice is cancelled: the post has taken you off its list, and the seal "
                                "is no longer valid."))
    if refund.status != "none_due":
        messages.info(request, refund.message)
    return HttpResponseRedirect(notice_url(notice.reference, token))


def lookup(request: HttpRequest) -> HttpResponse:
    """The status of a notice for a traveller who lost the link: nothing personal is shown."""
    if request.method != "POST":
        return render(request, "notices/lookup.html", {"form": LookupForm()})
    form = LookupForm(request.POST)
    if not form.is_valid():
        return render(request, "notices/lookup.html", {"form": form}, status=422)
    data = form.cleaned_data
    notice = services.look_up(data["reference"], data["document_number"], data["date_of_birth"])
    if notice is None:
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
