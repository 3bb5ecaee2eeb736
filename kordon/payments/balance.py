"""What a party has paid, owes and is owed back: read from its payments and refunds.

`refresh_payment_status` is the one place a notice's `payment_status` is set after filing.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from kordon.notices.models import Notice, NoticeStatus, PaymentStatus
from kordon.payments.models import Kind, Payment, Status

ZERO = Decimal("0.00")


def _totals(payments: Iterable[Mapping[str, Any]]) -> dict[tuple[int, str], Decimal]:
    return {(int(str(row["notice_id"])), str(row["kind"])): Decimal(str(row["total"])) for row in payments}


def _succeeded_totals(notice_ids: Iterable[int]) -> dict[tuple[int, str], Decimal]:
    rows = (Payment.objects.filter(notice_id__in=list(notice_ids), status=Status.SUCCEEDED)
            .order_by().values("notice_id", "kind").annotate(total=Sum("amount")))
    return _totals(rows)


def paid_amount(notice: Notice) -> Decimal:
    """What the party has paid and not been refunded."""
    totals = _succeeded_totals([notice.pk])
    return totals.get((notice.pk, Kind.PAYMENT), ZERO) - totals.get((notice.pk, Kind.REFUND), ZERO)


def outstanding(notice: Notice) -> Decimal:
    """What the party still owes (never negative; nothing for a cancelled notice)."""
    if notice.status == NoticeStatus.CANCELLED:
        return ZERO
    return max(notice.fee_total - paid_amount(notice), ZERO)


def derive_payment_status(fee_total: Decimal, paid: Decimal, refunded: Decimal) -> str:
    """The notice's payment status from what its payments and refunds add up to."""
    net = paid - refunded
    if refunded and net <= 0:
        return PaymentStatus.REFUNDED
    if net >= fee_total:
        return PaymentStatus.PAID
    return PaymentStatus.PARTIALLY_PAID if net > 0 else PaymentStatus.UNPAID


def refresh_payment_status(notice: Notice) -> str:
    """Derive `notice.payment_status` from its succeeded payments and refunds, and store it.

    The one place the status is set after filing. Call with the notice row locked, inside the
    transaction that changed a payment, so that two payments at once cannot both see half the sum.
    """
    return settle(notice)[0]


def settle(notice: Notice) -> tuple[str, Decimal]:
    """refresh_payment_status, also returning what the party has paid net of refunds."""
    totals = _succeeded_totals([notice.pk])
    paid, refunded = totals.get((notice.pk, Kind.PAYMENT), ZERO), totals.get((notice.pk, Kind.REFUND), ZERO)
    status = derive_payment_status(notice.fee_total, paid, refunded)
    if status != notice.payment_status:
        notice.payment_status = status
        Notice.objects.filter(pk=notice.pk).update(payment_status=status)
    return status, paid - refunded


@dataclass(frozen=True)
class PartyPayments:
    """What the post console shows for a party: what it owes, and refunds owed to it."""

    owed: Decimal
    currency: str
    refunds_owed: list[Payment]


def party_payments(notices: Iterable[Notice]) -> dict[int, PartyPayments]:
    """For each notice, what is owed and which refunds wait to be handed back: two queries in all."""
    by_id = {n.pk: n for n in notices}
    totals = _succeeded_totals(by_id)
    waiting: dict[int, list[Payment]] = {}
    for refund in Payment.objects.filter(notice_id__in=list(by_id), kind=Kind.REFUND, status=Status.PENDING):
        waiting.setdefault(refund.notice_id, []).append(refund)
    result = {}
    for pk, notice in by_id.items():
        paid = totals.get((pk, Kind.PAYMENT), ZERO) - totals.get((pk, Kind.REFUND), ZERO)
        owed = ZERO if notice.status == NoticeStatus.CANCELLED else max(notice.fee_total - paid, ZERO)
        result[pk] = PartyPayments(owed, notice.fee_currency, waiting.get(pk, []))
    return result
