"""The seal authority's keys and certificates: root (CSCA), barcode signers (BSC), CRLs, key files.

Profiles follow ICAO Doc 9303-12 and the VDS-NC barcode signer of the ICAO conformance vectors:

* root: P-256, self-signed; BasicConstraints CA, pathLen 0 (critical); KeyUsage keyCertSign and
  cRLSign (critical); subject and authority key identifiers; private key usage period; subject and
  issuer alternative names holding the state's alpha-3 code (as ICAO CSCAs do); optional CRL
  distribution points.
* signer: P-256, issued directly by the root; KeyUsage digitalSignature (critical); extended key
  usage VDS-NC signer 2.23.136.1.1.14.2 (critical); key identifiers; ICAO document type list
  2.23.136.1.1.6.2 with "NV", byte for byte what the vectors' signer carries.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kordon.seals.vdsnc import COUNTRY_ALPHA3, VDS_NC_SIGNER_OID

DOCUMENT_TYPE_LIST_OID = x509.ObjectIdentifier("2.23.136.1.1.6.2")
VDS_NC_DOCUMENT_TYPES = ("NV",)
# The root stops issuing signers this long before it expires, so that no signer outlives it.
MAX_SIGNER_DAYS = 366


class KeyFileError(ValueError):
    """A private key file that cannot be used: wrong passphrase, damaged, unencrypted, wrong kind."""


def _now() -> datetime:
    # Certificates carry whole seconds; dropping the fraction keeps comparisons exact.
    return datetime.now(UTC).replace(microsecond=0)


def _der(tag: int, content: bytes) -> bytes:
    if len(content) > 127:  # short-form length is all the document type list ever needs
        raise ValueError("DER content too long for this encoder")
    return bytes([tag, len(content)]) + content


def document_type_list(types: Sequence[str]) -> bytes:
    """DER of ICAO DocumentTypeListSyntax: SEQUENCE { version INTEGER 0, SET OF PrintableString }."""
    entries = b"".join(_der(0x13, doc_type.encode("ascii")) for doc_type in sorted(types))
    return _der(0x30, _der(0x02, b"\x00") + _der(0x31, entries))


def _alpha3(country: str) -> str:
    if country not in COUNTRY_ALPHA3:
        raise ValueError(
            f"country must be one of {', '.join(sorted(COUNTRY_ALPHA3))} (alpha-2), not {country!r}"
        )
    return COUNTRY_ALPHA3[country]


def _authority_extensions(
    builder: x509.CertificateBuilder,
    key: ec.EllipticCurvePrivateKey,
    alpha3: str,
    key_use: tuple[datetime, datetime],
) -> x509.CertificateBuilder:
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    state = x509.DirectoryName(x509.Name([x509.NameAttribute(NameOID.LOCALITY_NAME, alpha3)]))
    extensions: list[tuple[x509.ExtensionType, bool]] = [
        (x509.BasicConstraints(ca=True, path_length=0), True),
        (_key_usage(key_cert_sign=True, crl_sign=True), True),
        (ski, False),
        (x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), False),
        # PrivateKeyUsagePeriod takes naive UTC times.
        (x509.PrivateKeyUsagePeriod(key_use[0].replace(tzinfo=None), key_use[1].replace(tzinfo=None)), False),
        (x509.SubjectAlternativeName([state]), False),
        (x509.IssuerAlternativeName([state]), False),
    ]
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder


def _key_usage(
    *, digital_signature: bool = False, key_cert_sign: bool = False, crl_sign: bool = False
) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=crl_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _name(country: str, common_name: str) -> x509.Name:
    if not common_name.strip():
        raise ValueError("common_name must not be empty")
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _builder(
    subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePrivateKey, not_before: datetime, days: int
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=days))
    )


def _same_key(private_key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> bool:
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    ours = private_key.public_key().public_bytes(serialization.Encoding.DER, spki)
    return ours == cert.public_key().public_bytes(serialization.Encoding.DER, spki)


def create_authority(
    *, country: str, common_name: str, valid_years: int = 10, crl_urls: Sequence[str] = ()
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A new root (CSCA) key and self-signed certificate for ``country`` ("TJ" or "KG").

    ``valid_years`` is at least 2: the key stops issuing signers MAX_SIGNER_DAYS before the
    certificate expires. ``crl_urls`` go into a CRL distribution points extension.
    """
    alpha3, name = _alpha3(country), _name(country, common_name)
    if valid_years < 2:
        raise ValueError("an authority must be valid for at least 2 years")
    key, now, days = ec.generate_private_key(ec.SECP256R1()), _now(), 365 * valid_years
    key_use = (now, now + timedelta(days=days - MAX_SIGNER_DAYS))
    builder = _authority_extensions(_builder(name, name, key, now, days), key, alpha3, key_use)
    if crl_urls:
        uris = [[x509.UniformResourceIdentifier(url)] for url in crl_urls]
        points = [x509.DistributionPoint(uri, None, None, None) for uri in uris]
        builder = builder.add_extension(x509.CRLDistributionPoints(points), critical=False)
    return key, builder.sign(key, hashes.SHA256())


def _check_authority(key: ec.EllipticCurvePrivateKey, cert: x509.Certificate, until: datetime) -> None:
    """Refuse to issue under a mismatched key, a non-CA, or past the root's key usage period."""
    if not _same_key(key, cert):
        raise ValueError("the authority key does not belong to the authority certificate")
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    if not is_ca:
        raise ValueError("the authority certificate is not a CA")
    if until > cert.not_valid_after_utc:
        raise ValueError(f"a signer valid until {until:%Y-%m-%d} would outlive the authority certificate")
    try:
        period = cert.extensions.get_extension_for_class(x509.PrivateKeyUsagePeriod).value
    except x509.ExtensionNotFound:
        return
    if period.not_after is not None and _now() > period.not_after.replace(tzinfo=UTC):
        raise ValueError("the authority key's usage period is over: create a new authority")


def _authority_key_identifier(cert: x509.Certificate) -> x509.AuthorityKeyIdentifier:
    """The AKI pointing at ``cert``: its own SKI when it has one, so that both always agree."""
    try:
        ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    except x509.ExtensionNotFound:
        return x509.AuthorityKeyIdentifier.from_issuer_public_key(cert.public_key())  # type: ignore[arg-type]
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)


def _signer_extensions(
    builder: x509.CertificateBuilder, key: ec.EllipticCurvePrivateKey, authority_cert: x509.Certificate
) -> x509.CertificateBuilder:
    extensions: list[tuple[x509.ExtensionType, bool]] = [
        (_key_usage(digital_signature=True), True),
        (x509.ExtendedKeyUsage([VDS_NC_SIGNER_OID]), True),
        (_authority_key_identifier(authority_cert), False),
        (x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False),
        (
            x509.UnrecognizedExtension(DOCUMENT_TYPE_LIST_OID, document_type_list(VDS_NC_DOCUMENT_TYPES)),
            False,
        ),
    ]
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder


def issue_signer(
    *,
    authority_key: ec.EllipticCurvePrivateKey,
    authority_cert: x509.Certificate,
    common_name: str,
    valid_days: int = 90,
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A new barcode signer (BSC) key and certificate, issued directly by the authority.

    The subject's country is the authority's. Raises ValueError if ``valid_days`` is not within
    1..MAX_SIGNER_DAYS, if the key does not match the certificate, or if the signer would outlive
    the authority or be issued after its key usage period.
    """
    if not 1 <= valid_days <= MAX_SIGNER_DAYS:
        raise ValueError(f"valid_days must be between 1 and {MAX_SIGNER_DAYS}")
    country = authority_cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value
    subject, now = _name(str(country), common_name), _now()
    _check_authority(authority_key, authority_cert, now + timedelta(days=valid_days))
    key = ec.generate_private_key(ec.SECP256R1())
    builder = _builder(subject, authority_cert.subject, key, now, valid_days)
    return key, _signer_extensions(builder, key, authority_cert).sign(authority_key, hashes.SHA256())


def create_crl(
    *,
    authority_key: ec.EllipticCurvePrivateKey,
    authority_cert: x509.Certificate,
    revoked_serials: Iterable[int],
    next_update_days: int = 30,
    crl_number: int | None = None,
) -> x509.CertificateRevocationList:
    """A CRL of the authority revoking ``revoked_serials`` as of now, next update in ``next_update_days``.

    ``crl_number`` defaults to the Unix time in seconds, which grows with every list issued.
    Raises ValueError if the key is not the certificate's (posts would ignore such a list).
    """
    if next_update_days < 1:
        raise ValueError("next_update_days must be at least 1")
    if not _same_key(authority_key, authority_cert):
        raise ValueError("the authority key does not belong to the authority certificate")
    now = _now()
    number = int(now.timestamp()) if crl_number is None else crl_number
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(authority_cert.subject)
        .last_update(now)
        .next_update(now + timedelta(days=next_update_days))
        .add_extension(_authority_key_identifier(authority_cert), critical=False)
        .add_extension(x509.CRLNumber(number), critical=False)
    )
    for serial in sorted(set(revoked_serials)):
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now).build()
        )
    return builder.sign(authority_key, hashes.SHA256())


def save_private_key(key: ec.EllipticCurvePrivateKey, path: Path, passphrase: bytes) -> None:
    """Write ``key`` as encrypted PKCS#8 PEM to a new file of mode 0600.

    Raises ValueError for an empty passphrase (a key is never stored unencrypted) and
    FileExistsError if ``path`` exists: overwriting would destroy a key that may still be needed.
    """
    if not passphrase:
        raise ValueError("refusing to store a private key without a passphrase")
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)  # the umask can only narrow the mode; make it exact
            handle.write(pem)
    except OSError:
        Path(path).unlink(missing_ok=True)  # never leave half a key behind
        raise


def load_private_key(path: Path, passphrase: bytes) -> ec.EllipticCurvePrivateKey:
    """Read a key written by save_private_key; raises KeyFileError with a clear reason."""
    if not passphrase:
        raise KeyFileError("a passphrase is needed: kordon key files are always encrypted")
    data = Path(path).read_bytes()
    try:
        key = serialization.load_pem_private_key(data, password=passphrase)
    except TypeError as exc:  # the file is not encrypted
        raise KeyFileError(f"{path} is not an encrypted key file; refusing to use it") from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"cannot decrypt {path}: wrong passphrase, or not a key file") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise KeyFileError(f"{path} holds a {type(key).__name__}, not an elliptic curve key")
    return key


def load_certificate(data: bytes) -> x509.Certificate:
    """An X.509 certificate from DER or PEM bytes; raises ValueError for anything else."""
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise ValueError(f"not an X.509 certificate (DER or PEM): {exc}") from exc


def load_crl(data: bytes) -> x509.CertificateRevocationList:
    """A certificate revocation list from DER or PEM bytes; raises ValueError for anything else."""
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_crl(data)
        return x509.load_der_x509_crl(data)
    except ValueError as exc:
        raise ValueError(f"not a certificate revocation list (DER or PEM): {exc}") from exc


def certificate_sha256(cert: x509.Certificate) -> str:
    """Lowercase hex SHA-256 of the certificate's DER: the fingerprint to compare out of band."""
    return cert.fingerprint(hashes.SHA256()).hex()
