"""The seal authority's public side and the seals it issued.

No root (CSCA) private key is ever stored here: an administrator keeps it in an encrypted file (or
on a device) and brings it to the commands that need it. Barcode signers' keys are stored, always
encrypted with KORDON_SEAL_KEY_PASSPHRASE (see kordon.seals.keys).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from cryptography import x509
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kordon.notices.models import Notice


class Authority(models.Model):
    """A root certificate (CSCA) of one country: what every post trusts."""

    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 of the state, e.g. TJ.")
    name = models.CharField(max_length=200)
    certificate = models.BinaryField(help_text="DER of the self-signed root certificate.")
    sha256 = models.CharField(max_length=64, unique=True, help_text="Fingerprint to compare out of band.")
    not_after = models.DateTimeField()
    key_location = models.CharField(
        max_length=300, blank=True, help_text="Where the administrator keeps the private key (never the key)."
    )
    is_demo = models.BooleanField(
        default=False, help_text="Created by `kordon seals demo`: never trusted or used without KORDON_DEBUG."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["country", "created_at"]
        verbose_name_plural = "authorities"

    def __str__(self) -> str:
        return f"{self.name} ({self.country}, {self.sha256[:16]}…)"

    @cached_property
    def cert(self) -> x509.Certificate:
        return x509.load_der_x509_certificate(bytes(self.certificate))


class RevocationList(models.Model):
    """A CRL signed by an authority's offline key; the newest per authority is published."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="revocation_lists")
    crl = models.BinaryField(help_text="DER of the certificate revocation list.")
    this_update = models.DateTimeField()
    next_update = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["authority_id", "-this_update", "-pk"]

    def __str__(self) -> str:
        return f"CRL of {self.authority.country} of {self.this_update:%Y-%m-%d}"


class SignerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired (signs no new seals; its seals stay valid)")
    REVOKED = "revoked", _("Revoked (its seals are invalid)")


class Signer(models.Model):
    """A barcode signer (BSC): signs seals during its usage period, vouches for them until not_after."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="signers")
    certificate = models.BinaryField(help_text="DER of the signer certificate, embedded in every seal.")
    serial = models.CharField(max_length=50, unique=True, help_text="Certificate serial number, hexadecimal.")
    encrypted_key = models.TextField(help_text="PKCS#8 PEM encrypted with KORDON_SEAL_KEY_PASSPHRASE.")
    status = models.CharField(max_length=10, choices=SignerStatus.choices, default=SignerStatus.ACTIVE)
    not_before = models.DateTimeField()
    use_until = models.DateTimeField(help_text="Last moment the signer issues new seals.")
    not_after = models.DateTimeField(help_text="End of the certificate's validity: its seals expire then.")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["authority_id", "-not_after"]

    def __str__(self) -> str:
        return f"signer {self.serial} of {self.authority.country} ({self.status})"

    @cached_property
    def cert(self) -> x509.Certificate:
        return x509.load_der_x509_certificate(bytes(self.certificate))

    def in_use_at(self, at: datetime) -> bool:
        """Whether the signer may sign a new seal at ``at``."""
        return self.status == SignerStatus.ACTIVE and self.not_before <= at <= self.use_until and at < self.not_after


class RevokeReason(models.TextChoices):
    REPLACED = "replaced", _("The notice changed (e.g. moved to another date)")
    CANCELLED = "cancelled", _("The notice was cancelled")
    WITHDRAWN = "withdrawn", _("Withdrawn by an administrator")


class Seal(models.Model):
    """A seal issued for a notice. At most one per notice is current (not revoked)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="seals")
    number = models.PositiveIntegerField(help_text="The notice's n-th seal: `sn` in the seal's message.")
    seal_id = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the signed data (vdsnc.seal_id).")
    document = models.TextField(help_text="The VDS-NC JSON, compact, exactly as put in the QR code.")
    signer = models.ForeignKey(Signer, on_delete=models.PROTECT, related_name="seals")
    valid_from = models.DateField()
    valid_until = models.DateField()
    issued_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(default=timezone.now, help_text="Later than issued_at when re-signed.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=20, choices=RevokeReason.choices, blank=True)

    class Meta:
        ordering = ["notice_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "number"], name="seal_number_unique"),
            models.UniqueConstraint(
                fields=["notice"], condition=Q(revoked_at__isnull=True), name="one_current_seal_per_notice"
            ),
        ]

    def __str__(self) -> str:
        return f"seal {self.number} of {self.notice_id} ({self.seal_id[:12]}…)"

    def expires_at(self, tz: str) -> datetime:
        """The end of the last day of the seal's window, in the receiving post's time zone."""
        return datetime.combine(self.valid_until + timedelta(days=1), time.min, tzinfo=ZoneInfo(tz))


class RevokedSeals(models.Model):
    """The signed list of withdrawn seal ids (vdsnc.REVOKED_SEALS_TYPE): one row, re-signed on change.

    Posts download it with the trust list; it is locked while rebuilt so that two revocations at once
    cannot each publish a list without the other's seal.
    """

    document = models.TextField(blank=True, help_text="The signed list, or empty when no signer could sign it.")
    ids = models.JSONField(default=list)
    # Seal id -> last day of its window. Kept here, not only on Seal rows, so that deleting a notice
    # (retention) never drops a withdrawn seal from the list while it could still be shown.
    expiries = models.JSONField(default=dict)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "revoked seals"

    def __str__(self) -> str:
        return f"{len(self.ids)} revoked seals as of {self.issued_at:%Y-%m-%d %H:%M}"

