"""Crossings are data, not code: posts, directions, rules and fees are edited by administrators."""

import zoneinfo
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def names(value: str) -> list[str]:
    """'cash, Stripe' -> ['cash', 'stripe']: how comma-separated fields are read."""
    return [item.strip().lower() for item in value.split(",") if item.strip()]


def validate_providers(value: str) -> None:
    # The known providers are a setting (KORDON_PAYMENT_PROVIDERS), so a new gateway needs no migration.
    known = list(settings.KORDON_PAYMENT_PROVIDERS)
    unknown = [name for name in names(value) if name not in known]
    if unknown:
        raise ValidationError(_("Unknown payment provider %(unknown)s: use %(known)s.")
                              % {"unknown": ", ".join(unknown), "known": ", ".join(known)})


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a time zone name such as Asia/Bishkek.") % {"value": value})


class VehicleKind(models.TextChoices):
    CAR = "car", _("Car")
    CAMPER = "camper", _("Camper van or truck")
    TRUCK = "truck", _("Truck")
    MOTORCYCLE = "motorcycle", _("Motorcycle")
    BICYCLE = "bicycle", _("Bicycle")


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
    transit_hours = models.PositiveSmallIntegerField(
        default=6, help_text="How long a party may take between the two posts; later, it is overdue and the "
                             "receiving post's supervisors are alerted.",
    )
    visa = models.CharField(max_length=200, blank=True, help_text="Empty means no visa is needed at the border.")
    car_tax = models.CharField(max_length=200, blank=True)
    car_insurance = models.CharField(max_length=200, blank=True)
    carnet = models.CharField(max_length=200, blank=True)
    other_requirements = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    services_nearby = models.TextField(blank=True)
    # The public page (/crossings/<slug>/): what travellers hear by word of mouth, from the authority.
    what_to_bring = models.TextField(
        blank=True, help_text="One item per line, e.g. 'Passport valid for the whole trip'.",
    )
    seasonal_notes = models.TextField(blank=True, help_text="e.g. 'The pass can be snowy until June.'")
    transport_between_posts = models.TextField(
        blank=True, help_text="How travellers get from one post to the other, e.g. 'No public transport.'",
    )
    is_open = models.BooleanField(default=True)
    # Payments: how fees are paid and refunded here (see kordon.payments).
    payment_providers = models.CharField(
        max_length=200, default="cash", validators=[validate_providers],
        help_text="How travellers may pay, comma-separated, in the order offered, e.g. cash, stripe, bank_transfer.",
    )
    payment_required_before_entry = models.BooleanField(
        default=False, help_text="Officers may only stamp travellers whose party has paid in full."
    )
    refund_until_days_before = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="A cancelled notice is refunded in full until this many days before its date, and not after. "
                  "Empty: fees are never refunded.",
    )
    display_currencies = models.CharField(
        max_length=50, blank=True,
        help_text="Local currencies to show estimates in, comma-separated, e.g. KGS,TJS (rates: Currency rates).",
    )
    # Documents and retention (see kordon.documents): what travellers must send, and how long it is kept.
    require_passport_copies = models.BooleanField(
        default=True, help_text="Each traveller sends a copy of their passport.",
    )
    require_vehicle_papers = models.BooleanField(
        default=True, help_text="A party with a vehicle sends its registration papers and a photo of it.",
    )
    documents_keep_days_after_entry = models.PositiveSmallIntegerField(
        default=30, help_text="Documents are deleted this many days after the party entered.",
    )
    no_show_grace_days = models.PositiveSmallIntegerField(
        default=30, help_text="Documents of a party that never entered (or cancelled) are deleted this many days "
                              "after its last allowed arrival day.",
    )
    personal_data_keep_days = models.PositiveSmallIntegerField(
        default=365, help_text="Names, document numbers, birth dates, contacts and plates are anonymized this many "
                               "days after entry (or the last allowed arrival day); references, fees and stamps stay.",
    )

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

    def providers(self) -> list[str]:
        return names(self.payment_providers)

    def local_currencies(self) -> list[str]:
        return [name.upper() for name in names(self.display_currencies)]

    def last_change(self) -> "CrossingChange | None":
        return self.changes.first()

    def last_refund_day(self, expected: date) -> date | None:
        """The last day on which a cancelled notice for `expected` is refunded; None: never refunded."""
        if self.refund_until_days_before is None:
            return None
        return expected - timedelta(days=self.refund_until_days_before)


class Post(models.Model):
    crossing = models.ForeignKey(Crossing, on_delete=models.PROTECT, related_name="posts")
    code = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, e.g. KG.")
    timezone = models.CharField(max_length=64, validators=[validate_timezone], help_text="e.g. Asia/Bishkek")
    side = models.CharField(max_length=60, blank=True, help_text="e.g. 'Tajik side'.")
    offline_days = models.PositiveSmallIntegerField(
        default=2, help_text="How many days (today and the next ones) the post's devices keep offline.",
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def local_today(self) -> date:
        """Today's date at the post: the entry list and lead time follow the post's calendar, not UTC."""
        return self.local_date(timezone.now())

    def local_date(self, moment: datetime) -> date:
        """The post's date at `moment` (an aware datetime)."""
        return moment.astimezone(zoneinfo.ZoneInfo(self.timezone)).date()

    def offline_dates(self) -> list[date]:
        """The days the post's devices keep offline: today at the post and the next ones."""
        today = self.local_today()
        return [today + timedelta(days=n) for n in range(max(1, self.offline_days))]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """A weekday on which a post opens, and its hours (local time). A weekday without a row is closed;
    a post with no rows at all has not published its hours and is taken as open every day."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField(help_text="Local time at the post, e.g. 08:00.")
    closes = models.TimeField(help_text="Local time at the post, e.g. 17:00.")

    class Meta:
        ordering = ["post", "weekday"]
        verbose_name_plural = "opening hours"
        constraints = [models.UniqueConstraint(fields=["post", "weekday"], name="opening_hours_weekday_unique")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError({"closes": _("A post must close after it opens.")})


class ClosedDate(models.Model):
    """A day on which a post is closed whatever its weekly hours say: a holiday, a closure."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="closed_dates")
    date = models.DateField()
    reason = models.CharField(max_length=100, blank=True, help_text="Shown to travellers, e.g. 'Independence Day'.")

    class Meta:
        ordering = ["post", "date"]
        constraints = [models.UniqueConstraint(fields=["post", "date"], name="closed_date_unique")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}".strip()


class CrossingChange(models.Model):
    """One save in the admin that changed what travellers are told: recorded so the public page can
    say when the authority last changed the rules, and what changed."""

    crossing = models.ForeignKey(Crossing, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+")
    # [{"what": "Fee line", "object": "person", "action": "changed", "fields": [{"name", "from", "to"}]}]
    entries = models.JSONField(default=list)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.crossing} changed {self.at:%Y-%m-%d %H:%M}"


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


class ExitPermit(models.Model):
    """A paper the departing post takes back from each traveller leaving in a direction (e.g. a permit
    for a special zone): the exit records which were handed back and which are outstanding."""

    crossing = models.ForeignKey(Crossing, on_delete=models.CASCADE, related_name="exit_permits")
    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="exit_permits")
    code = models.SlugField(max_length=30, help_text="Short and stable, e.g. gbao: the API and records use it.")
    name = models.CharField(max_length=100, help_text="As officers and travellers call it.")

    class Meta:
        ordering = ["direction_id", "code"]
        constraints = [models.UniqueConstraint(fields=["direction", "code"], name="exit_permit_code_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code}, {self.direction})"


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

    @property
    def vehicle_kind_label(self) -> str:
        """The vehicle kind's name in the active language ("" for the per-person fee)."""
        kind = self.item.removeprefix("vehicle:")
        return str(VehicleKind(kind).label) if kind in VehicleKind.values else ""

    def clean(self) -> None:
        kinds = {f"vehicle:{kind}" for kind in VehicleKind.values}
        if self.item != "person" and self.item not in kinds:
            kinds_list = ", ".join(sorted(kinds))
            raise ValidationError({"item": _("Use “person” or one of %(kinds)s.") % {"kinds": kinds_list}})
        if self.amount is not None and self.amount < Decimal("0"):
            raise ValidationError({"amount": _("A fee cannot be negative.")})


class FeeExemption(models.Model):
    """Travellers who pay no per-person fee: children under an age, or nationals of a country.

    Exemptions apply per traveller when a notice is filed; the result is frozen with the fee.
    """

    crossing = models.ForeignKey(Crossing, on_delete=models.CASCADE, related_name="fee_exemptions")
    label = models.CharField(max_length=100, help_text="Shown on the fee and the receipt, e.g. 'Children under 12'.")
    under_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Exempt if younger than this many years on the crossing date."
    )
    nationality = models.CharField(
        max_length=3, blank=True, help_text="Exempt if of this nationality (ISO 3166-1 alpha-3, e.g. KGZ)."
    )

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if (self.under_age is None) == (not self.nationality):
            raise ValidationError(_("Give either an age or a nationality (one exemption per rule)."))
        self.nationality = self.nationality.upper()

    def applies(self, date_of_birth: date, nationality: str, on: date) -> bool:
        if self.nationality:
            return nationality.upper() == self.nationality.upper()
        return self.under_age is not None and age_on(date_of_birth, on) < self.under_age


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on `day` (someone born on 29 February has their birthday on 1 March)."""
    had_birthday = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if had_birthday else 1)


class CurrencyRate(models.Model):
    """How many units of `currency` one unit of `base` buys, kept by administrators.

    Used only to show travellers an estimate in local money; fees are charged in the fee currency.
    """

    base = models.CharField(max_length=3, default="USD", help_text="The fee currency, e.g. USD.")
    currency = models.CharField(max_length=3, help_text="The local currency, e.g. KGS.")
    rate = models.DecimalField(max_digits=14, decimal_places=6, help_text="Units of the currency per 1 base unit.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["base", "currency"]
        constraints = [models.UniqueConstraint(fields=["base", "currency"], name="currency_rate_unique")]

    def __str__(self) -> str:
        return f"1 {self.base} = {self.rate} {self.currency}"

    def clean(self) -> None:
        self.base, self.currency = self.base.upper(), self.currency.upper()
        if self.rate is not None and self.rate <= 0:
            raise ValidationError({"rate": _("A rate must be more than zero.")})
