"""Crossings are data, not code: posts, directions, rules and fees are edited by administrators."""

import zoneinfo
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as Asia/Bishkek.")


class VehicleKind(models.TextChoices):
    CAR = "car", "Car"
    CAMPER = "camper", "Camper van or truck"
    TRUCK = "truck", "Truck"
    MOTORCYCLE = "motorcycle", "Motorcycle"
    BICYCLE = "bicycle", "Bicycle"


class Crossing(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    lead_time_days = models.PositiveSmallIntegerField(
        default=5, help_text="Notices must be filed at least this many days before the crossing date."
    )
    document_validity_days = models.PositiveSmallIntegerField(
        default=0, help_text="Travel documents must stay valid this many days after the crossing date."
    )
    arrival_days_early = models.PositiveSmallIntegerField(
        default=0, help_text="A traveller may be stamped this many days before the listed date."
    )
    arrival_days_late = models.PositiveSmallIntegerField(
        default=0, help_text="A traveller may be stamped this many days after the listed date."
    )
    altitude_m = models.PositiveIntegerField(null=True, blank=True)
    visa = models.CharField(max_length=200, blank=True, help_text="Empty means no visa is needed at the border.")
    car_tax = models.CharField(max_length=200, blank=True)
    car_insurance = models.CharField(max_length=200, blank=True)
    carnet = models.CharField(max_length=200, blank=True)
    other_requirements = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    services_nearby = models.TextField(blank=True)
    is_open = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def requirements(self) -> dict[str, str | bool]:
        """Each requirement is False when not needed, or the text that says what is needed."""
        return {
            "visa": self.visa or False,
            "car_tax": self.car_tax or False,
            "car_insurance": self.car_insurance or False,
            "carnet": self.carnet or False,
            "other": self.other_requirements or False,
        }

    def arrival_window(self, expected: date) -> tuple[date, date]:
        return expected - timedelta(days=self.arrival_days_early), expected + timedelta(days=self.arrival_days_late)


class Post(models.Model):
    crossing = models.ForeignKey(Crossing, on_delete=models.PROTECT, related_name="posts")
    code = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, e.g. KG.")
    timezone = models.CharField(max_length=64, validators=[validate_timezone], help_text="e.g. Asia/Bishkek")
    side = models.CharField(max_length=60, blank=True, help_text="e.g. 'Tajik side'.")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def local_today(self) -> date:
        """Today's date at the post: the entry list and lead time follow the post's calendar, not UTC."""
        return timezone.now().astimezone(zoneinfo.ZoneInfo(self.timezone)).date()


class Direction(models.Model):
    crossing = models.ForeignKey(Crossing, on_delete=models.CASCADE, related_name="directions")
    code = models.CharField(max_length=5, help_text="From-To country codes, e.g. TJ-KG.")
    from_post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="departures")
    to_post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="arrivals")

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["crossing", "code"], name="direction_code_unique")]

    def __str__(self) -> str:
        return self.code


class NationalityRule(models.Model):
    """Nationals of a country may not cross here (optionally: only in one direction)."""

    crossing = models.ForeignKey(Crossing, on_delete=models.CASCADE, related_name="nationality_rules")
    nationality = models.CharField(max_length=3, help_text="ISO 3166-1 alpha-3 as in passports, e.g. TJK.")
    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, null=True, blank=True)
    message = models.CharField(max_length=300, help_text="Shown to the traveller: why, and where to cross instead.")

    def __str__(self) -> str:
        return f"{self.nationality} not allowed at {self.crossing}"


class FeeLine(models.Model):
    """What is charged per person or per vehicle of a kind; copied onto each notice when filed."""

    crossing = models.ForeignKey(Crossing, on_delete=models.CASCADE, related_name="fee_lines")
    item = models.CharField(
        max_length=30,
        help_text="'person' or 'vehicle:<kind>' where kind is " + ", ".join(VehicleKind.values),
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")

    class Meta:
        ordering = ["item"]
        constraints = [models.UniqueConstraint(fields=["crossing", "item"], name="fee_item_unique")]

    def __str__(self) -> str:
        return f"{self.item}: {self.amount} {self.currency}"

    def clean(self) -> None:
        kinds = {f"vehicle:{kind}" for kind in VehicleKind.values}
        if self.item != "person" and self.item not in kinds:
            raise ValidationError({"item": "Use 'person' or one of " + ", ".join(sorted(kinds)) + "."})
        if self.amount is not None and self.amount < Decimal("0"):
            raise ValidationError({"amount": "A fee cannot be negative."})
