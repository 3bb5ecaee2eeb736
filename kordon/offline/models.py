"""What offline posts need on the server: which travellers changed (for sync cursors), and the events
devices pushed (idempotent by event id; conflicts and refusals kept for a supervisor)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kordon.crossings.models import Post
from kordon.posts.models import Officer, Refusal, Stamp


class Change(models.Model):
    """The last change of a traveller's sync entry, written by database triggers (migration 0002) on
    travellers, notices, vehicles, seals and stamps, so no code path can forget it.

    `version` orders changes for cursors: on PostgreSQL it is the writing transaction's id, on
    SQLite one more than the highest so far (writes are serialized there). See docs/architecture.md.
    """

    traveller_id = models.BigIntegerField(primary_key=True)  # no foreign key: a deleted traveller stays here
    version = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"traveller {self.traveller_id} at {self.version}"


class EventKind(models.TextChoices):
    ENTRY = "entry", _("Entry stamp")
    EXIT = "exit", _("Exit")
    REFUSAL = "refusal", _("Refusal")


class Outcome(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    CONFLICT = "conflict", _("Conflict")
    REFUSED = "refused", _("Refused")


class DeviceEvent(models.Model):
    """One event a post's device recorded (often offline) and pushed later. Kept whatever happened:
    an event is a fact at the border, never dropped."""

    event_id = models.UUIDField(unique=True)
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="device_events")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="device_events")
    device = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=10, choices=EventKind.choices, blank=True)
    payload = models.JSONField(default=dict, help_text="The event as the device sent it.")
    device_at = models.DateTimeField(null=True, blank=True, help_text="When it happened, by the device's clock.")
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    stamp = models.ForeignKey(Stamp, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              help_text="The stamp made, or for a conflict the one that already stood.")
    refusal = models.ForeignKey(Refusal, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    errors = models.JSONField(default=list, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["post", "outcome", "resolved_at"], name="device_event_review_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id} at {self.post.code}: {self.outcome}"
