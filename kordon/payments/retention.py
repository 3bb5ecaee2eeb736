"""Payments and receipts stay for the accounts; the payer's name goes with the notice's personal data."""

from typing import Any

from django.dispatch import receiver

from kordon.documents.signals import personal_data_anonymized
from kordon.payments.models import Payment, Receipt


@receiver(personal_data_anonymized)
def forget_payers(sender: Any, notice_ids: list[int], **kwargs: Any) -> None:
    Payment.objects.filter(notice_id__in=notice_ids).update(payer="")
    Receipt.objects.filter(notice_id__in=notice_ids).update(payer="")
