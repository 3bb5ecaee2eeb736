"""Reconciliation: the receipts an office issued on a day, by provider, with totals per currency."""

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from kordon.payments.models import Kind, Receipt

COLUMNS = ["date", "office", "provider", "kind", "receipt_number", "reference", "amount", "currency"]


def receipts_on(day: date, office: str | None = None) -> QuerySet[Receipt]:
    """Receipts issued on `day` (each office's own date), of one office or all."""
    found = Receipt.objects.filter(issued_on=day).select_related("notice")
    if office:
        found = found.filter(office=office.upper())
    return found.order_by("office", "provider", "sequence")


def as_csv(day: date, office: str | None = None) -> str:
    """One row per receipt, then per office and provider and currency the payments, refunds and
    net, then the same for everything in the report. Amounts are plain decimals (refunds positive,
    with kind `refund`), so that a spreadsheet sums them without guessing."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    groups: dict[tuple[str, str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for r in receipts_on(day, office):
        writer.writerow([r.issued_on.isoformat(), r.office, r.provider, r.kind, r.number, r.notice.display_reference,
                         f"{r.amount:.2f}", r.currency])
        for key in ((r.office, r.provider, r.currency), ("all", "all", r.currency)):
            groups[key][r.kind] += r.amount
    writer.writerow([])
    for (group_office, provider, currency), sums in sorted(groups.items(), key=lambda kv: (kv[0][0] == "all", kv[0])):
        paid, refunded = sums[Kind.PAYMENT], sums[Kind.REFUND]
        for kind, amount in (("total_payments", paid), ("total_refunds", refunded), ("net", paid - refunded)):
            writer.writerow([day.isoformat(), group_office, provider, kind, "", "", f"{amount:.2f}", currency])
    return out.getvalue()
