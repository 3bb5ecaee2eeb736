"""An agency's pages: its notices (by date and status, unpaid, missing documents, export), filing a
group from a table or a CSV upload, paying a group at once, each notice's seal."""

import csv
import io
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kordon.agencies import services, sheets
from kordon.agencies.auth import MemberOwner
from kordon.agencies.models import AgencyNotice, Group, Member, Role, Scope, Token
from kordon.crossings.models import Crossing
from kordon.days import parse_day
from kordon.documents.services import missing_documents
from kordon.notices.models import Notice, NoticeStatus, PaymentStatus
from kordon.payments import services as payments
from kordon.problems import Problem, Refused
from kordon.seals import qr
from kordon.seals import services as seals


def member_required(view: Any) -> Any:
    """Logged in as a member of an agency; anyone else goes to the agency login."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member = None
        if request.user.is_authenticated:
            member = Member.objects.select_related("agency", "user").filter(
                user_id=request.user.pk, agency__is_active=True).first()
        if member is None:
            return redirect_to_login(request.get_full_path(), reverse("agencies:login"))
        response: HttpResponse = view(request, MemberOwner(member), *args, **kwargs)
        return response

    return wrapped


def _notices(owner: MemberOwner) -> QuerySet[Notice]:
    return (Notice.objects.filter(agency_link__agency_id=owner.agency.pk)
            .select_related("crossing", "direction__to_post", "agency_link__group")
            .prefetch_related("travellers").order_by("expected_date", "pk"))


@never_cache
@member_required
def home(request: HttpRequest, owner: MemberOwner) -> HttpResponse:
    found = _notices(owner)
    day = parse_day(request.GET.get("date", ""))
    if day is not None:
        found = found.filter(expected_date=day)
    status = request.GET.get("status", "")
    if status in NoticeStatus.values:
        found = found.filter(status=status)
    show = request.GET.get("show", "")
    if show == "unpaid":
        found = found.filter(payment_status__in=[PaymentStatus.UNPAID, PaymentStatus.PARTIALLY_PAID],
                             status__in=[NoticeStatus.ACCEPTED, NoticeStatus.UNDER_REVIEW])
    rows = [{"notice": n, "missing": missing_documents(n)} for n in found[:500]]
    if show == "missing":
        rows = [r for r in rows if r["missing"]]
    if request.GET.get("format") == "csv":
        return _export(rows)
    groups = Group.objects.filter(agency_id=owner.agency.pk).order_by("-created_at")[:50]
    return render(request, "agencies/home.html", {
        "agency": owner.agency, "rows": rows, "groups": groups, "statuses": NoticeStatus.choices,
        "day": day, "status": status, "show": show, "query": request.GET.urlencode()})


def _export(rows: list[dict[str, Any]]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["reference", "expected_date", "status", "payment_status", "fee", "currency", "travellers",
                     "missing_documents", "group"])
    for row in rows:
        n: Notice = row["notice"]
        link = getattr(n, "agency_link", None)
        writer.writerow([n.display_reference, n.expected_date.isoformat(), n.status, n.payment_status,
                         f"{n.fee_total:.2f}", n.fee_currency, "; ".join(t.full_name for t in n.travellers.all()),
                         len(row["missing"]), link.group.name if link and link.group else ""])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="notices.csv"'
    return response


@member_required
def template(request: HttpRequest, owner: MemberOwner) -> HttpResponse:
    response = HttpResponse(sheets.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kordon-group-template.csv"'
    return response


@member_required
def template_xlsx(request: HttpRequest, owner: MemberOwner) -> HttpResponse:
    response = HttpResponse(sheets.template_xlsx(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="kordon-group-template.xlsx"'
    return response


def _table_rows(request: HttpRequest) -> list[dict[str, str]]:
    try:
        count = min(int(request.POST.get("rows", "0")), sheets.MAX_ROWS)
    except ValueError:
        count = 0
    rows = [{c: request.POST.get(f"row-{i}-{c}", "").strip()[:100] for c in sheets.COLUMNS} for i in range(count)]
    return [r for r in rows if any(r.values())]


@never_cache
@member_required
def new_group(request: HttpRequest, owner: MemberOwner) -> HttpResponse:
    crossings = Crossing.objects.order_by("name")
    context: dict[str, Any] = {"crossings": crossings, "columns": sheets.COLUMNS, "rows": [], "errors": {},
                               "form_errors": [], "values": request.POST}
    if request.method != "POST":
        context["rows"] = [dict.fromkeys(sheets.COLUMNS, "") for _ in range(3)]
        return render(request, "agencies/new_group.html", context)
    if request.POST.get("action") == "add":
        context["rows"] = _table_rows(request) + [dict.fromkeys(sheets.COLUMNS, "") for _ in range(5)]
        return render(request, "agencies/new_group.html", context)
    upload = request.FILES.get("file") if request.POST.get("action") == "upload" else None
    if upload is not None:
        rows, problem = sheets.read_upload(upload.name or "", upload.read(sheets.MAX_ROWS * 1000))
        if problem:
            context["form_errors"].append(Problem("file", "invalid", problem))
    else:
        rows = _table_rows(request)
    context["rows"] = rows or [dict.fromkeys(sheets.COLUMNS, "")]
    crossing = Crossing.objects.filter(slug=request.POST.get("crossing", "")).first()
    day = parse_day(request.POST.get("expected_date", ""))
    name = request.POST.get("name", "").strip()[:200]
    if crossing is None:
        context["form_errors"].append(Problem("crossing", "required", _("Choose the crossing.")))
    if day is None:
        context["form_errors"].append(Problem("expected_date", "invalid", _("Enter a date as YYYY-MM-DD.")))
    if not name:
        context["form_errors"].append(Problem("name", "required", _("Give the group a name, e.g. the tour and "
                                                                    "its date.")))
    if not rows and not context["form_errors"]:
        context["form_errors"].append(Problem("file", "required", _("Upload a CSV file or fill in the table.")))
    if context["form_errors"] or crossing is None or day is None:
        return render(request, "agencies/new_group.html", context, status=422)
    direction = request.POST.get("direction", "")
    inputs = [sheets.row_input(crossing, direction, day, row) for row in rows]
    commit = upload is None and request.POST.get("action") == "file"
    group, outcome = services.file_all_or_nothing(owner, name, inputs, commit=commit)
    if group is not None:
        return HttpResponseRedirect(reverse("agencies:group", args=[group.pk]))
    errors: dict[int, dict[str, str]] = {}
    for index, problems in enumerate(outcome):
        for p in problems:
            column = sheets.column_of(p)
            if column is None:
                context["form_errors"].append(p)
            else:
                errors.setdefault(index, {})[column] = p.message
    context["errors"] = errors
    context["checked"] = not errors and not context["form_errors"]
    context["form_errors"] = list({(p.field, p.message): p for p in context["form_errors"]}.values())
    return render(request, "agencies/new_group.html", context, status=200 if context["checked"] else 422)


def _group_of(owner: MemberOwner, pk: int) -> Group:
    group = Group.objects.filter(pk=pk, agency_id=owner.agency.pk).first()
    if group is None:
        raise Http404("No such group")
    return group


@never_cache
@member_required
def group(request: HttpRequest, owner: MemberOwner, pk: int) -> HttpResponse:
    found = _group_of(owner, pk)
    notices = list(_notices(owner).filter(agency_link__group=found))
    owed = sum((n.fee_total for n in notices if n.payment_status != PaymentStatus.PAID and n.is_active), start=0)
    providers = payments.online_providers(notices[0].crossing) if notices else []
    return render(request, "agencies/group.html", {"group": found, "notices": notices, "owed": owed,
                                                   "providers": providers})


@require_POST
@member_required
def pay_group(request: HttpRequest, owner: MemberOwner, pk: int) -> HttpResponse:
    found = _group_of(owner, pk)
    notices = list(_notices(owner).filter(agency_link__group=found))
    site_url = settings.KORDON_BASE_URL or request.build_absolute_uri("/").rstrip("/")
    try:
        checkout = payments.start_batch_payment(notices, request.POST.get("provider", ""), site_url, owner.actor,
                                                payer=owner.agency.name, email=owner.agency.contact_email,
                                                language=owner.agency.language)
    except Refused as refused:
        from django.contrib import messages

        messages.error(request, " ".join(p.message for p in refused.problems))
        return HttpResponseRedirect(reverse("agencies:group", args=[pk]))
    if checkout.redirect_url:
        return HttpResponseRedirect(checkout.redirect_url)
    return HttpResponseRedirect(reverse("payments:batch_return", args=[checkout.batch.public_id]))


@member_required
def seal_png(request: HttpRequest, owner: MemberOwner, reference: str) -> HttpResponse:
    link = AgencyNotice.objects.select_related("notice").filter(notice__reference=reference,
                                                                 agency_id=owner.agency.pk).first()
    seal = seals.ensure_current_seal(link.notice) if link else None
    if seal is None:
        raise Http404("No seal")
    response = HttpResponse(qr.page_png(seal), content_type="image/png")
    response["Cache-Control"] = "private, no-cache"
    return response




@never_cache
@member_required
def tokens(request: HttpRequest, owner: MemberOwner) -> HttpResponse:
    """A manager's page: the agency's API tokens (scopes, last use), issue one (shown once), revoke one."""
    if owner.member.role != Role.MANAGER:
        raise PermissionDenied
    issued, problems = None, []
    if request.method == "POST":
        try:
            if request.POST.get("revoke"):
                token = Token.objects.filter(pk=request.POST["revoke"], agency_id=owner.agency.pk).first()
                if token is None:
                    raise Http404("No such token")
                services.revoke_token(token, owner.actor)
            else:
                issued = services.issue_token(owner.agency, request.POST.get("name", "")[:100],
                                              request.POST.getlist("scopes"), owner.actor)
        except Refused as refused:
            problems = refused.problems
    rows = Token.objects.filter(agency_id=owner.agency.pk).order_by("revoked_at", "name")
    return render(request, "agencies/tokens.html", {"tokens": rows, "issued": issued, "problems": problems,
                                                    "scopes": Scope.choices},
                  status=422 if problems else 200)
