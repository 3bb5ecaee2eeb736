"""Payment pages: paying from the notice page, the sandbox checkout, receipts, cash at the post, reports."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kordon.audit.services import Actor
from kordon.days import parse_day
from kordon.notices.access import traveller_page
from kordon.notices.links import notice_page, remember_notice_page, remembered_notice_page
from kordon.notices.models import Notice
from kordon.payments import providers, receipts, reports, services
from kordon.payments.models import Kind, Payment, PaymentBatch, Receipt, Status
from kordon.payments.providers.sandbox import simulate
from kordon.posts.access import back_to_console, is_console_path, officer_required
from kordon.posts.models import Officer
from kordon.problems import Refused


def receipt_url(receipt: Receipt) -> str:
    return f"{reverse('payments:receipt', args=[receipt.number])}?reference={receipt.notice.reference}"


@require_POST
@traveller_page
def pay(request: HttpRequest, notice: Notice) -> HttpResponse:
    """The traveller chose an online way to pay on their notice page."""
    status_url = notice_page(notice.reference)
    remember_notice_page(request, notice.reference)  # the provider's return page links back
    site_url = settings.KORDON_BASE_URL or request.build_absolute_uri("/").rstrip("/")
    try:
        checkout = services.start_online_payment(notice, request.POST.get("provider", ""), site_url)
    except Refused as refused:
        messages.error(request, " ".join(p.message for p in refused.problems))
        return HttpResponseRedirect(status_url)
    if checkout.redirect_url:
        return HttpResponseRedirect(checkout.redirect_url)
    return render(request, "payments/instructions.html",
                  {"notice": notice, "checkout": checkout, "status_url": status_url})


def payment_return(request: HttpRequest, public_id: str) -> HttpResponse:
    """Where a provider sends the payer back: the receipt once confirmed, else what is happening."""
    payment = get_object_or_404(Payment.objects.select_related("notice"), public_id=public_id, kind=Kind.PAYMENT)
    receipt = Receipt.objects.filter(payment=payment).first()
    if receipt is not None:
        return HttpResponseRedirect(receipt_url(receipt))
    cancelled = request.GET.get("cancelled") == "1"
    return render(request, "payments/return.html", {
        "payment": payment, "cancelled": cancelled,
        "notice_page": remembered_notice_page(request, payment.notice.reference)})


def sandbox_checkout(request: HttpRequest, provider_reference: str) -> HttpResponse:
    """The sandbox 'gateway' page: Pay or Decline, then its signed notification, then back to kordon."""
    if providers.get("sandbox") is None:
        raise Http404("The sandbox is switched off")
    batch = PaymentBatch.objects.filter(provider="sandbox", provider_reference=provider_reference).first()
    if batch is not None:
        return _sandbox_batch_checkout(request, batch)
    payment = get_object_or_404(Payment.objects.select_related("notice"), provider="sandbox",
                                provider_reference=provider_reference, kind=Kind.PAYMENT)
    if request.method != "POST":
        return render(request, "payments/sandbox_checkout.html", {
            "payment": payment, "notice_page": remembered_notice_page(request, payment.notice.reference)})
    paid = request.POST.get("action") == "pay"
    services.receive_notification("sandbox", simulate(provider_reference, payment.amount, payment.currency, paid=paid))
    back = reverse("payments:return", args=[payment.public_id])
    return HttpResponseRedirect(back if paid else back + "?cancelled=1")


def _sandbox_batch_checkout(request: HttpRequest, batch: PaymentBatch) -> HttpResponse:
    if request.method != "POST":
        return render(request, "payments/sandbox_batch_checkout.html", {"batch": batch})
    paid = request.POST.get("action") == "pay"
    services.receive_notification("sandbox", simulate(batch.provider_reference, batch.amount, batch.currency,
                                                      paid=paid))
    back = reverse("payments:batch_return", args=[batch.public_id])
    return HttpResponseRedirect(back if paid else back + "?cancelled=1")


def batch_return(request: HttpRequest, public_id: str) -> HttpResponse:
    """Where a provider sends the payer of a group back: the combined receipt once confirmed (its
    address, with the batch's random id, is what lets one see it), else what is happening."""
    batch = get_object_or_404(PaymentBatch, public_id=public_id)
    return render(request, "payments/batch_receipt.html", {
        "batch": batch, "cancelled": request.GET.get("cancelled") == "1", "zone": settings.TIME_ZONE})


def receipt(request: HttpRequest, number: str) -> HttpResponse:
    """The printable receipt, for anyone who has its number and the notice reference."""
    found = receipts.find(number, request.GET.get("reference", ""))
    if found is None:
        raise Http404("No such receipt for this reference")
    back = request.GET.get("back", "")
    zone = found.payment.post.timezone if found.payment.post else settings.TIME_ZONE
    context = {"receipt": found, "refunded": receipts.is_refunded(found),
               "back": back if is_console_path(back) else "", "zone": zone,
               "notice_page": remembered_notice_page(request, found.notice.reference)}
    return render(request, "payments/receipt.html", context)


def _amount(text: str) -> Decimal:
    try:
        amount = Decimal(text.strip()[:20])
        exact = amount.is_finite() and amount == amount.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):  # quantize cannot hold 1e400 at two decimals
        exact = False
    if not exact or amount <= 0:
        raise Refused.one("amount", "invalid", _("Enter the amount received, e.g. 15.00."))
    return amount


@require_POST
@officer_required
def record_cash(request: HttpRequest, officer: Officer) -> HttpResponse:
    """The officer took cash for a party: record it and show the receipt to print or show."""
    try:
        result = services.record_cash_payment(
            officer, officer.post, request.POST.get("reference", ""), _amount(request.POST.get("amount", "")),
            request.POST.get("currency", ""), request.POST.get("idempotency_key", "")[:200],
            request.POST.get("payer", "")[:200])
    except Refused as refused:
        messages.error(request, " ".join(p.message for p in refused.problems))
        return back_to_console(request)
    messages.success(request, _("Cash recorded: receipt %(number)s.") % {"number": result.receipt.number})
    next_url = request.POST.get("next", "")
    back = f"&back={next_url}" if is_console_path(next_url) else ""
    return HttpResponseRedirect(receipt_url(result.receipt) + back)


@require_POST
@officer_required
def hand_over_refund(request: HttpRequest, officer: Officer) -> HttpResponse:
    """The officer gave a cash refund back to a traveller of a cancelled notice."""
    post = officer.post
    refund = Payment.objects.filter(
        Q(notice__direction__to_post=post) | Q(notice__direction__from_post=post),
        public_id=request.POST.get("refund", ""), kind=Kind.REFUND, status=Status.PENDING, provider="cash",
    ).first()
    if refund is None:
        messages.error(request, _("That refund is not waiting to be handed back here."))
        return back_to_console(request)
    refund = services.hand_over_refund(refund, Actor.of_user(officer.user), post)
    messages.success(request, _("Refund handed back: receipt %(number)s.") % {"number": refund.receipt.number})
    return HttpResponseRedirect(receipt_url(refund.receipt))


def _report_day(request: HttpRequest, default: date) -> date | None:
    text = request.GET.get("date", "")
    return parse_day(text) if text else default


def _csv(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@officer_required
def post_report(request: HttpRequest, officer: Officer) -> HttpResponse:
    """The day's receipts of the officer's post, for reconciling the cash box."""
    day = _report_day(request, officer.post.local_today())
    if day is None:
        return HttpResponseBadRequest(_("Give the date as YYYY-MM-DD."))
    return _csv(reports.as_csv(day, officer.post.code), f"payments-{officer.post.code}-{day}.csv")


@staff_member_required
def hq_report(request: HttpRequest) -> HttpResponse:
    """Headquarters: the day's receipts of every office (or one, with ?office=KG-BORDOBO)."""
    day = _report_day(request, timezone.localdate())
    if day is None:
        return HttpResponseBadRequest(_("Give the date as YYYY-MM-DD."))
    office = request.GET.get("office", "").strip()[:40] or None
    return _csv(reports.as_csv(day, office), f"payments-{office or 'all'}-{day}.csv")
