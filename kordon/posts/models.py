"""Officers, and what they record at a post: stamps and refusals."""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kordon.crossings.models import Post
from kordon.notices.models import Notice, Traveller


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    SUPERVISOR = "supervisor", _("Supervisor")


class Officer(models.Model):
    """A user who works at one post. API requests authenticate with the token, pages with a login."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="officers")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OFFICER)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # The console's language, chosen by the officer; blank follows the browser (kordon.languages).
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True)
    device_key_epoch = models.PositiveIntegerField(
        default=0, help_text="Raised when a device of the officer is lost: the key its offline data was "
                             "encrypted with is then never handed out again (see docs/offline.md).",
    )

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.role} at {self.post.code})"

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR


class StampKind(models.TextChoices):
    ENTRY = "entry", _("Entry")
    EXIT = "exit", _("Exit")


class Stamp(models.Model):
    """A traveller stamped at a post. At most one per traveller, post and kind (a constraint, so
    two officers pressing at once still make one)."""

    event_id = models.UUIDField(default=uuid.uuid4, unique=True)
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="stamps")
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="stamps")
    traveller = models.ForeignKey(Traveller, on_delete=models.PROTECT, related_name="stamps")
    kind = models.CharField(max_length=10, choices=StampKind.choices, default=StampKind.ENTRY)
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="stamps")
    admission = models.BooleanField(default=False, help_text="Admitted by a supervisor though not on the list.")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now, help_text="When it happened (on the device, if offline).")
    received_at = models.DateTimeField(default=timezone.now, help_text="When the server received it.")
    local_date = models.DateField(help_text="The post's date when stamped.")
    # Exits only: the crossing's exit permits (codes) the traveller handed back, and those not handed back.
    permits_returned = models.JSONField(default=list, blank=True)
    permits_outstanding = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["traveller", "post", "kind"], name="one_stamp_per_traveller"),
        ]
        # A day's list holds whoever was stamped at the post that day (posts.services.entry_list).
        indexes = [models.Index(fields=["post", "local_date"], name="stamp_post_day")]

    def __str__(self) -> str:
        return f"{self.kind} {self.traveller} at {self.post.code}"


class Refusal(models.Model):
    """An officer turned a traveller away, with the reason; the traveller may not be in kordon."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="refusals")
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="refusals")
    traveller = models.ForeignKey(Traveller, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    document_number = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="refusals")
    at = models.DateTimeField(default=timezone.now, help_text="When it happened (on the device, if offline).")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"refused {self.document_number or self.name} at {self.post.code}"


class Journey(models.Model):
    """A party between the posts: from its first exit at the departing post until everyone who left
    is stamped in or refused at the receiving post. Overdue after `due_by`; its supervisors are
    alerted once (`alerted_at` is claimed with a conditional UPDATE, so two workers never both alert)."""

    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, related_name="journey")
    to_post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="journeys")
    exited_at = models.DateTimeField()
    due_by = models.DateTimeField(db_index=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_by"]
        indexes = [models.Index(fields=["to_post", "ended_at", "due_by"], name="journey_open_idx")]

    def __str__(self) -> str:
        return f"{self.notice} to {self.to_post.code}, due {self.due_by:%Y-%m-%d %H:%M}"

    def overdue(self, now: datetime) -> bool:
        return self.ended_at is None and now > self.due_by
