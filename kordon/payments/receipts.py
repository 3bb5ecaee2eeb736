"""What a receipt says and how it is numbered: gap-free per issuing office and year."""

import zoneinfo
from typing import Any

from django.conf import settings

from kordon.payments.models import HQ, Kind, Payment, ReceiptCounter


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
        text = "Entry fee per person"
    elif item.startswith("vehicle:"):
        text = f"Vehicle fee: {item.removeprefix('vehicle:')}"
    else:
        text = item
    return f"{text} (exempt: {line['exemption']})" if line.get("exemption") else text


def lines(payment: Payment) -> list[dict[str, Any]]:
    """The receipt's lines: the notice's fee lines for the whole fee, else one line saying what it was."""
    notice = payment.notice
    if payment.kind == Kind.REFUND:
        original = payment.refund_of
        about = f"Refund of receipt {original.receipt.number}" if original else "Refund"
        return [{"description": about, "quantity": 1, "amount": f"{payment.amount:.2f}"}]
    if payment.amount == notice.fee_total:
        return [{"description": describe(x), "quantity": x["quantity"], "amount": x["amount"]}
                for x in notice.fee_lines]
    return [{"description": f"Part of the fee of {notice.fee_currency} {notice.fee_total:.2f}", "quantity": 1,
             "amount": f"{payment.amount:.2f}"}]
