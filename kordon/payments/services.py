"""What people do with money in kordon: pay cash at a post, pay online, confirm, refund.

Each operation is one transaction. A provider's API is called between transactions, never while
rows are locked, and always with an idempotency key, so a retry never charges twice. Rows are
locked in one order, the notice before its payments, so that two operations cannot deadlock.
Every payment or refund that succeeds gets a receipt, and everything is recorded in the audit trail.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kordon.audit.services import SYSTEM, TRAVELLER, Actor, record
from kordon.crossings.models import Crossing, Post
from kordon.notices.models import Notice, NoticeStatus
from kordon.notices.references import normalize
from kordon.payments import providers, receipts
from kordon.payments.balance import ZERO, outstanding, refresh_payment_status, settle
from kordon.payments.models import HQ, Kind, Payment, PaymentBatch, Receipt, Status, WebhookEvent, new_public_id
from kordon.payments.providers.interface import (
    Confirmation,
    Evidence,
    NotAuthentic,
    Order,
    OrderLine,
    PaymentProvider,
    ProviderError,
    Refunded,
    RefundOrder,
    Started,
)
from kordon.payments.signals import receipt_issued
from kordon.posts.models import Officer
from kordon.problems import ProviderFailed, Refused

# Stripe keeps a Checkout Session (and an idempotency key) for 24 hours: reuse a started payment
# for a second click within that time, start a new one after.
PENDING_FOR = timedelta(hours=23)


# Cash at the post -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Recorded:
    payment: Payment
    receipt: Receipt
    created: bool


def record_cash_payment(officer: Officer, post: Post, reference: str, amount: Decimal, currency: str,
                        idempotency_key: str, payer: str = "") -> Recorded:
    """An officer took cash for a notice arriving at or leaving from `post`: record it, with a receipt.

    The same idempotency key again returns the first payment and its receipt (a double click, a
    retried request, two devices at once); with another notice or amount it is refused (`idempotency_conflict`).
    Never more than is outstanding, and only in the notice's fee currency.
    """
    if officer.post_id != post.pk:
        raise Refused.one(None, "forbidden", _("You work at %(yours)s; this is %(post)s.")
                          % {"yours": officer.post.name, "post": post.name})
    key = f"cash:{post.code}:{idempotency_key}"
    fingerprint = _fingerprint(normalize(reference), amount, currency)
    try:
        with transaction.atomic():
            notice = _notice_at(post, reference)  # locked: payments of one notice queue here
            replay = _replay(key, fingerprint)
            if replay is not None:
                return replay
            _require_payable(notice, amount, currency)
            payment = _cash_payment(officer, post, notice, amount, key, fingerprint, payer)
            return Recorded(payment, payment.receipt, created=True)
    except IntegrityError:
        # The same key was used a moment ago by another request (for another notice): answer as for a replay.
        replay = _replay(key, fingerprint)
        if replay is None:
            raise
        return replay


def _cash_payment(officer: Officer, post: Post, notice: Notice, amount: Decimal, key: str, fingerprint: str,
                  payer: str) -> Payment:
    public_id = new_public_id()
    payment = Payment.objects.create(
        public_id=public_id, provider_reference=public_id, notice=notice, provider="cash", amount=amount,
        currency=notice.fee_currency, office=post.code.upper(), post=post,
        payer=payer.strip() or _lead_traveller(notice), idempotency_key=key, request_fingerprint=fingerprint,
        recorded_by=officer.user,
    )
    evidence = Evidence(fields={"provider_reference": payment.public_id, "amount": str(amount),
                                "currency": notice.fee_currency})
    confirm_payment(notice, payment, _counted("cash", evidence), Actor.of_user(officer.user))
    return payment


def _notice_at(post: Post, reference: str) -> Notice:
    ref = normalize(reference)
    notice = (Notice.objects.select_for_update(of=("self",)).select_related("direction").filter(reference=ref).first()
              if ref else None)
    if notice is None or post.pk not in (notice.direction.to_post_id, notice.direction.from_post_id):
        raise Refused.one("reference", "not_found", _("No notice with this reference crosses at this post. "
                                                      "Check the reference, or search by passport number."))
    return notice


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def _replay(key: str, fingerprint: str) -> Recorded | None:
    payment = Payment.objects.select_related("receipt").filter(idempotency_key=key).first()
    if payment is None:
        return None
    if payment.request_fingerprint != fingerprint:
        raise Refused.one("idempotency_key", "idempotency_conflict", _(
            "This idempotency key was used for another payment (another notice or amount). Use a new key for a "
            "new payment."))
    return Recorded(payment, payment.receipt, created=False)


def _require_payable(notice: Notice, amount: Decimal, currency: str) -> None:
    if notice.status == NoticeStatus.CANCELLED:
        raise Refused.one("reference", "cancelled", _("This notice is cancelled: nothing is owed on it."))
    if currency.upper() != notice.fee_currency:
        raise Refused.one("currency", "wrong_currency", _(
            "This notice's fee is in %(currency)s: record the amount received in %(currency)s."
        ) % {"currency": notice.fee_currency})
    owed = outstanding(notice)
    if owed <= 0:
        raise Refused.one("amount", "already_paid", _("This notice is paid in full: take no money."))
    if amount > owed:
        raise Refused.one("amount", "overpayment", _(
            "Only %(currency)s %(amount)s is outstanding on this notice: record that amount, and give the rest back."
        ) % {"currency": notice.fee_currency, "amount": f"{owed:.2f}"})


def _lead_traveller(notice: Notice) -> str:
    first = notice.travellers.order_by("position").first()
    return first.full_name if first else ""


# Online payments ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Checkout:
    """Where the traveller goes to pay: a provider's page, or instructions (a bank transfer)."""

    payment: Payment
    redirect_url: str
    instructions: str
    created: bool


def online_providers(crossing: Crossing) -> list[PaymentProvider]:
    """The ways a traveller can pay on the web for this crossing, as configured and available here."""
    found = (providers.get(name) for name in crossing.providers())
    return [p for p in found if p is not None and p.online]


def start_online_payment(notice: Notice, provider_name: str, site_url: str) -> Checkout:
    """Start paying what is outstanding through an online provider; the provider confirms later.

    A second request while a started payment is still open (a double click, the back button)
    returns the same payment and the same checkout, never a second one. `site_url` is this
    site's address (https://host), for the links the provider sends the payer back to.
    """
    provider = next((p for p in online_providers(notice.crossing) if p.name == provider_name), None)
    if provider is None:
        names = ", ".join(p.name for p in online_providers(notice.crossing)) or _("none; pay at the post")
        raise Refused.one("provider", "invalid", _("“%(name)s” is not offered for this crossing: %(names)s.")
                          % {"name": provider_name, "names": names})
    payment, created = _pending_payment(notice, provider)
    if not payment.provider_reference:
        payment = _save_started(payment, _start(provider, payment, site_url))
    data = payment.provider_data
    return Checkout(payment, str(data.get("redirect_url", "")), str(data.get("instructions", "")), created)


def _pending_payment(notice: Notice, provider: PaymentProvider) -> tuple[Payment, bool]:
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if not notice.is_active:
            raise Refused.one(None, "cancelled", _("This notice is cancelled or closed: nothing is owed."))
        owed = outstanding(notice)
        if owed <= 0:
            raise Refused.one(None, "already_paid", _("This notice is paid in full."))
        open_ = notice.payments.filter(kind=Kind.PAYMENT, provider=provider.name, status=Status.PENDING,
                                       batch__isnull=True)  # a group's payment is started and confirmed with its group
        reusable = open_.filter(amount=owed, created_at__gt=timezone.now() - PENDING_FOR).first()
        if reusable is not None:
            return reusable, False
        open_.filter(created_at__lte=timezone.now() - PENDING_FOR).update(status=Status.EXPIRED)
        payment = Payment.objects.create(notice=notice, provider=provider.name, amount=owed,
                                         currency=notice.fee_currency, office=HQ, payer=_lead_traveller(notice))
        record(TRAVELLER, "payment.started", reference=notice.reference, obj=payment,
               provider=provider.name, amount=f"{owed:.2f}", currency=notice.fee_currency)
        return payment, True


def _start(provider: PaymentProvider, payment: Payment, site_url: str) -> Started:
    back = site_url + reverse("payments:return", args=[payment.public_id])
    notice = payment.notice
    order = Order(
        payment_id=payment.public_id, reference=notice.display_reference, amount=payment.amount,
        currency=payment.currency, lines=order_lines(notice, payment.amount),
        idempotency_key=f"kordon-payment-{payment.public_id}", email=notice.contact_email,
        return_url=back, cancel_url=back + "?cancelled=1",
    )
    try:
        return provider.start(order)
    except ProviderError as exc:
        Payment.objects.filter(pk=payment.pk, status=Status.PENDING).update(status=Status.FAILED)
        record(SYSTEM, "payment.start_failed", reference=notice.reference, obj=payment, error=str(exc))
        raise ProviderFailed.one("provider", "provider_unavailable", _(
            "%(provider)s is not answering right now. Try again in a few minutes, or choose another way to pay."
        ) % {"provider": providers.label(provider.name)}) from exc


def _save_started(payment: Payment, started: Started) -> Payment:
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        payment.provider_reference = started.provider_reference
        payment.provider_data = {"redirect_url": started.redirect_url, "instructions": started.instructions}
        payment.save(update_fields=["provider_reference", "provider_data"])
        return payment


def order_lines(notice: Notice, amount: Decimal) -> list[OrderLine]:
    """The notice's fee lines when paying it all; one line for a part payment."""
    if amount != notice.fee_total:
        return [OrderLine(_("Part of the fee for notice %(reference)s") % {"reference": notice.display_reference},
                          1, amount)]
    return [OrderLine(receipts.describe(line), int(line["quantity"]), Decimal(line["unit_amount"]))
            for line in notice.fee_lines]


# Confirming -------------------------------------------------------------------------------------------

def receive_notification(provider_name: str, evidence: Evidence) -> str:
    """A provider tells us how a payment went: verify it, and confirm, fail or flag the payment.

    Returns the outcome: `confirmed`, `failed`, `flagged` (the amount or currency is not what was
    asked for: the notice is not marked paid, a person looks), `duplicate` (this event was handled
    before), `unknown` (no such payment here), or `ignored` (says nothing about an outcome).
    An unauthentic notification changes nothing and raises Refused (`bad_signature`).
    """
    provider = providers.get(provider_name)
    if provider is None:
        raise Refused.one(None, "not_found", _("No payment provider “%(name)s” here.") % {"name": provider_name})
    try:
        confirmation = provider.confirm(evidence)
    except NotAuthentic as exc:
        record(SYSTEM, "payment.notification_rejected", provider=provider_name, reason=str(exc))
        raise Refused.one(None, "bad_signature", _("The notification's signature does not verify; nothing was "
                                                   "changed.")) from exc
    if confirmation is None:
        return "ignored"
    return _apply_notification(provider_name, confirmation)


def _apply_notification(provider_name: str, confirmation: Confirmation) -> str:
    found = Payment.objects.filter(provider=provider_name, provider_reference=confirmation.provider_reference,
                                   kind=Kind.PAYMENT).first()
    if found is None:
        batch = PaymentBatch.objects.filter(provider=provider_name,
                                            provider_reference=confirmation.provider_reference).first()
        if batch is not None:
            return _apply_batch_notification(provider_name, batch, confirmation)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=found.notice_id) if found else None
        if not _first_delivery(provider_name, confirmation):
            return "duplicate"
        if found is None or notice is None:
            record(SYSTEM, "payment.notification_unknown", provider=provider_name,
                   provider_reference=confirmation.provider_reference, event=confirmation.event_id)
            outcome, payment = "unknown", None
        else:
            payment = Payment.objects.select_for_update().get(pk=found.pk)
            outcome = confirm_payment(notice, payment, confirmation, SYSTEM)
        WebhookEvent.objects.filter(provider=provider_name, event_id=confirmation.event_id).update(
            outcome=outcome, payment=payment)
        return outcome


def _first_delivery(provider_name: str, confirmation: Confirmation) -> bool:
    """Keep the event once; False if it was kept before (providers deliver at least once)."""
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(provider=provider_name, event_id=confirmation.event_id,
                                        type=confirmation.event_type, outcome="received")
    except IntegrityError:
        return False
    return True


def confirm_bank_transfer(payment: Payment, actor: Actor, amount: Decimal, currency: str) -> str:
    """An administrator saw a transfer arrive for a started bank-transfer payment: confirm it.

    A transfer of another amount or currency is flagged, not confirmed; the outcome says which.
    """
    if payment.provider != "bank_transfer" or payment.kind != Kind.PAYMENT:
        raise Refused.one(None, "not_a_transfer", _("Only bank transfers are confirmed this way."))
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=payment.notice_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        evidence = Evidence(fields={"provider_reference": payment.provider_reference, "amount": str(amount),
                                    "currency": currency})
        return confirm_payment(notice, payment, _counted("bank_transfer", evidence), actor)


def confirm_payment(notice: Notice, payment: Payment, confirmation: Confirmation, actor: Actor) -> str:
    """The one path by which a payment becomes paid. Call inside a transaction, notice and payment locked."""
    if payment.status in (Status.SUCCEEDED, Status.FLAGGED):
        return f"already_{payment.status}"
    payment.provider_data = {**payment.provider_data, **confirmation.details}
    if not confirmation.paid:
        payment.status = Status.FAILED
        payment.save(update_fields=["status", "provider_data"])
        record(actor, "payment.failed", reference=notice.reference, obj=payment, event=confirmation.event_type)
        return "failed"
    mismatch = _mismatch(payment, confirmation)
    if mismatch:
        payment.status, payment.flag_reason = Status.FLAGGED, mismatch
        payment.save(update_fields=["status", "flag_reason", "provider_data"])
        record(actor, "payment.flagged", reference=notice.reference, obj=payment, reason=mismatch)
        return "flagged"
    payment.status, payment.confirmed_at = Status.SUCCEEDED, timezone.now()
    payment.save(update_fields=["status", "confirmed_at", "provider_data"])
    _paid, net = settle(notice)
    # The receipt last: its counter row stays locked until commit, and every payment of the office
    # queues on it, so as little as possible happens after taking it.
    receipt = issue_receipt(payment)
    # Money already collected is confirmed even beyond the fee (cash and a card at once): the audit
    # and the reports show the overpayment, for a refund.
    record(actor, "payment.confirmed", reference=notice.reference, obj=payment, provider=payment.provider,
           amount=f"{payment.amount:.2f}", currency=payment.currency, receipt=receipt.number,
           overpaid=net > notice.fee_total)
    return "confirmed"


def _mismatch(payment: Payment, confirmation: Confirmation) -> str:
    if confirmation.currency == payment.currency and confirmation.amount == payment.amount:
        return ""
    return _("The provider reports %(got)s collected, but %(asked)s was asked for.") % {
        "got": f"{confirmation.currency} {confirmation.amount:.2f}",
        "asked": f"{payment.currency} {payment.amount:.2f}"}


def _counted(name: str, evidence: Evidence) -> Confirmation:
    """A person's confirmation through the provider that takes it (cash, bank transfer)."""
    confirmation = _provider(name).confirm(evidence)
    if confirmation is None:
        raise RuntimeError(f"The {name} provider did not turn a person's count into a confirmation.")
    return confirmation


def _provider(name: str) -> PaymentProvider:
    provider = providers.get(name)
    if provider is None:
        raise Refused.one(None, "provider_unavailable",
                          _("The payment provider “%(name)s” is not set up here.") % {"name": name})
    return provider


# Refunds ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RefundOutcome:
    """What happened to a cancelled notice's money: told to the traveller when they cancel."""

    status: str  # none_due, refunded, owed, refused or failed
    message: str
    code: str = ""
    refunds: tuple[Payment, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"status": self.status, "code": self.code or None, "message": self.message,
                "receipts": [r.receipt.number for r in self.refunds if hasattr(r, "receipt")]}


def refund_on_cancellation(notice: Notice, actor: Actor) -> RefundOutcome:
    """After a notice is cancelled, pay back what it paid, per the crossing's rule.

    Decision, kept whatever the provider: the cancellation always stands; the refund follows the
    crossing's rule on the day of cancellation. Online payments go back through their provider at
    once; cash and bank transfers become refunds owed, handed back by an officer or administrator.
    Safe to call again (one refund per payment).
    """
    paid = list(notice.payments.filter(kind=Kind.PAYMENT, status=Status.SUCCEEDED).order_by("pk"))
    if not paid:
        return RefundOutcome("none_due", _("Nothing was paid, so nothing is refunded."))
    try:
        refunds = tuple(refund_payment(payment, actor) for payment in paid)
    except ProviderFailed as failed:
        return RefundOutcome("failed", failed.problems[0].message, failed.problems[0].code)
    except Refused as refused:
        return RefundOutcome("refused", refused.problems[0].message, refused.problems[0].code)
    total = sum((r.amount for r in refunds), ZERO)
    if all(r.status == Status.SUCCEEDED for r in refunds):
        return RefundOutcome("refunded", _("%(amount)s is refunded the way you paid; a refund receipt is issued.")
                             % {"amount": f"{notice.fee_currency} {total:.2f}"}, refunds=refunds)
    return RefundOutcome("owed", _(
        "%(amount)s is owed back to you. Money paid online is refunded at once; cash or a transfer is paid back "
        "by the border service, with a refund receipt.") % {"amount": f"{notice.fee_currency} {total:.2f}"},
        refunds=refunds)


def refund_payment(original: Payment, actor: Actor, *, in_person: bool = False, post: Post | None = None) -> Payment:
    """Pay back one payment of a cancelled notice through the provider that took it.

    Refused when the notice is not cancelled, or the crossing's refund deadline had passed
    when it was cancelled. One refund per payment: asking again returns the first. `in_person`:
    an officer at `post` (or an administrator) hands or sends the money back as they record this.
    """
    try:
        refund = _refund_row(original, actor)
    except Refused as refused:  # recorded outside the transaction the refusal rolled back
        record(actor, "refund.refused", reference=original.notice.reference, obj=original,
               reason=refused.problems[0].code)
        raise
    if refund.status != Status.PENDING or refund.provider_reference:
        return refund  # done, or owed and waiting for a person
    result = _ask_provider_to_refund(original, refund, actor, in_person)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=refund.notice_id)
        refund = Payment.objects.select_for_update().get(pk=refund.pk)
        if refund.status != Status.PENDING or refund.provider_reference:
            return refund  # a concurrent request got the same answer from the provider and recorded it
        refund.provider_reference = result.provider_reference
        refund.save(update_fields=["provider_reference"])
        if result.done:
            _pay_out(notice, refund, actor, post)
        else:
            record(actor, "refund.owed", reference=notice.reference, obj=refund, amount=f"{refund.amount:.2f}")
    return refund


def _ask_provider_to_refund(original: Payment, refund: Payment, actor: Actor, in_person: bool) -> Refunded:
    order = RefundOrder(original.provider_reference, dict(original.provider_data), refund.amount, refund.currency,
                        f"kordon-refund-{refund.public_id}", in_person)
    try:
        return _provider(original.provider).refund(order)
    except ProviderError as exc:
        Payment.objects.filter(pk=refund.pk).update(status=Status.FAILED)  # the next attempt starts a new refund
        record(actor, "refund.failed", reference=original.notice.reference, obj=refund, error=str(exc))
        raise ProviderFailed.one(None, "provider_unavailable", _("The refund could not be made now; the border "
                                                                 "service will try again.")) from exc


def _refund_row(original: Payment, actor: Actor) -> Payment:
    """The payment's refund: the one asked for before (to finish it), or a new one if allowed."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("crossing", "direction__to_post").get(
            pk=original.notice_id)
        original = Payment.objects.select_for_update().get(pk=original.pk)
        existing = original.refunds.exclude(status=Status.FAILED).first()
        if existing is not None:
            return existing
        _require_refundable(notice, original)
        # Issued by headquarters unless an officer hands it over at a post (see _pay_out).
        refund = Payment.objects.create(
            notice=notice, kind=Kind.REFUND, refund_of=original, provider=original.provider, amount=original.amount,
            currency=original.currency, office=HQ, payer=original.payer, recorded_by=actor.user,
        )
        record(actor, "refund.requested", reference=notice.reference, obj=refund, refund_of=original.public_id)
        return refund


def _require_refundable(notice: Notice, original: Payment) -> None:
    if original.kind != Kind.PAYMENT or original.status != Status.SUCCEEDED:
        raise Refused.one(None, "not_refundable", _("Only a payment that went through can be refunded."))
    if notice.status != NoticeStatus.CANCELLED:
        raise Refused.one(None, "not_cancelled", _("Fees are refunded when a notice is cancelled: cancel it first."))
    last = notice.crossing.last_refund_day(notice.expected_date)
    if last is None:
        raise Refused.one(None, "no_refunds", _("Fees for %(crossing)s are not refunded.")
                          % {"crossing": notice.crossing.name})
    cancelled_on = cancellation_day(notice)
    if cancelled_on > last:
        days = notice.crossing.refund_until_days_before or 0
        raise Refused.one(None, "refund_deadline_passed", ngettext(
            "Fees are refunded only until %(days)d day before the crossing date, so the last day for a refund "
            "was %(weekday)s %(last)s. This notice was cancelled on %(cancelled)s: the fee is not refunded.",
            "Fees are refunded only until %(days)d days before the crossing date, so the last day for a refund "
            "was %(weekday)s %(last)s. This notice was cancelled on %(cancelled)s: the fee is not refunded.",
            days,
        ) % {"days": days, "weekday": date_format(last, "l"), "last": last.isoformat(),
             "cancelled": cancelled_on.isoformat()})


def cancellation_day(notice: Notice) -> date:
    """The receiving post's date when the notice was cancelled (`cancelled_at`; anonymization later
    rewrites `updated_at`, never this)."""
    moment = notice.cancelled_at or notice.updated_at  # set by every cancellation; the migration filled old ones
    return timezone.localtime(moment, receipts.zone(notice.direction.to_post.timezone)).date()


def hand_over_refund(refund: Payment, actor: Actor, post: Post | None = None) -> Payment:
    """An officer at `post` (or an administrator, no post) hands back a refund that is owed: receipt it."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=refund.notice_id)
        refund = Payment.objects.select_for_update().get(pk=refund.pk)
        if refund.kind != Kind.REFUND or refund.status != Status.PENDING:
            raise Refused.one(None, "not_owed", _("This refund is not waiting to be handed back."))
        _pay_out(notice, refund, actor, post)
        return refund


def _pay_out(notice: Notice, refund: Payment, actor: Actor, post: Post | None) -> None:
    if post is not None:  # handed over at a post: that post issues the refund's receipt
        refund.post, refund.office = post, post.code.upper()
    refund.status, refund.confirmed_at = Status.SUCCEEDED, timezone.now()
    refund.recorded_by = actor.user or refund.recorded_by
    refund.save(update_fields=["post", "office", "status", "confirmed_at", "recorded_by"])
    refresh_payment_status(notice)
    receipt = issue_receipt(refund)
    record(actor, "refund.paid", reference=notice.reference, obj=refund, amount=f"{refund.amount:.2f}",
           currency=refund.currency, receipt=receipt.number)


# Receipts -----------------------------------------------------------------------------------------------

def issue_receipt(payment: Payment) -> Receipt:
    """Number and keep the receipt of a payment or refund that succeeded; mail it after commit.

    Call inside the transaction that marked the payment succeeded: the number is taken there, so
    a rollback leaves no gap. The receipt is never changed afterwards.
    """
    office, office_name, office_zone = receipts.office_of(payment)
    now = timezone.now()
    local = now.astimezone(office_zone)
    sequence = receipts.next_sequence(office, local.year)
    with translation.override(payment.notice.language):  # a receipt is written once, in its traveller's language
        method, lines = str(providers.label(payment.provider)), receipts.lines(payment)
    receipt = Receipt.objects.create(
        number=receipts.number(office, local.year, sequence), office=office, office_name=office_name,
        year=local.year, sequence=sequence, payment=payment, notice=payment.notice, kind=payment.kind,
        method=method, provider=payment.provider, payer=payment.payer,
        lines=lines, amount=payment.amount, currency=payment.currency, issued_at=now,
        issued_on=local.date(),
    )
    receipt_issued.send(sender=Receipt, receipt=receipt)
    return receipt



# One payment for many notices (a group) -------------------------------------------------------------

BATCH_OFFICE = f"{HQ}-GROUP"  # the combined receipts' own gap-free series
MAX_ORDER_LINES = 100  # providers cap a checkout's lines (Stripe: 100); more notices show as one line


@dataclass(frozen=True)
class BatchCheckout:
    batch: PaymentBatch
    redirect_url: str
    instructions: str
    created: bool


def start_batch_payment(notices: Sequence[Notice], provider_name: str, site_url: str, actor: Actor, *,
                        payer: str = "", email: str = "", language: str = "en") -> BatchCheckout:
    """Start one online payment of what every notice in `notices` still owes (cancelled and paid ones
    are left out). Each notice gets its own pending payment in the batch; the provider is asked once
    for the total. Asking again while that checkout is open returns it, never a second one."""
    if not notices:
        raise Refused.one("notices", "invalid", _("There is nothing to pay: the group has no notices."))
    provider = None
    for crossing in {n.crossing_id: n.crossing for n in notices}.values():
        offered = [p for p in online_providers(crossing) if p.name == provider_name]
        if not offered:
            names = ", ".join(p.name for p in online_providers(crossing)) or _("none; pay at the post")
            raise Refused.one("provider", "invalid", _("“%(name)s” is not offered for this crossing: %(names)s.")
                              % {"name": provider_name, "names": names})
        provider = offered[0]
    assert provider is not None
    batch, created = _pending_batch(notices, provider, actor, payer, email, language)
    if not batch.provider_reference:
        batch = _save_batch_started(batch, _start_batch(provider, batch, site_url))
    data = batch.provider_data
    return BatchCheckout(batch, str(data.get("redirect_url", "")), str(data.get("instructions", "")), created)


def _pending_batch(notices: Sequence[Notice], provider: PaymentProvider, actor: Actor, payer: str, email: str,
                   language: str) -> tuple[PaymentBatch, bool]:
    with transaction.atomic():
        locked = list(Notice.objects.select_for_update().filter(pk__in=[n.pk for n in notices]).order_by("pk"))
        owed = {n.pk: outstanding(n) for n in locked if n.is_active}
        owing = [n for n in locked if owed.get(n.pk, ZERO) > 0]
        if not owing:
            raise Refused.one(None, "already_paid", _("Every notice of this group is paid in full or cancelled."))
        if len({n.fee_currency for n in owing}) > 1:
            raise Refused.one(None, "invalid", _("The notices' fees are in different currencies: pay each currency "
                                                 "on its own."))
        wanted = {(n.pk, owed[n.pk]) for n in owing}
        open_batches = PaymentBatch.objects.filter(
            provider=provider.name, status=Status.PENDING, created_at__gt=timezone.now() - PENDING_FOR,
            payments__notice_id=owing[0].pk).prefetch_related("payments")
        for open_batch in open_batches:
            if {(p.notice_id, p.amount) for p in open_batch.payments.all()} == wanted:
                return open_batch, False
        total = sum((owed[n.pk] for n in owing), ZERO)
        batch = PaymentBatch.objects.create(provider=provider.name, amount=total, currency=owing[0].fee_currency,
                                            payer=payer, email=email, language=language)
        Payment.objects.bulk_create([
            Payment(notice=n, provider=provider.name, amount=owed[n.pk], currency=n.fee_currency, office=HQ,
                    payer=payer or _lead_traveller(n), batch=batch, public_id=new_public_id())
            for n in owing])
        for n in owing:
            record(actor, "payment.started", reference=n.reference, provider=provider.name,
                   amount=f"{owed[n.pk]:.2f}", currency=n.fee_currency, batch=batch.public_id)
        record(actor, "payment.batch_started", obj=batch, provider=provider.name, amount=f"{total:.2f}",
               currency=batch.currency, notices=len(owing))
        return batch, True


def _start_batch(provider: PaymentProvider, batch: PaymentBatch, site_url: str) -> Started:
    back = site_url + reverse("payments:batch_return", args=[batch.public_id])
    payments = list(batch.payments.select_related("notice").order_by("notice_id"))
    if len(payments) <= MAX_ORDER_LINES:
        lines = [OrderLine(_("Notice %(reference)s") % {"reference": p.notice.display_reference}, 1, p.amount)
                 for p in payments]
    else:
        lines = [OrderLine(ngettext("%(count)d notice", "%(count)d notices", len(payments))
                           % {"count": len(payments)}, 1, batch.amount)]
    order = Order(
        payment_id=batch.public_id, reference=batch.public_id, amount=batch.amount, currency=batch.currency,
        lines=lines, idempotency_key=f"kordon-batch-{batch.public_id}", email=batch.email,
        return_url=back, cancel_url=back + "?cancelled=1",
    )
    try:
        return provider.start(order)
    except ProviderError as exc:
        with transaction.atomic():
            PaymentBatch.objects.filter(pk=batch.pk, status=Status.PENDING).update(status=Status.FAILED)
            batch.payments.filter(status=Status.PENDING).update(status=Status.FAILED)
            record(SYSTEM, "payment.batch_start_failed", obj=batch, error=str(exc))
        raise ProviderFailed.one("provider", "provider_unavailable", _(
            "%(provider)s is not answering right now. Try again in a few minutes, or choose another way to pay."
        ) % {"provider": providers.label(provider.name)}) from exc


def _save_batch_started(batch: PaymentBatch, started: Started) -> PaymentBatch:
    with transaction.atomic():
        batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
        batch.provider_reference = started.provider_reference
        batch.provider_data = {"redirect_url": started.redirect_url, "instructions": started.instructions}
        batch.save(update_fields=["provider_reference", "provider_data"])
        return batch


def _apply_batch_notification(provider_name: str, batch: PaymentBatch, confirmation: Confirmation) -> str:
    with transaction.atomic():
        ids = list(batch.payments.values_list("notice_id", flat=True))
        notices = {n.pk: n for n in Notice.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        if not _first_delivery(provider_name, confirmation):
            return "duplicate"
        batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
        outcome = confirm_batch(batch, notices, confirmation, SYSTEM)
        WebhookEvent.objects.filter(provider=provider_name, event_id=confirmation.event_id).update(outcome=outcome)
        return outcome


def confirm_batch(batch: PaymentBatch, notices: dict[int, Notice], confirmation: Confirmation, actor: Actor) -> str:
    """The provider collected a batch: every notice's payment is confirmed (each with its own receipt,
    through confirm_payment) and the batch gets its combined receipt. Call inside a transaction with
    the notices (in pk order) and the batch locked."""
    if batch.status in (Status.SUCCEEDED, Status.FLAGGED):
        return f"already_{batch.status}"
    batch.provider_data = {**batch.provider_data, **confirmation.details}
    payments = list(Payment.objects.select_for_update().filter(batch=batch).order_by("notice_id"))
    if not confirmation.paid:
        batch.status = Status.FAILED
        batch.save(update_fields=["status", "provider_data"])
        Payment.objects.filter(batch=batch, status=Status.PENDING).update(status=Status.FAILED)
        record(actor, "payment.batch_failed", obj=batch, event=confirmation.event_type)
        return "failed"
    if confirmation.currency != batch.currency or confirmation.amount != batch.amount:
        reason = _("The provider reports %(got)s collected, but %(asked)s was asked for.") % {
            "got": f"{confirmation.currency} {confirmation.amount:.2f}",
            "asked": f"{batch.currency} {batch.amount:.2f}"}
        batch.status, batch.flag_reason = Status.FLAGGED, reason
        batch.save(update_fields=["status", "flag_reason", "provider_data"])
        Payment.objects.filter(batch=batch, status=Status.PENDING).update(status=Status.FLAGGED, flag_reason=reason)
        record(actor, "payment.batch_flagged", obj=batch, reason=reason)
        return "flagged"
    lines = []
    for payment in payments:
        notice = notices[payment.notice_id]
        share = Confirmation(provider_reference=confirmation.provider_reference, paid=True, amount=payment.amount,
                             currency=payment.currency, event_type=confirmation.event_type,
                             details={"batch": batch.public_id})
        confirm_payment(notice, payment, share, actor)
        receipt = Receipt.objects.get(payment=payment)
        lines.append({"reference": notice.reference, "display_reference": notice.display_reference,
                      "travellers": notice.travellers.count(), "amount": f"{payment.amount:.2f}",
                      "receipt_number": receipt.number})
    now = timezone.now()
    year = now.astimezone(receipts.zone(settings.TIME_ZONE)).year
    batch.status, batch.confirmed_at = Status.SUCCEEDED, now
    batch.receipt_number = receipts.number(BATCH_OFFICE, year, receipts.next_sequence(BATCH_OFFICE, year))
    batch.receipt_lines = lines
    batch.save(update_fields=["status", "confirmed_at", "provider_data", "receipt_number", "receipt_lines"])
    record(actor, "payment.batch_confirmed", obj=batch, receipt=batch.receipt_number, notices=len(lines),
           amount=f"{batch.amount:.2f}", currency=batch.currency)
    return "confirmed"
