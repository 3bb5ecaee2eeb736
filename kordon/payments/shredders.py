"""Payments and receipts stay for the accounts; the payer's name goes with the notice's personal data."""

from kordon.payments.models import Payment, Receipt
from kordon.shredding import Shredder, register


@register
class Payers(Shredder):
    name = "payers"

    def shred(self, notice_ids: list[int]) -> None:
        Payment.objects.filter(notice_id__in=notice_ids).update(payer="")
        Receipt.objects.filter(notice_id__in=notice_ids).update(payer="")
