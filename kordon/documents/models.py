"""A traveller's document: a passport copy, vehicle papers or a vehicle photo, stored encrypted.

The row holds everything needed to open the stored file except the master key: the storage names
(random, so nothing about the traveller shows in a bucket listing), the file keys wrapped under the
master key named by ``key_id``, and the nonces. Content and preview are sealed separately, each
under its own fresh file key, with associated data naming this row and its notice (see
:meth:`Document.associated_data`), so a stored object cannot be moved to another record.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kordon.documents.encryption import Sealed
from kordon.notices.models import Notice, Traveller


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport copy")
    VEHICLE_REGISTRATION = "vehicle_registration", _("Vehicle registration papers")
    VEHICLE_PHOTO = "vehicle_photo", _("Photo of the vehicle")


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="documents")
    traveller = models.ForeignKey(Traveller, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="documents", help_text="Whose passport this is.")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    content_type = models.CharField(max_length=40, help_text="Of the stored, sanitized content.")
    size = models.PositiveIntegerField(help_text="Bytes of the stored content before encryption.")
    received_size = models.PositiveIntegerField(help_text="Bytes the client sent (photos are shrunk in the browser).")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, help_text="Of the stored content before encryption.")
    content_name = models.CharField(max_length=100, editable=False)
    preview_name = models.CharField(max_length=100, editable=False)
    # One master key wraps both file keys: they are always rewrapped together.
    key_id = models.CharField(max_length=64, editable=False)
    wrapped_key = models.BinaryField(max_length=40, editable=False)
    nonce = models.BinaryField(max_length=12, editable=False)
    preview_wrapped_key = models.BinaryField(max_length=40, editable=False)
    preview_nonce = models.BinaryField(max_length=12, editable=False)
    uploaded_at = models.DateTimeField(default=timezone.now, db_index=True)
    uploaded_by = models.CharField(max_length=120, help_text="Who sent it: the traveller's token or a user.")

    class Meta:
        ordering = ["uploaded_at"]
        indexes = [models.Index(fields=["notice", "kind"], name="document_notice_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.notice.display_reference}"

    def associated_data(self, part: str) -> bytes:
        """What content ("content") or preview ("preview") is sealed to: this row, its notice, the part."""
        return f"kordon.document:{self.pk}:{self.notice.reference}:{part}".encode()

    def sealed(self, part: str) -> Sealed:
        """The encryption record of the content or the preview, as the encryption module wants it."""
        if part == "content":
            return Sealed(self.key_id, bytes(self.wrapped_key), bytes(self.nonce))
        return Sealed(self.key_id, bytes(self.preview_wrapped_key), bytes(self.preview_nonce))

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(self.content_type, "bin")
