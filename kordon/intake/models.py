"""Conversations with travellers who announce a crossing by WhatsApp or email.

Each incoming message is kept once (by WhatsApp's message id or the email's Message-ID), adds to
its conversation's draft, and is answered. The draft becomes a notice only when the traveller
confirms it. Photos wait encrypted (the documents app's sealing) until the notice exists.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kordon.notices.models import Notice


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")


class State(models.TextChoices):
    COLLECTING = "collecting", _("Collecting details")
    CONFIRMING = "confirming", _("Waiting for the traveller's confirmation")
    FILED = "filed", _("Filed")
    TAKEN_OVER = "taken_over", _("Taken over by headquarters")


class Conversation(models.Model):
    channel = models.CharField(max_length=10, choices=Channel.choices)
    address = models.CharField(max_length=254, help_text="WhatsApp id (digits) or email address.")
    name = models.CharField(max_length=120, blank=True)
    language = models.CharField(max_length=8, default="en")
    state = models.CharField(max_length=12, choices=State.choices, default=State.COLLECTING)
    draft = models.JSONField(default=dict)
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    last_subject = models.CharField(max_length=200, blank=True)
    last_message_id = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["channel", "address", "state"], name="conversation_open_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.address}"


class Message(models.Model):
    """One message in or out; `external_id` keeps an incoming message once however often it is delivered."""

    conversation = models.ForeignKey(Conversation, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="messages")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    external_id = models.CharField(max_length=300)
    incoming = models.BooleanField(default=True)
    sender = models.CharField(max_length=254)
    sender_name = models.CharField(max_length=120, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    payload = models.JSONField(default=dict, help_text="What the channel sent (WhatsApp: the message object).")
    raw = models.BinaryField(blank=True, default=b"", help_text="An email as received (MIME), attachments included.")
    received_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["channel", "external_id"], name="message_once")]

    def __str__(self) -> str:
        return f"{'from' if self.incoming else 'to'} {self.sender}: {self.text[:40]}"


class Attachment(models.Model):
    """A photo or file sent in a conversation, sanitized and encrypted, until it becomes a document."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=24, help_text="passport, vehicle_photo, vehicle_registration or other.")
    content_type = models.CharField(max_length=40)
    key_id = models.CharField(max_length=64)
    wrapped_key = models.BinaryField()
    nonce = models.BinaryField()
    sealed = models.BinaryField()
    mrz = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.kind} in {self.conversation}"

    def associated_data(self) -> bytes:
        return f"kordon.intake.attachment:{self.conversation_id}:{self.kind}".encode()
