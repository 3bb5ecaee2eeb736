"""What a receipt says and how it is numbered: gap-free per issuing office and year."""

import zoneinfo
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from kordon.crossings.models import VehicleKind
from kordon.notices.references import normalize
from kordon.payments.models import HQ, Kind, Payment, Receipt, ReceiptCounter, Status


def find(number: str, reference: str) -> Receipt | None:
    """The receipt with this number of the notice with this reference (both as printed), or None."""
    return (Receipt.objects.select_related("notice", "notice__crossing", "payment", "payment__post")
            .filter(number=number.strip().upper(), notice__reference=normalize(reference) or "").first())


def is_refunded(receipt: Receipt) -> bool:
    """Whether the payment this receipt is for has been paid back (a refund that went through)."""
    return receipt.payment.refunds.filter(status=Status.SUCCEEDED).exists()


def zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def office_of(payment: Payment) -> tuple[str, str, zoneinfo.ZoneInfo]:
    """The issuing office's code, name and time zone: the post where cash changed hands, else HQ."""
    if payment.post is not None:
        return payment.post.code.upper(), payment.post.name, zone(payment.post.timezone)
    return HQ, settings.KORDON_HQ_NAME, zone(settings.TIME_ZONE)


def next_sequence(office: str, year: int) -> int:
    """The office's next receipt number in `year`. Call inside the payment's transaction.

    The counter row stays locked until that transaction ends, so concurrent payments queue here;
    if the payment rolls back, so does the increment, and the number is used by the next one.
    """
    counter = ReceiptCounter.objects.select_for_update().filter(office=office, year=year).first()
    if counter is None:  # the office's first receipt this year; if two race, the unique row wins once
        ReceiptCounter.objects.get_or_create(office=office, year=year)
        counter = ReceiptCounter.objects.select_for_update().get(office=office, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def number(office: str, year: int, sequence: int) -> str:
    return f"{office}-{year}-{sequence:06d}"


def describe(line: dict[str, Any]) -> str:
    """A frozen fee line in words: 'Entry fee per person', 'Vehicle fee: camper'."""
    item = str(line.get("item", ""))
    if item == "person":
        text = _("Entry fee per person")
    elif item.startswith("vehicle:"):
        kind = item.removeprefix("vehicle:")
        label = VehicleKind(kind).label if kind in VehicleKind.values else kind
        text = _("Vehicle fee: %(kind)s") % {"kind": label}
    else:
        text = item
    if line.get("exemption"):
        return _("%(line)s (exempt: %(exemption)s)") % {"line": text, "exemption": line["exemption"]}
    return text


def lines(payment: Payment) -> list[dict[str, Any]]:
    """The receipt's lines: the notice's fee lines for the whole fee, else one line saying what it was."""
    notice = payment.notice
    if payment.kind == Kind.REFUND:
        original = payment.refund_of
        about = _("Refund of receipt %(number)s") % {"number": original.receipt.number} if original else _("Refund")
        return [{"description": about, "quantity": 1, "amount": f"{payment.amount:.2f}"}]
    if payment.amount == notice.fee_total:
        return [{"description": describe(x), "quantity": x["quantity"], "amount": x["amount"]}
                for x in notice.fee_lines]
    part = _("Part of the fee of %(currency)s %(amount)s") % {"currency": notice.fee_currency,
                                                              "amount": f"{notice.fee_total:.2f}"}
    return [{"description": part, "quantity": 1,
             "amount": f"{payment.amount:.2f}"}]
