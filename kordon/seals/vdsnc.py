"""ICAO VDS-NC seals: the signed confirmation a traveller shows at the border.

A seal is the JSON of a Visible Digital Seal for non-constrained environments (ICAO TR VDS-NC,
the format of ICAO Digital Travel Authorizations)::

    {"data": {"hdr": {"t": <type>, "v": <version>, "is": <issuing state, alpha-3>},
              "msg": {...}},
     "sig": {"alg": "ES256",
             "cer": <base64url DER of the barcode signer certificate>,
             "sigvl": <base64url of the raw r||s ECDSA P-256 signature, 64 bytes>}}

The signature is ES256 over the RFC 8785 (JCS) canonical form of ``data``; the barcode signer
certificate (BSC) must be issued directly by a trusted root (CSCA). Only ``data`` is signed, so
nothing outside ``data`` and ``sig`` is accepted.

Seal type ``kordon.notice`` (``SEAL_TYPE``), header ``{"t": "kordon.notice", "v": 1, "is": "TJK"}``
(``is``: the country of the authority that signed it). Message fields, short because they are
printed in a QR code:

=========  =====================================================================================
``ref``    notice reference in stored form, e.g. ``"KX7F3M9QPA"`` (shown as ``KX7F-3M9Q-PA``)
``cx``     crossing slug, e.g. ``"kyzyl-art"``
``dir``    direction code, from-to alpha-2 countries, e.g. ``"TJ-KG"``
``vf``     valid from: first day the party may be stamped, ISO date in the post's calendar
``vu``     valid until: last day the party may be stamped (inclusive), ISO date
``tr``     travellers, one object each, in notice order:
           ``n`` name as in the MRZ (``"SURNAME  GIVEN NAMES"``, two spaces between),
           ``i`` travel document number, ``nat`` nationality (ICAO alpha-3),
           ``dob`` date of birth (ISO date); optional ``sex`` (``F``/``M``/``X``)
``veh``    optional vehicle: ``pl`` plate as written, ``c`` registration country (alpha-2)
``sn``     optional: the notice's seal number (1, 2, ...). A notice moved to another date and back
           gets a new seal that is never identical to the withdrawn one (whose id stays revoked)
=========  =====================================================================================

Seal type ``kordon.revoked-seals`` (``REVOKED_SEALS_TYPE``) is the signed list of withdrawn
seals distributed to posts: message ``{"iat": <issued at, ISO UTC>, "ids": [<seal_id>, ...]}``.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import json
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, TypeVar

import rfc8785
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from django.utils.translation import gettext as _

from kordon.seals import verdicts

SEAL_TYPE = "kordon.notice"
SEAL_VERSION = 1
REVOKED_SEALS_TYPE = "kordon.revoked-seals"
ALGORITHM = "ES256"
SIGNATURE_LENGTH = 64  # ES256: r and s, 32 bytes each
# ICAO extended key usage of a VDS-NC barcode signer, as in the conformance vectors' BSC.
VDS_NC_SIGNER_OID = x509.ObjectIdentifier("2.23.136.1.1.14.2")
# The states whose authorities kordon runs; VDS-NC headers name the state in ICAO alpha-3.
COUNTRY_ALPHA3 = {"TJ": "TJK", "KG": "KGZ"}
# Far beyond any seal (a QR code holds at most 2,953 bytes); stops huge inputs early.
MAX_SEAL_BYTES = 64 * 1024
# Tolerated clock difference between the office that signs a revocation list and a post.
CLOCK_SKEW = timedelta(minutes=5)

_ISSUER_RE = re.compile(r"[A-Z<]{3}")
_BASE64URL_RE = re.compile(r"[A-Za-z0-9_-]*={0,2}")
_SEAL_ID_RE = re.compile(r"[0-9a-f]{64}")

JSONObject = dict[str, Any]
_Ext = TypeVar("_Ext", bound=x509.ExtensionType)


class SealMalformed(ValueError):
    """The input is not a VDS-NC seal at all; ``reason`` says what is wrong with it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RevokedSealsRejected(ValueError):
    """A revoked-seals document that must not be used (bad signature, wrong type, too old, ...)."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking a well-formed seal.

    ``reason`` is a machine code (the keys of ``verdicts.MESSAGES``); ``message`` is the sentence an officer
    acts on. ``data`` is the seal's ``data`` (hdr and msg), trustworthy only when ``valid``;
    ``signer`` is the certificate the seal carries, whether or not it is trusted.
    """

    valid: bool
    reason: str
    message: str
    data: JSONObject | None
    signer: x509.Certificate | None
    warnings: list[str] = field(default_factory=list)


class _Parsed(NamedTuple):
    seal: JSONObject
    signer: x509.Certificate
    signature: bytes
    canonical: bytes  # JCS form of seal["data"]: the signed bytes


# ---------------------------------------------------------------------------------------------
# Encoding helpers


def _b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str, where: str) -> bytes:
    """Decode base64url with or without padding; anything else (including '+' and '/') is malformed."""
    if not _BASE64URL_RE.fullmatch(text):
        raise SealMalformed(f"{where} is not base64url")
    unpadded = text.rstrip("=")
    try:
        return base64.urlsafe_b64decode(unpadded + "=" * (-len(unpadded) % 4))
    except (binascii.Error, ValueError) as exc:
        raise SealMalformed(f"{where} is not base64url: {exc}") from exc


def _canonical(data: Any) -> bytes:
    """RFC 8785 form of ``data``; values JCS cannot represent (NaN, huge integers, ...) are malformed."""
    try:
        return rfc8785.dumps(data)
    except (rfc8785.CanonicalizationError, TypeError, ValueError, RecursionError) as exc:
        raise SealMalformed(f"the signed data cannot be canonicalised (RFC 8785): {exc}") from exc


def _display_name(name: x509.Name) -> str:
    """The common name if there is one (what an officer recognises), else the whole name."""
    common = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(common[0].value) if common else name.rfc4514_string()


def _utc(at: datetime | None) -> datetime:
    """``at`` as an aware UTC time; None means now, a naive time is taken to be UTC."""
    if at is None:
        return datetime.now(UTC)
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


# ---------------------------------------------------------------------------------------------
# Parsing


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> JSONObject:
    # Two readers could pick different values of a duplicated key; RFC 8785 (I-JSON) forbids them.
    result: JSONObject = {}
    for key, value in pairs:
        if key in result:
            raise SealMalformed(f"duplicate field {key!r}")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise SealMalformed(f"{name} is not a JSON number")


def _load_json(raw: str | bytes | bytearray) -> Any:
    if len(raw) > MAX_SEAL_BYTES:
        raise SealMalformed(f"larger than {MAX_SEAL_BYTES} bytes: not a seal")
    try:
        return json.loads(raw, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant)
    except SealMalformed:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError included
        raise SealMalformed(f"not JSON: {exc}") from exc


def _object(value: Any, where: str) -> JSONObject:
    if not isinstance(value, dict):
        raise SealMalformed(f"{where} must be a JSON object")
    return value


def _field(obj: JSONObject, name: str, kind: type, where: str) -> Any:
    if name not in obj:
        raise SealMalformed(f"{where} has no {name!r} field")
    value = obj[name]
    # bool is an int in Python but not a number in a seal.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SealMalformed(f"{where}.{name} must be a JSON {kind.__name__}")
    return value


def _only(obj: JSONObject, allowed: set[str], where: str) -> None:
    extra = sorted(set(obj) - allowed)
    if extra:
        raise SealMalformed(f"unexpected field {extra[0]!r} in {where} (it would not be signed)")


def _check_header(hdr: JSONObject) -> None:
    if not _field(hdr, "t", str, "data.hdr"):
        raise SealMalformed("data.hdr.t (the seal type) is empty")
    if _field(hdr, "v", int, "data.hdr") < 1:
        raise SealMalformed("data.hdr.v (the type version) must be 1 or more")
    if not _ISSUER_RE.fullmatch(_field(hdr, "is", str, "data.hdr")):
        raise SealMalformed("data.hdr.is must be a three-letter ICAO country code")


def _check_shape(seal: Any) -> tuple[JSONObject, JSONObject]:
    """Check the VDS-NC structure; return (data, sig)."""
    top = _object(seal, "a seal")
    for name in ("data", "sig"):
        if name not in top:
            raise SealMalformed(f"not a VDS-NC seal: no {name!r} field")
    _only(top, {"data", "sig"}, "the seal")
    data = _object(top["data"], "data")
    _check_header(_field(data, "hdr", dict, "data"))
    _field(data, "msg", dict, "data")
    sig = _object(top["sig"], "sig")
    for name in ("alg", "cer", "sigvl"):
        _field(sig, name, str, "sig")
    _only(sig, {"alg", "cer", "sigvl"}, "sig")
    return data, sig


def _load_signer(cer: str) -> x509.Certificate:
    der = _b64url_decode(cer, "sig.cer")
    try:
        cert = x509.load_der_x509_certificate(der)
        cert.extensions  # noqa: B018 -- parsed lazily; a broken extension must fail here, not later
    except ValueError as exc:
        raise SealMalformed(f"sig.cer is not a DER X.509 certificate: {exc}") from exc
    return cert


def _parse(raw: str | bytes | bytearray | JSONObject) -> _Parsed:
    if isinstance(raw, dict):
        try:
            seal = copy.deepcopy(raw)
        except RecursionError as exc:
            raise SealMalformed("nested too deeply to be a seal") from exc
    elif isinstance(raw, str | bytes | bytearray):
        seal = _load_json(raw)
    else:
        raise SealMalformed(f"a seal is JSON text or a dict, not {type(raw).__name__}")
    data, sig = _check_shape(seal)
    signature = _b64url_decode(sig["sigvl"], "sig.sigvl")
    if sig["alg"] == ALGORITHM and len(signature) != SIGNATURE_LENGTH:
        raise SealMalformed(f"sig.sigvl is {len(signature)} bytes; ES256 signatures are {SIGNATURE_LENGTH}")
    return _Parsed(seal, _load_signer(sig["cer"]), signature, _canonical(data))


def parse_seal(raw: str | bytes | dict[str, Any]) -> dict[str, Any]:
    """Return the seal as a dict after checking it is a VDS-NC seal; nothing is verified.

    Checks: JSON without duplicate keys or NaN/Infinity, exactly ``data`` and ``sig`` at the top,
    ``hdr`` with ``t``/``v``/``is`` of the right types, ``msg`` an object, ``sig`` with exactly
    ``alg``/``cer``/``sigvl`` strings, ``cer`` a base64url DER certificate, ``sigvl`` base64url
    (64 bytes for ES256), ``data`` representable in RFC 8785. Raises SealMalformed otherwise.
    A dict argument is copied, never modified.
    """
    return _parse(raw).seal


def seal_id(seal: dict[str, Any]) -> str:
    """Lowercase hex SHA-256 of the JCS form of ``seal["data"]``.

    Stable across re-encodings of the JSON and across re-signing: revoking an id withdraws the
    content, whichever signer signed it.
    """
    if not isinstance(seal, dict) or "data" not in seal:
        raise SealMalformed("not a VDS-NC seal: no 'data' field")
    return hashlib.sha256(_canonical(seal["data"])).hexdigest()


# ---------------------------------------------------------------------------------------------
# Signing


def _raw_signature(der: bytes) -> bytes:
    r, s = utils.decode_dss_signature(der)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def _check_signing_key(key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> None:
    if not isinstance(key.curve, ec.SECP256R1):
        raise ValueError(f"ES256 needs a P-256 key, not {key.curve.name}")
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    ours = key.public_key().public_bytes(serialization.Encoding.DER, spki)
    if ours != cert.public_key().public_bytes(serialization.Encoding.DER, spki):
        raise ValueError("the signing key does not belong to the signer certificate")


def sign_seal(
    header: dict[str, Any],
    message: dict[str, Any],
    signer_key: ec.EllipticCurvePrivateKey,
    signer_cert: x509.Certificate,
) -> dict[str, Any]:
    """Return a new seal for ``{"hdr": header, "msg": message}`` (both copied), signed ES256.

    Raises ValueError if the key is not P-256 or does not match ``signer_cert``, and SealMalformed
    if the header or message would not make a well-formed seal. Certificate usage is not checked
    here: verify_seal is what decides whether a signer may sign seals.
    """
    _check_signing_key(signer_key, signer_cert)
    data = {"hdr": copy.deepcopy(header), "msg": copy.deepcopy(message)}
    der = signer_key.sign(_canonical(data), ec.ECDSA(hashes.SHA256()))
    seal = {
        "data": data,
        "sig": {
            "alg": ALGORITHM,
            "cer": _b64url_encode(signer_cert.public_bytes(serialization.Encoding.DER)),
            "sigvl": _b64url_encode(_raw_signature(der)),
        },
    }
    return parse_seal(seal)


# ---------------------------------------------------------------------------------------------
# Verification. Each check returns None when it passes, or (reason, detail for the message).

_Failure = tuple[str, str] | None
_CRYPTO_ERRORS = (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError)


def _check_algorithm(alg: str, signer: x509.Certificate) -> _Failure:
    if alg != ALGORITHM:
        return "unsupported_algorithm", f"algorithm {alg!r}"
    try:
        key = signer.public_key()
    except (UnsupportedAlgorithm, ValueError):
        return "unsupported_algorithm", "a key type this post does not know"
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        return "unsupported_algorithm", "ES256 but a certificate key that is not P-256"
    return None


def _check_signature(parsed: _Parsed) -> _Failure:
    key = parsed.signer.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey):  # _check_algorithm has ruled this out
        return "unsupported_algorithm", "a key that is not ECDSA"
    half = SIGNATURE_LENGTH // 2
    r, s = int.from_bytes(parsed.signature[:half], "big"), int.from_bytes(parsed.signature[half:], "big")
    try:
        key.verify(utils.encode_dss_signature(r, s), parsed.canonical, ec.ECDSA(hashes.SHA256()))
    except _CRYPTO_ERRORS:
        return "bad_signature", ""
    return None


def _extension(extensions: x509.Extensions, kind: type[_Ext]) -> _Ext | None:
    try:
        return extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def _is_authority(cert: x509.Certificate) -> bool:
    """A root may issue signers only if it is a CA and, when key usage is stated, may sign certificates."""
    try:
        extensions = cert.extensions
    except ValueError:  # a broken extension in a configured root: it cannot vouch for anything
        return False
    constraints = _extension(extensions, x509.BasicConstraints)
    usage = _extension(extensions, x509.KeyUsage)
    return constraints is not None and constraints.ca and (usage is None or usage.key_cert_sign)


def _find_issuer(signer: x509.Certificate, roots: Iterable[x509.Certificate]) -> x509.Certificate | None:
    """The trusted root that directly issued ``signer`` (VDS-NC signers hang off the CSCA)."""
    for root in roots:
        if root.subject != signer.issuer or not _is_authority(root):
            continue
        try:
            # Checks the names and the signature: RSA PKCS#1 v1.5, RSA-PSS, ECDSA and EdDSA issuers.
            signer.verify_directly_issued_by(root)
        except _CRYPTO_ERRORS:
            continue
        return root
    return None


def _check_validity(signer: x509.Certificate, root: x509.Certificate, at: datetime) -> _Failure:
    if at < signer.not_valid_before_utc:
        return "signer_not_yet_valid", f"{signer.not_valid_before_utc:%Y-%m-%d %H:%M} UTC"
    if at > signer.not_valid_after_utc:
        return "signer_expired", f"{signer.not_valid_after_utc:%Y-%m-%d}"
    if not root.not_valid_before_utc <= at <= root.not_valid_after_utc:
        name = _display_name(root.subject)
        return "untrusted_signer", f"the certificate of the authority {name!r} is not valid at this time"
    return None


def _check_usage(signer: x509.Certificate) -> _Failure:
    extensions = signer.extensions
    constraints = _extension(extensions, x509.BasicConstraints)
    usage = _extension(extensions, x509.KeyUsage)
    purposes = _extension(extensions, x509.ExtendedKeyUsage)
    if constraints is not None and constraints.ca:
        return "wrong_key_usage", "it is a certificate authority, not a seal signer"
    # Key usage may be absent: the ICAO BSC profile (and the conformance vector) has none.
    if usage is not None and not usage.digital_signature:
        return "wrong_key_usage", "its key usage does not allow digital signatures"
    if purposes is None or VDS_NC_SIGNER_OID not in purposes:
        return "wrong_key_usage", "it is not a visible digital seal signer (extended key usage)"
    # RFC 5280: a certificate with a critical extension the reader does not understand is refused.
    if any(ext.critical and isinstance(ext.value, x509.UnrecognizedExtension) for ext in extensions):
        return "wrong_key_usage", "it has a critical extension this post does not understand"
    return None


def _trusted_crls(
    root: x509.Certificate, crls: Iterable[x509.CertificateRevocationList], warnings: list[str]
) -> list[x509.CertificateRevocationList]:
    """The CRLs that ``root`` really signed; a forged or damaged one is ignored with a warning."""
    name, trusted = _display_name(root.subject), []
    for crl in crls:
        if crl.issuer != root.subject:
            continue  # another authority's list
        try:
            signed = crl.is_signature_valid(root.public_key())  # type: ignore[arg-type]
        except _CRYPTO_ERRORS:
            signed = False
        if signed:
            trusted.append(crl)
        else:
            warnings.append(
                _("A revocation list claiming to be from %(name)s has a bad signature and was ignored.")
                % {"name": name}
            )
    return trusted


def _check_revocation(
    signer: x509.Certificate,
    root: x509.Certificate,
    crls: Iterable[x509.CertificateRevocationList],
    at: datetime,
    warnings: list[str],
) -> _Failure:
    name, trusted = _display_name(root.subject), _trusted_crls(root, crls, warnings)
    if not trusted:
        warnings.append(
            _("No revocation list from %(name)s was supplied; the signer's revocation was not checked.")
            % {"name": name}
        )
        return None
    newest = max(trusted, key=lambda crl: crl.last_update_utc)
    if newest.next_update_utc is not None and newest.next_update_utc < at:
        warnings.append(
            _("The revocation list from %(name)s is stale (next update %(date)s).")
            % {"name": name, "date": f"{newest.next_update_utc:%Y-%m-%d}"}
        )
    for crl in trusted:  # an older list can still name a revocation; there is no un-revoking
        entry = crl.get_revoked_certificate_by_serial_number(signer.serial_number)
        if entry is not None:
            return "signer_revoked", f"by {name} on {entry.revocation_date_utc:%Y-%m-%d}"
    return None


def _check_seal_revoked(parsed: _Parsed, revoked_seal_ids: Collection[str]) -> _Failure:
    if not revoked_seal_ids:
        return None
    identifier = hashlib.sha256(parsed.canonical).hexdigest()
    if identifier in {entry.lower() for entry in revoked_seal_ids}:
        return "seal_revoked", identifier
    return None


def _assess(
    parsed: _Parsed,
    roots: Sequence[x509.Certificate],
    crls: Sequence[x509.CertificateRevocationList],
    revoked_seal_ids: Collection[str],
    at: datetime,
    warnings: list[str],
) -> tuple[str, str]:
    """The first check that fails, in the order that gives the officer the most telling reason."""
    signer = parsed.signer
    failure = _check_algorithm(parsed.seal["sig"]["alg"], signer) or _check_signature(parsed)
    if failure:
        return failure
    root = _find_issuer(signer, roots)
    if root is None:
        return (
            "untrusted_signer",
            f"{_display_name(signer.subject)!r} is not issued by an authority this post trusts",
        )
    later: list[Callable[[], _Failure]] = [
        lambda: _check_validity(signer, root, at),
        lambda: _check_usage(signer),
        lambda: _check_revocation(signer, root, crls, at, warnings),
        lambda: _check_seal_revoked(parsed, revoked_seal_ids),
    ]
    for check in later:
        failure = check()
        if failure:
            return failure
    return "ok", f"{_display_name(signer.subject)!r} of {_display_name(root.subject)!r}"


def signer_trusted(
    signer: x509.Certificate,
    roots: Sequence[x509.Certificate],
    crls: Sequence[x509.CertificateRevocationList] = (),
) -> bool:
    """Whether a signer certificate is a P-256 seal signer issued by one of ``roots`` and not revoked
    by their CRLs: what a verifier that cannot read X.509 may be handed as a bare key."""
    if _check_algorithm(ALGORITHM, signer):
        return False
    root = _find_issuer(signer, roots)
    warnings: list[str] = []
    return root is not None and not _check_usage(signer) and not _check_revocation(
        signer, root, crls, datetime.now(UTC), warnings)


def verify_seal(
    seal: str | bytes | dict[str, Any],
    *,
    roots: Sequence[x509.Certificate],
    crls: Sequence[x509.CertificateRevocationList] = (),
    revoked_seal_ids: Collection[str] = (),
    at: datetime | None = None,
) -> Verdict:
    """Check a seal's signature, chain, validity at ``at`` (default now), usage and revocation.

    Raises SealMalformed when ``seal`` is not a VDS-NC seal (see parse_seal); every other outcome
    is a Verdict. The signer must be issued directly by one of ``roots``. ``crls`` from other
    authorities are ignored; a stale or missing CRL for the signer's authority is a warning, not
    a rejection. ``revoked_seal_ids`` are seal_id values (any case).
    """
    parsed = _parse(seal)
    warnings: list[str] = []
    reason, detail = _assess(parsed, roots, crls, revoked_seal_ids, _utc(at), warnings)
    return Verdict(
        valid=reason == "ok",
        reason=reason,
        message=verdicts.say(reason, detail),
        data=parsed.seal["data"],
        signer=parsed.signer,
        warnings=warnings,
    )


# ---------------------------------------------------------------------------------------------
# Revoked seals: a signed list for posts that check offline


def _issuing_state(cert: x509.Certificate) -> str:
    countries = cert.subject.get_attributes_for_oid(x509.NameOID.COUNTRY_NAME)
    country = str(countries[0].value) if countries else ""
    if country not in COUNTRY_ALPHA3:
        raise ValueError(f"no ICAO code known for the signer's country {country!r}")
    return COUNTRY_ALPHA3[country]


def _normalised_ids(ids: Iterable[str]) -> list[str]:
    result = sorted({entry.lower() for entry in ids})
    for entry in result:
        if not _SEAL_ID_RE.fullmatch(entry):
            raise ValueError(f"{entry!r} is not a seal id (64 hex digits)")
    return result


def sign_revoked_seals(
    ids: Iterable[str],
    key: ec.EllipticCurvePrivateKey,
    cert: x509.Certificate,
    *,
    issued_at: datetime | None = None,
) -> dict[str, Any]:
    """A seal of type REVOKED_SEALS_TYPE listing the withdrawn seal ids, signed like any seal.

    ``ids`` are seal_id values (deduplicated, lower-cased, sorted); ``issued_at`` defaults to now.
    Raises ValueError for an id that is not 64 hex digits.
    """
    header = {"t": REVOKED_SEALS_TYPE, "v": 1, "is": _issuing_state(cert)}
    issued = _utc(issued_at).replace(microsecond=0)
    message = {"iat": issued.strftime("%Y-%m-%dT%H:%M:%SZ"), "ids": _normalised_ids(ids)}
    return sign_seal(header, message, key, cert)


def _revoked_list_content(data: JSONObject) -> tuple[datetime, list[str]]:
    if data["hdr"]["t"] != REVOKED_SEALS_TYPE:
        raise RevokedSealsRejected(f"not a revoked-seals list but a {data['hdr']['t']!r} seal")
    msg = data["msg"]
    try:
        issued = datetime.strptime(msg["iat"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        ids = _normalised_ids(msg["ids"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RevokedSealsRejected(f"the revoked-seals list is damaged: {exc}") from exc
    return issued, ids


def verify_revoked_seals(
    doc: str | bytes | dict[str, Any],
    roots: Sequence[x509.Certificate],
    *,
    crls: Sequence[x509.CertificateRevocationList] = (),
    at: datetime | None = None,
    max_age: timedelta | None = None,
) -> list[str]:
    """The seal ids of a revoked-seals list, once it verifies like a seal against ``roots``.

    Raises SealMalformed if ``doc`` is not a seal, RevokedSealsRejected if it does not verify,
    is of another type, is issued in the future, or is older than ``max_age``. Keeping the newest
    list (by ``data.msg.iat``) is the caller's job.
    """
    verdict = verify_seal(doc, roots=roots, crls=crls, at=at)
    if not verdict.valid or verdict.data is None:
        raise RevokedSealsRejected(verdict.message)
    issued, ids = _revoked_list_content(verdict.data)
    now = _utc(at)
    if issued > now + CLOCK_SKEW:
        raise RevokedSealsRejected(
            f"the revoked-seals list claims to be issued in the future ({issued:%Y-%m-%d})"
        )
    if max_age is not None and now - issued > max_age:
        raise RevokedSealsRejected(f"the revoked-seals list of {issued:%Y-%m-%d %H:%M} UTC is too old")
    return ids
