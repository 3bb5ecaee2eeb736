"""What administrators do with the seal authority: set up a root, issue, retire and revoke signers,
renew the revocation list, and set up a demo authority for development. Each is one transaction.

The root's private key never enters the database: set_up_authority writes it to an encrypted file
the administrator keeps (off the server if they can), and the operations that need it take the
key, loaded by the caller from that file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kordon.audit.services import SYSTEM, Actor, record
from kordon.seals import authority as pki
from kordon.seals import keys
from kordon.seals.models import Authority, RevocationList, Signer, SignerStatus
from kordon.seals.services import publish_revoked_seals
from kordon.seals.vdsnc import COUNTRY_ALPHA3

MIN_PASSPHRASE = 12  # the key file's PBKDF2 is light: a short passphrase would be guessable
DEFAULT_SIGNER_DAYS = pki.MAX_SIGNER_DAYS
DEFAULT_USE_DAYS = 90
DEFAULT_CRL_DAYS = 90
DEMO_PASSPHRASE = b"kordon-demo-authority-not-secret"


class AdministrationError(ValueError):
    """An administrative operation refused; the message says what to do instead."""


def check_passphrase(passphrase: bytes) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise AdministrationError(f"Use a passphrase of at least {MIN_PASSPHRASE} characters for a root key.")


def _spki(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def authority_of(key: ec.EllipticCurvePrivateKey) -> Authority:
    """The authority whose root certificate belongs to ``key``."""
    ours = _spki(key.public_key())
    for candidate in Authority.objects.order_by("-created_at"):
        public = candidate.cert.public_key()
        if isinstance(public, ec.EllipticCurvePublicKey) and _spki(public) == ours:
            return candidate
    raise AdministrationError(
        "This key belongs to no authority known here. Check the key file, or run `kordon seals init-authority`."
    )


def _store_crl(row: Authority, crl: x509.CertificateRevocationList) -> RevocationList:
    return RevocationList.objects.create(
        authority=row, crl=crl.public_bytes(serialization.Encoding.DER),
        this_update=crl.last_update_utc, next_update=crl.next_update_utc or crl.last_update_utc,
    )


def set_up_authority(
    *, country: str, name: str, key_path: Path, passphrase: bytes, years: int = 10,
    crl_days: int = DEFAULT_CRL_DAYS, demo: bool = False, actor: Actor = SYSTEM,
) -> Authority:
    """Create a root key and certificate for ``country``; the key goes to ``key_path``, encrypted.

    Also publishes the root's first (empty) revocation list. Raises AdministrationError for a short
    passphrase, ValueError for a country kordon has no ICAO code for, FileExistsError if the key
    file exists.
    """
    check_passphrase(passphrase)
    key, cert = pki.create_authority(country=country, common_name=name, valid_years=years)
    pki.save_private_key(key, key_path, passphrase)
    with transaction.atomic():
        row = Authority.objects.create(
            country=country, name=name, certificate=cert.public_bytes(serialization.Encoding.DER),
            sha256=pki.certificate_sha256(cert), not_after=cert.not_valid_after_utc,
            key_location=str(key_path), is_demo=demo,
        )
        crl = pki.create_crl(authority_key=key, authority_cert=cert, revoked_serials=[], next_update_days=crl_days)
        _store_crl(row, crl)
        record(actor, "seal.authority_created", obj=row, country=country, sha256=row.sha256, demo=demo)
    return row


def add_signer(
    authority_key: ec.EllipticCurvePrivateKey, *, valid_days: int = DEFAULT_SIGNER_DAYS,
    use_days: int = DEFAULT_USE_DAYS, name: str = "", actor: Actor = SYSTEM,
) -> Signer:
    """Issue a barcode signer from the root that ``authority_key`` belongs to, and store it.

    It signs seals for ``use_days`` and vouches for them for ``valid_days`` (so the seals it signs
    last day stay valid ``valid_days - use_days`` days). Its key is stored encrypted (kordon.seals.keys).
    Raises AdministrationError or ValueError with what to fix.
    """
    if not 1 <= use_days <= valid_days:
        raise AdministrationError("The usage period must be between 1 day and the certificate's validity.")
    row = authority_of(authority_key)
    common_name = name or f"kordon seal signer {row.country} {timezone.now():%Y-%m-%d %H%M%S}"
    key, cert = pki.issue_signer(
        authority_key=authority_key, authority_cert=row.cert, common_name=common_name, valid_days=valid_days
    )
    with transaction.atomic():
        signer = Signer.objects.create(
            authority=row, certificate=cert.public_bytes(serialization.Encoding.DER),
            serial=format(cert.serial_number, "x"), encrypted_key=keys.seal_key(key),
            not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
            use_until=min(cert.not_valid_before_utc + timedelta(days=use_days), cert.not_valid_after_utc),
        )
        record(actor, "seal.signer_added", obj=signer, serial=signer.serial, country=row.country)
    return signer


def _signer(serial: str) -> Signer:
    signer = Signer.objects.select_related("authority").filter(serial=serial.lower().removeprefix("0x")).first()
    if signer is None:
        raise AdministrationError(f"There is no signer {serial!r}; `kordon seals status` lists them.")
    return signer


def retire_signer(serial: str, actor: Actor = SYSTEM) -> Signer:
    """Stop a signer signing new seals; the seals it signed stay valid until its certificate expires."""
    with transaction.atomic():
        signer = _signer(serial)
        if signer.status == SignerStatus.ACTIVE:
            signer.status = SignerStatus.RETIRED
            signer.save(update_fields=["status"])
            record(actor, "seal.signer_retired", obj=signer, serial=signer.serial)
    return signer


def renew_crl(authority_key: ec.EllipticCurvePrivateKey, *, days: int = DEFAULT_CRL_DAYS,
              actor: Actor = SYSTEM) -> RevocationList:
    """Publish a new revocation list of the key's authority naming every signer it revoked."""
    with transaction.atomic():
        row = authority_of(authority_key)
        serials = [int(s, 16) for s in row.signers.filter(status=SignerStatus.REVOKED).values_list("serial", flat=True)]
        crl = pki.create_crl(authority_key=authority_key, authority_cert=row.cert, revoked_serials=serials,
                             next_update_days=days)
        stored = _store_crl(row, crl)
        record(actor, "seal.crl_published", obj=stored, revoked=len(serials))
    return stored


def revoke_signer(serial: str, authority_key: ec.EllipticCurvePrivateKey, *, days: int = DEFAULT_CRL_DAYS,
                  actor: Actor = SYSTEM) -> Signer:
    """Revoke a signer (e.g. its key leaked): every seal it signed becomes invalid at posts that take
    the new revocation list. Current seals are signed again by another signer when next shown."""
    with transaction.atomic():
        signer = _signer(serial)
        if authority_of(authority_key).pk != signer.authority_id:
            raise AdministrationError("This key is not the key of the authority that issued the signer.")
        signer.status, signer.revoked_at = SignerStatus.REVOKED, timezone.now()
        signer.save(update_fields=["status", "revoked_at"])
        record(actor, "seal.signer_revoked", obj=signer, serial=signer.serial)
        renew_crl(authority_key, days=days, actor=actor)
        publish_revoked_seals()  # re-signed by a signer that is still trusted
    return signer


# ---------------------------------------------------------------------------------------------
# Demo


@dataclass(frozen=True)
class DemoSetUp:
    country: str
    authority: Authority
    signer: Signer
    created: bool


def _demo_key(row: Authority) -> ec.EllipticCurvePrivateKey | None:
    try:
        return pki.load_private_key(Path(row.key_location), DEMO_PASSPHRASE)
    except (OSError, pki.KeyFileError):
        return None  # the key file went with a cleaned var/: start a new demo root


def _demo_country(country: str, key_dir: Path) -> DemoSetUp:
    now = timezone.now()
    signer = Signer.objects.select_related("authority").filter(
        authority__country=country, authority__is_demo=True, status=SignerStatus.ACTIVE,
        use_until__gte=now, not_after__gt=now,
    ).first()
    if signer is not None:
        return DemoSetUp(country, signer.authority, signer, created=False)
    row = Authority.objects.filter(country=country, is_demo=True).order_by("-created_at").first()
    key = _demo_key(row) if row else None
    if row is None or key is None:
        path = key_dir / f"demo-authority-{country}-{datetime.now(UTC):%Y%m%d%H%M%S%f}.pem"
        row = set_up_authority(country=country, name=f"kordon DEMO seal authority {country}", key_path=path,
                               passphrase=DEMO_PASSPHRASE, demo=True)
        key = pki.load_private_key(path, DEMO_PASSPHRASE)
    signer = add_signer(key, name=f"kordon DEMO seal signer {country}")
    return DemoSetUp(country, row, signer, created=True)


def set_up_demo(key_dir: Path) -> list[DemoSetUp]:
    """A demo authority and signer for each state kordon serves, unless there are already; only with
    KORDON_DEBUG. The demo root keys are written under ``key_dir`` with a published passphrase."""
    if not settings.DEBUG:
        raise AdministrationError(
            "The demo authority is for development only (KORDON_DEBUG=true). In production run "
            "`kordon seals init-authority` and `kordon seals new-signer`."
        )
    key_dir.mkdir(parents=True, exist_ok=True)
    return [_demo_country(country, key_dir) for country in sorted(COUNTRY_ALPHA3)]
