"""The seal authority: root and signer certificate profiles, CRLs, encrypted key files."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kordon.seals.authority import (
    DOCUMENT_TYPE_LIST_OID,
    MAX_SIGNER_DAYS,
    KeyFileError,
    certificate_sha256,
    create_authority,
    create_crl,
    issue_signer,
    load_certificate,
    load_crl,
    load_private_key,
    save_private_key,
)
from kordon.seals.vdsnc import VDS_NC_SIGNER_OID

VECTORS = Path(__file__).resolve().parent.parent / "data" / "vds-nc"
PASSPHRASE = b"seven long words make a good passphrase"


class Pki(NamedTuple):
    root_key: ec.EllipticCurvePrivateKey
    root: x509.Certificate
    signer_key: ec.EllipticCurvePrivateKey
    signer: x509.Certificate


@cache
def pki() -> Pki:
    root_key, root = create_authority(country="KG", common_name="Kordon Seal Authority KG")
    key, cert = issue_signer(authority_key=root_key, authority_cert=root, common_name="Signer KG 1")
    return Pki(root_key, root, key, cert)


def extension(cert: x509.Certificate, kind: type[x509.ExtensionType]) -> x509.Extension[x509.ExtensionType]:
    return cert.extensions.get_extension_for_class(kind)


# ---------------------------------------------------------------------------------------------
# Root (CSCA)


def test_the_root_is_a_self_signed_p256_ca_that_may_only_sign_certificates_and_crls() -> None:
    root = pki().root
    key = root.public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1)
    root.verify_directly_issued_by(root)
    constraints = extension(root, x509.BasicConstraints)
    assert constraints.critical and constraints.value == x509.BasicConstraints(ca=True, path_length=0)
    usage = extension(root, x509.KeyUsage)
    assert usage.critical and usage.value.key_cert_sign and usage.value.crl_sign
    assert not usage.value.digital_signature


def test_the_root_names_its_country_and_has_key_identifiers_and_a_key_usage_period() -> None:
    root = pki().root
    assert root.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "KG"
    ski = extension(root, x509.SubjectKeyIdentifier)
    assert not ski.critical
    assert extension(root, x509.AuthorityKeyIdentifier).value.key_identifier == ski.value.digest
    alt_name = extension(root, x509.SubjectAlternativeName).value
    assert alt_name.get_values_for_type(x509.DirectoryName)[0].rfc4514_string() == "L=KGZ"
    period = extension(root, x509.PrivateKeyUsagePeriod).value
    assert period.not_after is not None
    assert root.not_valid_after_utc - period.not_after.replace(tzinfo=UTC) == timedelta(days=MAX_SIGNER_DAYS)
    assert root.not_valid_after_utc - root.not_valid_before_utc == timedelta(days=3650)


def test_crl_distribution_points_are_included_when_given() -> None:
    _, root = create_authority(
        country="TJ", common_name="A", valid_years=2, crl_urls=["https://example.org/tj.crl"]
    )
    points = extension(root, x509.CRLDistributionPoints).value
    assert points[0].full_name == [x509.UniformResourceIdentifier("https://example.org/tj.crl")]


@pytest.mark.parametrize(("country", "years"), [("UZ", 10), ("tj", 10), ("TJK", 10), ("TJ", 1)])
def test_an_unknown_country_or_too_short_a_life_is_refused(country: str, years: int) -> None:
    with pytest.raises(ValueError):
        create_authority(country=country, common_name="Authority", valid_years=years)


# ---------------------------------------------------------------------------------------------
# Barcode signer (BSC)


def test_the_signer_is_issued_directly_by_the_root_for_ninety_days() -> None:
    p = pki()
    p.signer.verify_directly_issued_by(p.root)
    assert p.signer.not_valid_after_utc - p.signer.not_valid_before_utc == timedelta(days=90)
    assert p.signer.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "KG"
    key = p.signer.public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1)


def test_the_signer_may_only_sign_and_only_seals() -> None:
    signer = pki().signer
    usage = extension(signer, x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature
    assert not (usage.value.key_cert_sign or usage.value.crl_sign or usage.value.content_commitment)
    purposes = extension(signer, x509.ExtendedKeyUsage)
    assert purposes.critical and list(purposes.value) == [VDS_NC_SIGNER_OID]
    with pytest.raises(x509.ExtensionNotFound):
        extension(signer, x509.BasicConstraints)


def test_the_signer_has_key_identifiers_linking_it_to_the_root() -> None:
    p = pki()
    root_ski = extension(p.root, x509.SubjectKeyIdentifier).value.digest
    assert extension(p.signer, x509.AuthorityKeyIdentifier).value.key_identifier == root_ski
    own = extension(p.signer, x509.SubjectKeyIdentifier).value
    assert own == x509.SubjectKeyIdentifier.from_public_key(p.signer_key.public_key())


def test_the_signer_carries_the_same_document_type_list_as_the_icao_vector() -> None:
    vector_signer = load_certificate((VECTORS / "bsc.der").read_bytes())
    theirs = vector_signer.extensions.get_extension_for_oid(DOCUMENT_TYPE_LIST_OID)
    ours = pki().signer.extensions.get_extension_for_oid(DOCUMENT_TYPE_LIST_OID)
    assert isinstance(ours.value, x509.UnrecognizedExtension)
    assert isinstance(theirs.value, x509.UnrecognizedExtension)
    assert ours.value.value == theirs.value.value
    assert ours.critical == theirs.critical is False


def test_a_signer_is_not_issued_with_a_key_that_is_not_the_roots() -> None:
    stranger = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(ValueError, match="does not belong"):
        issue_signer(authority_key=stranger, authority_cert=pki().root, common_name="Signer")


def test_a_signer_is_not_issued_for_longer_than_allowed() -> None:
    p = pki()
    with pytest.raises(ValueError, match="between 1 and"):
        issue_signer(
            authority_key=p.root_key, authority_cert=p.root, common_name="S", valid_days=MAX_SIGNER_DAYS + 1
        )


def test_a_signer_is_not_issued_by_a_certificate_that_is_no_ca() -> None:
    p = pki()
    with pytest.raises(ValueError):
        issue_signer(authority_key=p.signer_key, authority_cert=p.signer, common_name="Signer")


# ---------------------------------------------------------------------------------------------
# Revocation lists


def test_a_crl_is_signed_by_the_root_and_lists_the_revoked_serials() -> None:
    p = pki()
    crl = create_crl(
        authority_key=p.root_key, authority_cert=p.root, revoked_serials=[p.signer.serial_number, 7, 7]
    )
    assert crl.is_signature_valid(p.root.public_key())  # type: ignore[arg-type]
    assert crl.issuer == p.root.subject
    assert sorted(entry.serial_number for entry in crl) == sorted([p.signer.serial_number, 7])
    assert crl.next_update_utc is not None and crl.next_update_utc - crl.last_update_utc == timedelta(days=30)
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number > 0
    aki = crl.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == extension(p.root, x509.SubjectKeyIdentifier).value.digest


def test_crls_round_trip_through_der_and_pem() -> None:
    p = pki()
    crl = create_crl(authority_key=p.root_key, authority_cert=p.root, revoked_serials=[], crl_number=3)
    assert load_crl(crl.public_bytes(serialization.Encoding.DER)) == crl
    assert load_crl(crl.public_bytes(serialization.Encoding.PEM)) == crl
    with pytest.raises(ValueError, match="not a certificate revocation list"):
        load_crl(b"garbage")


def test_the_vector_crl_loads_and_is_stale() -> None:
    crl = load_crl((VECTORS / "csca.crl").read_bytes())
    assert crl.next_update_utc == datetime(2021, 11, 17, 3, 56, 55, tzinfo=UTC)
    assert len(crl) == 0


# ---------------------------------------------------------------------------------------------
# Key files and certificates


def test_a_saved_key_is_encrypted_private_to_its_owner_and_loads_back(tmp_path: Path) -> None:
    path = tmp_path / "signer.pem"
    save_private_key(pki().signer_key, path, PASSPHRASE)
    content = path.read_text()
    assert "-----BEGIN ENCRYPTED PRIVATE KEY-----" in content
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = load_private_key(path, PASSPHRASE)
    assert loaded.private_numbers() == pki().signer_key.private_numbers()


def test_a_wrong_passphrase_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "root.pem"
    save_private_key(pki().root_key, path, PASSPHRASE)
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        load_private_key(path, b"not the passphrase")


def test_an_empty_passphrase_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "root.pem"
    with pytest.raises(ValueError, match="without a passphrase"):
        save_private_key(pki().root_key, path, b"")
    assert not path.exists()
    with pytest.raises(KeyFileError, match="always encrypted"):
        load_private_key(path, b"")


def test_an_existing_key_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "root.pem"
    save_private_key(pki().root_key, path, PASSPHRASE)
    before = path.read_bytes()
    with pytest.raises(FileExistsError):
        save_private_key(pki().signer_key, path, PASSPHRASE)
    assert path.read_bytes() == before


def test_an_unencrypted_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.pem"
    path.write_bytes(
        pki().signer_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    with pytest.raises(KeyFileError, match="not an encrypted key file"):
        load_private_key(path, PASSPHRASE)


def test_certificates_load_from_der_and_pem_and_nothing_else() -> None:
    root = pki().root
    assert load_certificate(root.public_bytes(serialization.Encoding.DER)) == root
    assert load_certificate(b"\n" + root.public_bytes(serialization.Encoding.PEM)) == root
    with pytest.raises(ValueError, match=r"not an X\.509 certificate"):
        load_certificate(b"-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n")


def test_the_vector_root_fingerprint_matches_the_published_one() -> None:
    root = load_certificate((VECTORS / "csca.der").read_bytes())
    assert certificate_sha256(root) == "35623a89f6b40cb4888e05147f7d16d27f7bf754aad563c37fef6e1a0e7ff5cf"
