"""The reviewer's desk: per-crossing rules that send a notice to a person, and each notice's review."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kordon.crossings.models import Crossing
from kordon.notices.models import Notice


class ReviewRules(models.Model):
    """When a notice that passes every check still waits for a person instead of being accepted."""

    crossing = models.OneToOneField(Crossing, on_delete=models.CASCADE, related_name="review_rules")
    expiry_margin_days = models.PositiveSmallIntegerField(
        _("document expiry margin (days)"), default=0,
        help_text="A document valid for the crossing but expiring within this many days more goes to review "
                  "(0: off).")
    require_mrz = models.BooleanField(_("review notices without an MRZ"), default=False,
                                      help_text="A traveller without the passport's MRZ lines goes to review.")
    exact_mrz_names = models.BooleanField(
        _("review names that differ from the MRZ's transliteration"), default=False,
        help_text="Names the filing check accepts (accents left out, another spelling) but that are not exactly "
                  "the ICAO transliteration of the MRZ go to review.")
    party_larger_than = models.PositiveSmallIntegerField(
        _("review parties larger than"), null=True, blank=True, help_text="Empty: off.")
    nationalities = models.CharField(
        _("nationalities to review"), max_length=500, blank=True,
        help_text="ISO 3166-1 alpha-3 codes, comma-separated, e.g. AFG,SYR.")

    class Meta:
        verbose_name = _("review rules")
        verbose_name_plural = _("review rules")

    def __str__(self) -> str:
        return str(self.crossing)

    def nationality_codes(self) -> set[str]:
        return {code.strip().upper() for code in self.nationalities.split(",") if code.strip()}


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class Review(models.Model):
    """A notice waiting for (or decided by) a reviewer, with why it was sent and how long it waited."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reviews")
    reasons = models.JSONField(default=list)  # [{"code", "traveller": position or null, "detail"}]
    opened_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["opened_at", "pk"]
        indexes = [models.Index(fields=["decided_at", "opened_at"], name="review_queue_idx")]
        constraints = [models.UniqueConstraint(fields=["notice"], condition=Q(decided_at__isnull=True),
                                               name="one_open_review_per_notice")]

    def __str__(self) -> str:
        return f"{self.notice} ({self.decision or 'open'})"

    @property
    def waited(self) -> float:
        """Seconds in the queue: until decided, or until now."""
        return ((self.decided_at or timezone.now()) - self.opened_at).total_seconds()
