"""Tour agencies: accounts with members, API tokens and the notices (and groups) they file."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kordon.notices.models import Notice


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    webhook_url = models.URLField(_("webhook URL"), blank=True,
                                  help_text="Where kordon posts the agency's notices' events (https).")
    webhook_secret = models.CharField(max_length=64, default=new_webhook_secret, editable=False,
                                      help_text="Signs each webhook (HMAC-SHA256); shown to the agency's manager.")

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    FILER = "filer", _("Filer")
    MANAGER = "manager", _("Manager")


class Member(models.Model):
    """A person who logs in for an agency: a filer files and pays, a manager also runs its tokens."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="members")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_member")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.FILER)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return f"{self.user} ({self.agency}, {self.role})"


class Scope(models.TextChoices):
    FILE = "file", _("File, amend and cancel notices")
    PAY = "pay", _("Pay notices")
    READ = "read", _("Read notices")


class Token(models.Model):
    """An agency's API token: shown once, stored as a hash, several at once, each named and scoped."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="agency_token_name_unique")]

    def __str__(self) -> str:
        return f"{self.agency}: {self.name}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Group(models.Model):
    """A tour: many notices filed together by an agency, paid at once."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.agency}: {self.name}"


class AgencyNotice(models.Model):
    """A notice that belongs to an agency: its tokens and members read, change and pay it."""

    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, related_name="agency_link")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="notice_links")
    token = models.ForeignKey(Token, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT, related_name="links")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("agency notice")
        verbose_name_plural = _("agency notices")
        indexes = [models.Index(fields=["agency", "created_at"], name="agency_notice_idx")]

    def __str__(self) -> str:
        return f"{self.agency}: {self.notice}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    RETRYING = "retrying", _("Failed, will be tried again")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed, given up")


class WebhookDelivery(models.Model):
    """One event posted to an agency's webhook: what, when, each attempt's outcome (the delivery log)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="deliveries")
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    event = models.CharField(max_length=20)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.agency}: {self.event} ({self.status})"
