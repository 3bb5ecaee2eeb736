"""Payments, refunds and their receipts. Money is Decimal; every payment that succeeds has a receipt.

A notice may have several payments (a party paying in parts, in cash and online); its
`payment_status` is derived from them by `kordon.payments.balance.refresh_payment_status`.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kordon.crossings.models import Post
from kordon.notices.models import Notice

HQ = "HQ"  # the issuing office of online payments and bank transfers


def new_public_id() -> str:
    return secrets.token_urlsafe(18)


class Kind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    REFUND = "refund", _("Refund")


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")  # started, or (a refund) owed and not yet handed back
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    FLAGGED = "flagged", _("Flagged")  # the provider reported something we did not ask for: a person looks
    EXPIRED = "expired", _("Expired")


class PaymentBatch(models.Model):
    """One payment for many notices (an agency's group): one checkout at the provider for the total,
    one combined receipt listing each notice. Each notice still has its own `Payment` (with the
    batch) and, once paid, its own receipt: those are what reports count and refunds return."""

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    provider = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    payer = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    provider_reference = models.CharField(max_length=255, blank=True, db_index=True)
    provider_data = models.JSONField(default=dict, blank=True)
    flag_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The combined receipt: numbered in its own gap-free series (HQ-GROUP-2026-000001), lines per notice.
    receipt_number = models.CharField(max_length=60, unique=True, null=True, blank=True)
    receipt_lines = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "provider_reference"], condition=~Q(provider_reference=""),
                                    name="batch_provider_reference_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="batch_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"batch {self.amount} {self.currency} ({self.provider}, {self.status})"


class Payment(models.Model):
    """Money moving for a notice, in (a payment) or back out (a refund), through one provider."""

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PAYMENT)
    provider = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    office = models.CharField(max_length=40, help_text="Where the receipt is issued: a post's code, or HQ.")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    refund_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds")
    payer = models.CharField(max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=255, unique=True, null=True, blank=True, editable=False)
    request_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    provider_reference = models.CharField(max_length=255, blank=True, db_index=True)
    provider_data = models.JSONField(default=dict, blank=True)
    flag_reason = models.TextField(blank=True)
    batch = models.ForeignKey(PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "provider_reference"], condition=~Q(provider_reference=""),
                                    name="payment_provider_reference_unique"),
            # One live refund per payment: a second cancellation click must not pay back twice.
            models.UniqueConstraint(fields=["refund_of"], condition=Q(kind="refund") & ~Q(status="failed"),
                                    name="one_refund_per_payment"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency} ({self.provider}, {self.status})"

    @property
    def signed_amount(self) -> Decimal:
        return self.amount if self.kind == Kind.PAYMENT else -self.amount


class Receipt(models.Model):
    """What was paid or refunded, by whom, for which notice, where and when. Never changed once issued.

    Numbered without gaps per issuing office and year (`KG-BORDOBO-2026-000017`): the number comes
    from a counter row locked inside the payment's transaction, so a rollback gives the number back.
    """

    number = models.CharField(max_length=60, unique=True)
    office = models.CharField(max_length=40)
    office_name = models.CharField(max_length=120)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="receipts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    method = models.CharField(max_length=60)
    provider = models.CharField(max_length=30)
    payer = models.CharField(max_length=200, blank=True)
    lines = models.JSONField(default=list)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_on = models.DateField(help_text="The issuing office's date: reports and numbering follow it.")
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year", "sequence"], name="receipt_sequence_unique"),
        ]

    def __str__(self) -> str:
        return self.number


class ReceiptCounter(models.Model):
    """The last receipt number issued by an office in a year. Locked, never a database sequence:
    sequences skip numbers when a transaction rolls back, and receipts must have no gaps."""

    office = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="receipt_counter_unique")]

    def __str__(self) -> str:
        return f"{self.office} {self.year}: {self.last}"


class WebhookEvent(models.Model):
    """A notification a provider sent us, kept once: a second delivery of the same event is a no-op."""

    provider = models.CharField(max_length=30)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    outcome = models.CharField(max_length=30)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id} {self.type}: {self.outcome}"
