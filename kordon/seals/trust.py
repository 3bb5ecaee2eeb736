"""What a verifier trusts: root certificates, their CRLs, and the signed list of withdrawn seals.

The trust list (``GET /api/v1/seals/trust-list``, ``kordon seals publish``) is the whole of it, as
one JSON document a post can carry on a USB stick::

    {"roots": [{"certificate": <base64 DER>, "sha256", "country", "name", "not_after",
                "revocation_list": <base64 DER CRL> | null}, ...],
     "revocation_list": <the first root's CRL> | null,    # API v1; with several roots see each root's
     "revoked_seals": [<seal id>, ...],                   # the ids, for readers that cannot check...
     "revoked_seals_signed": <a kordon.revoked-seals seal> | null,   # ...this signed copy of them
     "issued_at": <ISO UTC>}

Roots are what a post must pin (compare their SHA-256 out of band); everything else is signed by
them. The post console verifies against exactly this document, as an offline post would.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kordon.seals.authority import certificate_sha256, load_certificate, load_crl
from kordon.seals.models import Authority, RevocationList, RevokedSeals, Signer, SignerStatus
from kordon.seals.vdsnc import RevokedSealsRejected, SealMalformed, signer_trusted, verify_revoked_seals


class TrustListInvalid(ValueError):
    """A trust list document that cannot be used; the message says why."""


@dataclass(frozen=True)
class TrustMaterial:
    """Everything verify_seal needs besides the seal. ``warnings`` explain what could not be used."""

    roots: list[x509.Certificate]
    crls: list[x509.CertificateRevocationList]
    revoked_seal_ids: frozenset[str]
    warnings: list[str] = field(default_factory=list)


def trusted_authorities() -> QuerySet[Authority]:
    """Authorities whose roots are published. Demo roots only while KORDON_DEBUG is on."""
    authorities = Authority.objects.all()
    return authorities if settings.DEBUG else authorities.filter(is_demo=False)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _newest_crls(authorities: Iterable[Authority]) -> dict[int, RevocationList]:
    newest: dict[int, RevocationList] = {}
    ids = [authority.pk for authority in authorities]
    for crl in RevocationList.objects.filter(authority_id__in=ids).order_by("authority_id", "-this_update", "-pk"):
        newest.setdefault(crl.authority_id, crl)
    return newest


def _root_json(authority: Authority, crl: RevocationList | None) -> dict[str, Any]:
    return {
        "certificate": _b64(bytes(authority.certificate)),
        "sha256": authority.sha256,
        "country": authority.country,
        "name": authority.name,
        "not_after": authority.not_after.astimezone(UTC).isoformat(),
        "revocation_list": _b64(bytes(crl.crl)) if crl else None,
    }


def trust_list() -> dict[str, Any]:
    """The trust list document (module docstring) as it stands in the database now."""
    authorities = list(trusted_authorities())
    crls = _newest_crls(authorities)
    roots = [_root_json(authority, crls.get(authority.pk)) for authority in authorities]
    revoked = RevokedSeals.objects.first()
    return {
        "roots": roots,
        "revocation_list": roots[0]["revocation_list"] if roots else None,
        "revoked_seals": list(revoked.ids) if revoked else [],
        "revoked_seals_signed": json.loads(revoked.document) if revoked and revoked.document else None,
        "issued_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }


def _b64url_int(value: int) -> str:
    return base64.urlsafe_b64encode(value.to_bytes(32, "big")).rstrip(b"=").decode("ascii")


def checked_signers() -> list[dict[str, Any]]:
    """The seal signers a verifier may trust, already checked here against the published roots and
    their CRLs, with their public keys as JWK (P-256): a browser then needs no X.509 parser.

    Expired and revoked signers are left out; their seals are refused as signed by an unknown key.
    """
    authorities = list(trusted_authorities())
    crls = [load_crl(bytes(crl.crl)) for crl in _newest_crls(authorities).values()]
    roots = [authority.cert for authority in authorities]
    signers = Signer.objects.filter(authority__in=authorities, not_after__gt=datetime.now(UTC)).exclude(
        status=SignerStatus.REVOKED).order_by("pk")
    checked = []
    for signer in signers:
        cert = signer.cert
        if not signer_trusted(cert, roots, crls):
            continue
        key = cert.public_key()
        if not isinstance(key, ec.EllipticCurvePublicKey):  # signer_trusted has ruled this out
            continue
        numbers = key.public_numbers()
        checked.append({
            "cer_sha256": certificate_sha256(cert),
            "jwk": {"kty": "EC", "crv": "P-256", "x": _b64url_int(numbers.x), "y": _b64url_int(numbers.y)},
            "not_before": cert.not_valid_before_utc.isoformat(),
            "not_after": cert.not_valid_after_utc.isoformat(),
            "subject": cert.subject.rfc4514_string(),
            "revoked": False,
        })
    return checked


def _decode(value: Any, where: str) -> bytes:
    if not isinstance(value, str):
        raise TrustListInvalid(f"{where} must be base64 text")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise TrustListInvalid(f"{where} is not base64: {exc}") from exc


def _roots_and_crls(doc: dict[str, Any]) -> tuple[list[x509.Certificate], list[x509.CertificateRevocationList]]:
    roots, crls = [], []
    entries = doc.get("roots")
    if not isinstance(entries, list):
        raise TrustListInvalid("a trust list has a 'roots' list")
    for index, entry in enumerate(entries):
        where = f"roots[{index}]"
        if not isinstance(entry, dict):
            raise TrustListInvalid(f"{where} must be an object")
        try:
            cert = load_certificate(_decode(entry.get("certificate"), f"{where}.certificate"))
            if entry.get("revocation_list"):
                crls.append(load_crl(_decode(entry["revocation_list"], f"{where}.revocation_list")))
        except ValueError as exc:
            raise TrustListInvalid(f"{where}: {exc}") from exc
        if entry.get("sha256") and entry["sha256"].lower() != certificate_sha256(cert):
            raise TrustListInvalid(f"{where}.sha256 does not match its certificate")
        roots.append(cert)
    return roots, crls


def _revoked_ids(doc: dict[str, Any], roots: list[x509.Certificate],
                 crls: list[x509.CertificateRevocationList], warnings: list[str]) -> frozenset[str]:
    # The plain ids are used too: adding revocations can only make a verifier stricter.
    ids = {str(entry).lower() for entry in doc.get("revoked_seals") or []}
    signed = doc.get("revoked_seals_signed")
    if signed is None:
        if ids:
            warnings.append(_("The list of withdrawn seals is not signed; it was used as given."))
        return frozenset(ids)
    try:
        ids |= set(verify_revoked_seals(signed, roots, crls=crls))
    except (SealMalformed, RevokedSealsRejected) as exc:
        warnings.append(_("The signed list of withdrawn seals was not used: %(why)s") % {"why": exc})
    return frozenset(ids)


def material_from_trust_list(doc: dict[str, Any]) -> TrustMaterial:
    """The trust material a trust list document carries; raises TrustListInvalid if it is damaged.

    Revoked seal ids come from the signed list when it verifies against the document's own roots,
    plus the plain ``revoked_seals`` (a list that cannot be checked is reported in ``warnings``).
    """
    if not isinstance(doc, dict):
        raise TrustListInvalid("a trust list is a JSON object")
    roots, crls = _roots_and_crls(doc)
    warnings: list[str] = []
    return TrustMaterial(roots, crls, _revoked_ids(doc, roots, crls, warnings), warnings)


def current_material() -> TrustMaterial:
    """The trust material of the published trust list: what a post that synced just now holds."""
    return material_from_trust_list(trust_list())
