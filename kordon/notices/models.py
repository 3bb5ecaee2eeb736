"""A crossing notice: one party (travellers and at most one vehicle) announcing one crossing."""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kordon.crossings.models import Crossing, Direction, Post, VehicleKind
from kordon.crossings.opening import PostCalendar
from kordon.notices.references import display
from kordon.text import compact, fold


class NoticeStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    UNDER_REVIEW = "under_review", _("Under review")
    CANCELLED = "cancelled", _("Cancelled")
    ENTERED = "entered", _("Entered")


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    REFUNDED = "refunded", _("Refunded")


class Notice(models.Model):
    reference = models.CharField(max_length=10, unique=True)
    access_token_hash = models.CharField(max_length=64, unique=True)
    crossing = models.ForeignKey(Crossing, on_delete=models.PROTECT, related_name="notices")
    direction = models.ForeignKey(Direction, on_delete=models.PROTECT, related_name="notices")
    expected_date = models.DateField(db_index=True)
    status = models.CharField(max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.ACCEPTED)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=32, blank=True)
    # The fee is frozen when filed: changing a crossing's fees never changes a filed notice.
    fee_total = models.DecimalField(max_digits=10, decimal_places=2)
    fee_currency = models.CharField(max_length=3)
    fee_lines = models.JSONField(default=list)
    payment_status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID)
    idempotency_key_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    request_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # The traveller's language when filing: every later email to them is written in it.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    # Pretend travellers made by `kordon demoparties` for trying kordon; never set by filing.
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # When it was cancelled: refunds are judged on that day, however much later they are retried.
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)

    DEFAULT_LANGUAGE = "en"

    class Meta:
        indexes = [models.Index(fields=["direction", "expected_date"], name="notice_list_idx")]

    def __str__(self) -> str:
        return self.display_reference

    @property
    def display_reference(self) -> str:
        return display(self.reference)

    @property
    def receiving_post(self) -> Post:
        return self.direction.to_post

    @property
    def is_active(self) -> bool:
        return self.status in (NoticeStatus.ACCEPTED, NoticeStatus.UNDER_REVIEW)

    def arrival_window(self, calendar: PostCalendar | None = None) -> tuple[date, date]:
        """The days the party may be stamped in, counted in the receiving post's open days."""
        calendar = calendar or PostCalendar.of(self.direction.to_post)
        return calendar.window(self.expected_date, self.crossing.arrival_days_early, self.crossing.arrival_days_late)

    def fee_dict(self) -> dict[str, Any]:
        return {"total": f"{self.fee_total:.2f}", "currency": self.fee_currency, "lines": self.fee_lines}


class Traveller(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="travellers")
    position = models.PositiveSmallIntegerField(default=0)
    surname = models.CharField(max_length=100)
    given_names = models.CharField(max_length=100, blank=True)
    nationality = models.CharField(max_length=3)
    sex = models.CharField(max_length=1, choices=[("F", "Female"), ("M", "Male"), ("X", "Unspecified")])
    date_of_birth = models.DateField()
    document_number = models.CharField(max_length=20)
    document_expiry = models.DateField()
    mrz = models.TextField(blank=True)
    # Search keys, kept in step with the typed fields by save().
    document_key = models.CharField(max_length=20, db_index=True, editable=False)
    name_key = models.CharField(max_length=201, db_index=True, editable=False)

    class Meta:
        ordering = ["notice_id", "position"]

    def __str__(self) -> str:
        return f"{self.surname}, {self.given_names}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.document_key = compact(self.document_number)
        self.name_key = fold(f"{self.surname} {self.given_names}")
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.surname.upper()}, {self.given_names}" if self.given_names else self.surname.upper()


class Vehicle(models.Model):
    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, related_name="vehicle")
    plate = models.CharField(max_length=20)
    country = models.CharField(max_length=2, help_text="Registration country, ISO 3166-1 alpha-2.")
    kind = models.CharField(max_length=20, choices=VehicleKind.choices)
    make = models.CharField(max_length=60, blank=True)
    model = models.CharField(max_length=60, blank=True)
    plate_key = models.CharField(max_length=20, db_index=True, editable=False)

    def __str__(self) -> str:
        return f"{self.plate} ({self.country})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.plate_key = compact(self.plate)
        super().save(*args, **kwargs)
