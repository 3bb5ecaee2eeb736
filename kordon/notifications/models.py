"""What kordon tells travellers: one row per notice, kind and occasion, so each is sent once.

A row is written inside the transaction of what caused it (a seal issued, a receipt numbered, a
cancellation) and delivered after commit by a task. The channel and address are settled when it is
delivered: the traveller may have written from WhatsApp after filing on the web.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kordon.notices.models import Notice


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")


class Kind(models.TextChoices):
    CONFIRMATION = "confirmation", _("Confirmation with the seal")
    AMENDMENT = "amendment", _("Amendment with the new seal")
    RECEIPT = "receipt", _("Payment receipt")
    REFUND = "refund", _("Refund receipt")
    REMINDER = "reminder", _("Reminder two days before")
    TODAYS_LIST = "todays_list", _("On today's list")
    CANCELLATION = "cancellation", _("Cancellation")
    UNDER_REVIEW = "under_review", _("Under review by a person")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Failed, will be tried again")
    FAILED = "failed", _("Failed, given up")
    SKIPPED = "skipped", _("Not sent (no address, or stopped on request)")


class Notification(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Tells occasions of one kind apart: the seal's number, the receipt's number, the list's date.
    occasion = models.CharField(max_length=40, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True, help_text="The seal or receipt it is about.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    address = models.CharField(max_length=254, blank=True)
    language = models.CharField(max_length=10, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "kind", "occasion"], name="notification_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.notice}"


class Recipient(models.Model):
    """A person reachable on a channel: their language, when they last wrote, whether they said stop."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    address = models.CharField(max_length=254, help_text="An email address, or a WhatsApp id (digits).")
    language = models.CharField(max_length=10, blank=True)
    # WhatsApp allows free text only within 24 hours of the person's last message; templates after.
    last_heard_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True, help_text="Asked to receive no more notifications.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "address"], name="recipient_once")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.address}"


class NoticeRecipient(models.Model):
    """Where a notice's notifications go when the traveller chose a channel (e.g. filed by WhatsApp)."""

    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, related_name="notification_route")
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="notices")

    def __str__(self) -> str:
        return f"{self.notice} → {self.recipient}"
