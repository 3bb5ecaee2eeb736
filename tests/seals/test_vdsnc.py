"""VDS-NC seals: the ICAO conformance vectors, round trips through QR codes, and every rejection."""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import rfc8785
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from kordon.seals import authority
from kordon.seals.qr import decode_qr_image, qr_info, qr_payload, to_qr_png
from kordon.seals.vdsnc import (
    REVOKED_SEALS_TYPE,
    SEAL_TYPE,
    VDS_NC_SIGNER_OID,
    RevokedSealsRejected,
    SealMalformed,
    parse_seal,
    seal_id,
    sign_revoked_seals,
    sign_seal,
    verify_revoked_seals,
    verify_seal,
)

VECTORS = Path(__file__).resolve().parent.parent / "data" / "vds-nc"

HEADER = {"t": SEAL_TYPE, "v": 1, "is": "TJK"}
MESSAGE = {
    "ref": "KX7F3M9QPA",
    "cx": "kyzyl-art",
    "dir": "TJ-KG",
    "vf": "2025-07-14",
    "vu": "2025-07-16",
    "tr": [
        {"n": "RAHMONOV  ALISHER KHURSHEDOVICH", "i": "401234567", "nat": "TJK", "dob": "1986-03-21"},
        {"n": "MUELLER-LUEDENSCHEIDT  ANNA-KATHARINA", "i": "C01X00T47", "nat": "D<<", "dob": "1990-11-02"},
    ],
    "veh": {"pl": "01 123 AB", "c": "TJ"},
}


class Pki(NamedTuple):
    root_key: ec.EllipticCurvePrivateKey
    root: x509.Certificate
    signer_key: ec.EllipticCurvePrivateKey
    signer: x509.Certificate


@cache
def pki() -> Pki:
    """One authority and signer for the whole module: key generation is the slow part."""
    root_key, root = authority.create_authority(country="TJ", common_name="Kordon Seal Authority TJ")
    key, cert = authority.issue_signer(authority_key=root_key, authority_cert=root, common_name="Signer TJ 1")
    return Pki(root_key, root, key, cert)


@cache
def other_pki() -> Pki:
    root_key, root = authority.create_authority(country="KG", common_name="Kordon Seal Authority KG")
    key, cert = authority.issue_signer(authority_key=root_key, authority_cert=root, common_name="Signer KG 1")
    return Pki(root_key, root, key, cert)


@cache
def notice_seal_json() -> str:
    p = pki()
    return json.dumps(sign_seal(HEADER, MESSAGE, p.signer_key, p.signer))


def notice_seal() -> dict[str, Any]:
    """A fresh copy each time, so tests may change it freely."""
    return json.loads(notice_seal_json())


def vector(name: str) -> bytes:
    return (VECTORS / name).read_bytes()


def vector_root() -> x509.Certificate:
    return authority.load_certificate(vector("csca.der"))


def certificate(
    issuer_key: Any,
    issuer: x509.Certificate | None,
    subject_key: Any,
    extensions: list[tuple[x509.ExtensionType, bool]],
    *,
    name: str = "Test signer",
    sign: Callable[[x509.CertificateBuilder, Any], x509.Certificate] | None = None,
) -> x509.Certificate:
    """A certificate with exactly the given extensions; self-signed when ``issuer`` is None."""
    subject = x509.Name(
        [x509.NameAttribute(NameOID.COUNTRY_NAME, "TJ"), x509.NameAttribute(NameOID.COMMON_NAME, name)]
    )
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject if issuer is None else issuer.subject)
        .public_key(subject_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    if sign is not None:
        return sign(builder, issuer_key)
    return builder.sign(issuer_key, hashes.SHA256())


def b64url(cert: x509.Certificate) -> str:
    return base64.urlsafe_b64encode(cert.public_bytes(Encoding.DER)).rstrip(b"=").decode()


def key_usage(*, digital_signature: bool = False, key_cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature, False, False, False, False, key_cert_sign, key_cert_sign, False, False
    )


ROOT_EXTENSIONS = [
    (x509.BasicConstraints(ca=True, path_length=0), True),
    (key_usage(key_cert_sign=True), True),
]
SIGNER_EXTENSIONS = [
    (key_usage(digital_signature=True), True),
    (x509.ExtendedKeyUsage([VDS_NC_SIGNER_OID]), True),
]


def seal_by(extensions: list[tuple[x509.ExtensionType, bool]]) -> dict[str, Any]:
    """A seal whose signer, issued by pki()'s root, has exactly ``extensions``."""
    p, key = pki(), ec.generate_private_key(ec.SECP256R1())
    cert = certificate(p.root_key, p.root, key, extensions)
    return sign_seal(HEADER, MESSAGE, key, cert)


# ---------------------------------------------------------------------------------------------
# The ICAO conformance vectors


def test_the_valid_vector_is_accepted_with_the_csca_as_trust_anchor() -> None:
    verdict = verify_seal(vector("valid.json"), roots=[vector_root()])
    assert verdict.valid and verdict.reason == "ok"
    assert verdict.data is not None and verdict.data["msg"]["pid"]["n"] == "CITIZEN  JANE CATHERINE"
    assert verdict.signer is not None
    assert verdict.signer == authority.load_certificate(vector("bsc.der"))


def test_the_tampered_vector_is_rejected_as_a_bad_signature() -> None:
    verdict = verify_seal(vector("tampered.json"), roots=[vector_root()])
    assert not verdict.valid
    assert verdict.reason == "bad_signature"
    assert verdict.message.startswith("Forged or altered")


def test_the_not_a_seal_vector_is_malformed_with_a_clear_reason() -> None:
    with pytest.raises(SealMalformed) as caught:
        verify_seal(vector("not-a-seal.json"), roots=[vector_root()])
    assert "not a VDS-NC seal" in caught.value.reason


def test_the_stale_crl_is_loaded_and_reported_as_a_warning_without_revoking_the_signer() -> None:
    crl = authority.load_crl(vector("csca.crl"))
    verdict = verify_seal(vector("valid.json"), roots=[vector_root()], crls=[crl])
    assert verdict.valid
    assert verdict.warnings == [
        "The revocation list from Passport Country Signing Authority is stale (next update 2021-11-17)."
    ]


def test_the_valid_vector_is_an_untrusted_signer_when_another_root_is_trusted() -> None:
    verdict = verify_seal(vector("valid.json"), roots=[pki().root])
    assert verdict.reason == "untrusted_signer"
    assert not verdict.valid


def test_the_valid_vector_is_untrusted_with_no_roots_at_all() -> None:
    assert verify_seal(vector("valid.json"), roots=[]).reason == "untrusted_signer"


def test_the_vector_signer_is_expired_after_its_validity() -> None:
    verdict = verify_seal(vector("valid.json"), roots=[vector_root()], at=datetime(2031, 10, 1, tzinfo=UTC))
    assert verdict.reason == "signer_expired"
    assert "2031-09-30" in verdict.message


def test_padded_and_unpadded_base64url_are_both_accepted() -> None:
    padded = json.loads(vector("valid.json"))
    assert padded["sig"]["cer"].endswith("=")
    unpadded = copy.deepcopy(padded)
    unpadded["sig"] = {key: value.rstrip("=") for key, value in padded["sig"].items()}
    for seal in (padded, unpadded):
        assert verify_seal(seal, roots=[vector_root()]).valid


# ---------------------------------------------------------------------------------------------
# Signing and the QR code


def test_a_two_traveller_notice_survives_the_qr_code_and_verifies() -> None:
    seal = notice_seal()
    text = decode_qr_image(to_qr_png(seal))
    verdict = verify_seal(text, roots=[pki().root])
    assert verdict.valid, verdict.message
    assert verdict.data == {"hdr": HEADER, "msg": MESSAGE}
    assert verdict.signer == pki().signer


def test_a_jpeg_photo_of_the_qr_code_is_read_too() -> None:
    png = to_qr_png(notice_seal(), scale=6)
    buffer = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(buffer, format="JPEG", quality=80)
    assert verify_seal(decode_qr_image(buffer.getvalue()), roots=[pki().root]).valid


def test_the_qr_payload_is_compact_json_at_error_level_m() -> None:
    seal = notice_seal()
    assert qr_payload(seal) == json.dumps(seal, separators=(",", ":"), ensure_ascii=False).encode()
    version, level = qr_info(seal)
    assert level == "M"
    assert 1 <= version <= 40


def test_the_signature_is_raw_r_and_s_over_the_canonical_data() -> None:
    seal = notice_seal()
    assert "=" not in seal["sig"]["cer"] + seal["sig"]["sigvl"]
    assert len(seal["sig"]["sigvl"]) == 86  # 64 bytes, unpadded base64url
    assert parse_seal(seal) == seal


def test_signing_with_a_key_that_is_not_the_certificates_is_refused() -> None:
    with pytest.raises(ValueError, match="does not belong"):
        sign_seal(HEADER, MESSAGE, other_pki().signer_key, pki().signer)


def test_signing_a_message_that_json_cannot_carry_is_refused() -> None:
    with pytest.raises(SealMalformed):
        sign_seal(HEADER, {"amount": float("nan")}, pki().signer_key, pki().signer)


def test_verifying_does_not_change_the_seal_it_is_given() -> None:
    seal = notice_seal()
    before = copy.deepcopy(seal)
    verify_seal(seal, roots=[pki().root])
    assert seal == before


def test_the_seal_id_is_the_sha256_of_the_canonical_data_whatever_the_spacing() -> None:
    seal = notice_seal()
    expected = hashlib.sha256(rfc8785.dumps(seal["data"])).hexdigest()
    assert seal_id(seal) == expected
    assert seal_id(parse_seal(json.dumps(seal, indent=4))) == expected


def test_an_image_without_a_qr_code_is_malformed() -> None:
    buffer = io.BytesIO()
    Image.new("L", (200, 200), 255).save(buffer, format="PNG")
    with pytest.raises(SealMalformed, match="no QR code"):
        decode_qr_image(buffer.getvalue())


def test_bytes_that_are_no_image_are_malformed() -> None:
    with pytest.raises(SealMalformed, match="not a readable image"):
        decode_qr_image(b"plain text, not a picture")


# ---------------------------------------------------------------------------------------------
# Rejections, each with its own reason


def test_changing_any_single_byte_of_the_signed_data_is_detected() -> None:
    payload = qr_payload(notice_seal())
    start, end = payload.index(b'"data":'), payload.index(b',"sig":')
    bad_signatures = 0
    for position in range(start + len(b'"data":'), end):
        tampered = bytearray(payload)
        tampered[position] ^= 0x01  # flips one bit: always another byte, usually still JSON
        try:
            verdict = verify_seal(bytes(tampered), roots=[pki().root])
        except SealMalformed:
            continue
        assert verdict.reason == "bad_signature", (position, bytes(tampered))
        bad_signatures += 1
    assert bad_signatures > 100  # most changes keep valid JSON: the signature is what catches them


LEAVES = [("hdr", "v"), ("hdr", "is"), ("hdr", "t"), ("msg", "ref"), ("msg", "vu"), ("msg", "dir")]


@settings(max_examples=60, deadline=None, database=None)
@given(
    where=st.sampled_from([*LEAVES, ("msg", "tr", 0, "i"), ("msg", "tr", 1, "dob"), ("msg", "veh", "pl")]),
    replacement=st.one_of(st.text(min_size=1, max_size=12), st.integers(min_value=2, max_value=10**6)),
)
def test_changing_a_value_in_the_header_or_message_is_a_bad_signature(
    where: tuple[Any, ...], replacement: Any
) -> None:
    seal = notice_seal()
    parent = seal["data"]
    for step in where[:-1]:
        parent = parent[step]
    if parent[where[-1]] == replacement:
        return
    parent[where[-1]] = replacement
    try:
        verdict = verify_seal(seal, roots=[pki().root])
    except SealMalformed:
        return  # e.g. a header "is" that is no country code: refused before any signature check
    assert verdict.reason == "bad_signature"


def test_swapping_in_another_valid_signers_certificate_is_a_bad_signature() -> None:
    p = pki()
    _, second = authority.issue_signer(
        authority_key=p.root_key, authority_cert=p.root, common_name="Signer TJ 2"
    )
    seal = notice_seal()
    seal["sig"]["cer"] = b64url(second)
    assert verify_seal(seal, roots=[p.root]).reason == "bad_signature"


def test_a_signer_used_after_it_expired_is_rejected() -> None:
    later = pki().signer.not_valid_after_utc + timedelta(seconds=1)
    verdict = verify_seal(notice_seal(), roots=[pki().root], at=later)
    assert verdict.reason == "signer_expired"
    assert not verdict.valid


def test_a_signer_used_before_it_is_valid_is_rejected() -> None:
    earlier = pki().signer.not_valid_before_utc - timedelta(days=1)
    verdict = verify_seal(notice_seal(), roots=[pki().root], at=earlier)
    assert verdict.reason == "signer_not_yet_valid"
    assert "clock" in verdict.message


def test_a_naive_time_is_taken_as_utc() -> None:
    later = (pki().signer.not_valid_after_utc + timedelta(hours=1)).replace(tzinfo=None)
    assert verify_seal(notice_seal(), roots=[pki().root], at=later).reason == "signer_expired"


def test_a_signer_on_the_authoritys_crl_is_revoked() -> None:
    p = pki()
    crl = authority.create_crl(
        authority_key=p.root_key, authority_cert=p.root, revoked_serials=[p.signer.serial_number]
    )
    verdict = verify_seal(notice_seal(), roots=[p.root], crls=[crl])
    assert verdict.reason == "signer_revoked"
    assert "Kordon Seal Authority TJ" in verdict.message


def test_a_fresh_crl_without_the_signer_gives_no_warning() -> None:
    p = pki()
    crl = authority.create_crl(authority_key=p.root_key, authority_cert=p.root, revoked_serials=[12345])
    verdict = verify_seal(notice_seal(), roots=[p.root], crls=[crl])
    assert verdict.valid
    assert verdict.warnings == []


def test_a_crl_signed_by_someone_else_in_the_authoritys_name_is_ignored_with_a_warning() -> None:
    p, intruder = pki(), ec.generate_private_key(ec.SECP256R1())
    forged = crl_named(p.root.subject, intruder, p.signer.serial_number)
    verdict = verify_seal(notice_seal(), roots=[p.root], crls=[forged])
    assert verdict.valid
    assert any("bad signature and was ignored" in warning for warning in verdict.warnings)


def crl_named(
    issuer: x509.Name, key: ec.EllipticCurvePrivateKey, serial: int
) -> x509.CertificateRevocationList:
    now = datetime.now(UTC)
    revoked = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now).build()
    builder = x509.CertificateRevocationListBuilder().issuer_name(issuer).last_update(now)
    return (
        builder.next_update(now + timedelta(days=1))
        .add_revoked_certificate(revoked)
        .sign(key, hashes.SHA256())
    )


def test_crls_of_other_authorities_are_ignored_silently_but_the_missing_one_is_noted() -> None:
    other = other_pki()
    crl = authority.create_crl(authority_key=other.root_key, authority_cert=other.root, revoked_serials=[])
    verdict = verify_seal(notice_seal(), roots=[pki().root, other.root], crls=[crl])
    assert verdict.valid
    assert verdict.warnings == [
        "No revocation list from Kordon Seal Authority TJ was supplied;"
        " the signer's revocation was not checked."
    ]


def test_a_seal_on_the_revoked_list_is_rejected_even_in_upper_case() -> None:
    seal = notice_seal()
    verdict = verify_seal(seal, roots=[pki().root], revoked_seal_ids={seal_id(seal).upper()})
    assert verdict.reason == "seal_revoked"
    assert verdict.message.startswith("Revoked: this notice was moved to another date or cancelled")


def test_a_seal_revoked_through_the_signed_revoked_seals_list_is_rejected() -> None:
    p, seal = pki(), notice_seal()
    document = sign_revoked_seals([seal_id(seal), "ab" * 32], p.signer_key, p.signer)
    assert document["data"]["hdr"]["t"] == REVOKED_SEALS_TYPE
    ids = verify_revoked_seals(json.dumps(document), [p.root])
    assert ids == sorted([seal_id(seal), "ab" * 32])
    assert verify_seal(seal, roots=[p.root], revoked_seal_ids=ids).reason == "seal_revoked"


def test_a_tampered_revoked_seals_list_is_refused() -> None:
    p = pki()
    document = sign_revoked_seals(["ab" * 32], p.signer_key, p.signer)
    document["data"]["msg"]["ids"] = []
    with pytest.raises(RevokedSealsRejected, match="Forged or altered"):
        verify_revoked_seals(document, [p.root])


def test_a_revoked_seals_list_from_an_untrusted_authority_is_refused() -> None:
    other = other_pki()
    document = sign_revoked_seals(["ab" * 32], other.signer_key, other.signer)
    with pytest.raises(RevokedSealsRejected, match="Not from a trusted authority"):
        verify_revoked_seals(document, [pki().root])


def test_a_notice_seal_is_not_accepted_as_a_revoked_seals_list() -> None:
    with pytest.raises(RevokedSealsRejected, match="not a revoked-seals list"):
        verify_revoked_seals(notice_seal(), [pki().root])


def test_a_revoked_seals_list_too_old_or_from_the_future_is_refused() -> None:
    p = pki()
    old = sign_revoked_seals([], p.signer_key, p.signer, issued_at=datetime.now(UTC) - timedelta(days=3))
    with pytest.raises(RevokedSealsRejected, match="too old"):
        verify_revoked_seals(old, [p.root], max_age=timedelta(days=2))
    assert verify_revoked_seals(old, [p.root], max_age=timedelta(days=4)) == []
    future = sign_revoked_seals([], p.signer_key, p.signer, issued_at=datetime.now(UTC) + timedelta(hours=1))
    with pytest.raises(RevokedSealsRejected, match="future"):
        verify_revoked_seals(future, [p.root])


def test_ids_that_are_not_seal_ids_cannot_be_listed() -> None:
    with pytest.raises(ValueError, match="not a seal id"):
        sign_revoked_seals(["KX7F3M9QPA"], pki().signer_key, pki().signer)


def test_a_seal_from_an_untrusted_root_is_rejected() -> None:
    other = other_pki()
    seal = sign_seal(HEADER, MESSAGE, other.signer_key, other.signer)
    verdict = verify_seal(seal, roots=[pki().root])
    assert verdict.reason == "untrusted_signer"
    assert "Signer KG 1" in verdict.message


def test_a_self_signed_signer_claiming_the_authoritys_name_is_untrusted() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    forged = certificate(key, pki().root, key, SIGNER_EXTENSIONS)  # right issuer name, wrong key
    seal = sign_seal(HEADER, MESSAGE, key, forged)
    assert verify_seal(seal, roots=[pki().root]).reason == "untrusted_signer"


def test_a_root_that_is_not_a_ca_cannot_vouch_for_a_signer() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    not_ca = certificate(
        key, None, key, [(key_usage(digital_signature=True), True)], name="Kordon Seal Authority TJ"
    )
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = certificate(key, not_ca, signer_key, SIGNER_EXTENSIONS)
    seal = sign_seal(HEADER, MESSAGE, signer_key, signer)
    assert verify_seal(seal, roots=[not_ca]).reason == "untrusted_signer"


@pytest.mark.parametrize(
    "extensions",
    [
        pytest.param(
            [(key_usage(key_cert_sign=True), True), SIGNER_EXTENSIONS[1]], id="no-digital-signature"
        ),
        pytest.param(
            [(x509.BasicConstraints(ca=True, path_length=None), True), *SIGNER_EXTENSIONS], id="ca-true"
        ),
        pytest.param([SIGNER_EXTENSIONS[0]], id="no-vds-nc-extended-key-usage"),
        pytest.param(
            [
                SIGNER_EXTENSIONS[0],
                (x509.ExtendedKeyUsage([x509.ObjectIdentifier("1.3.6.1.5.5.7.3.2")]), False),
            ],
            id="client-auth-only",
        ),
        pytest.param(
            [
                *SIGNER_EXTENSIONS,
                (x509.UnrecognizedExtension(x509.ObjectIdentifier("1.2.3.4"), b"\x05\x00"), True),
            ],
            id="unknown-critical-extension",
        ),
    ],
)
def test_a_signer_certificate_not_meant_for_seals_is_wrong_key_usage(
    extensions: list[tuple[x509.ExtensionType, bool]],
) -> None:
    verdict = verify_seal(seal_by(extensions), roots=[pki().root])
    assert verdict.reason == "wrong_key_usage"
    assert not verdict.valid


def test_a_signer_with_the_icao_profile_and_no_key_usage_is_accepted() -> None:
    assert verify_seal(seal_by([SIGNER_EXTENSIONS[1]]), roots=[pki().root]).valid


def _pss(builder: x509.CertificateBuilder, key: Any) -> x509.Certificate:
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    return builder.sign(key, hashes.SHA256(), rsa_padding=pss)


@pytest.mark.parametrize(
    ("make_key", "sign"),
    [
        pytest.param(lambda: rsa.generate_private_key(65537, 2048), None, id="rsa-pkcs1v15"),
        pytest.param(lambda: rsa.generate_private_key(65537, 2048), _pss, id="rsa-pss"),
        pytest.param(lambda: ec.generate_private_key(ec.SECP384R1()), None, id="ecdsa-p384"),
    ],
)
def test_signers_issued_by_rsa_pkcs1_rsa_pss_and_ecdsa_roots_chain(
    make_key: Callable[[], Any], sign: Any
) -> None:
    root_key = make_key()
    root = certificate(root_key, None, root_key, ROOT_EXTENSIONS, name="Root", sign=sign)
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = certificate(root_key, root, signer_key, SIGNER_EXTENSIONS, sign=sign)
    seal = sign_seal(HEADER, MESSAGE, signer_key, signer)
    assert verify_seal(seal, roots=[root]).valid


def test_an_algorithm_other_than_es256_is_unsupported() -> None:
    seal = notice_seal()
    seal["sig"]["alg"] = "ES384"
    verdict = verify_seal(seal, roots=[pki().root])
    assert verdict.reason == "unsupported_algorithm"
    assert "ES384" in verdict.message


def test_es256_with_a_certificate_key_that_is_not_p256_is_unsupported() -> None:
    p, key = pki(), ec.generate_private_key(ec.SECP384R1())
    seal = notice_seal()
    seal["sig"]["cer"] = b64url(certificate(p.root_key, p.root, key, SIGNER_EXTENSIONS))
    assert verify_seal(seal, roots=[p.root]).reason == "unsupported_algorithm"


# ---------------------------------------------------------------------------------------------
# Malformed input


def _mutate(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    seal = notice_seal()
    change(seal)
    return seal


MALFORMED = {
    "top level is an array": "[1, 2]",
    "not json": "{data: 1}",
    "empty": "",
    "duplicate key": '{"data": {}, "data": {}, "sig": {}}',
    "nan": '{"data": NaN, "sig": {}}',
    "no sig": _mutate(lambda s: s.pop("sig")),
    "unsigned extra field": _mutate(lambda s: s.update(note="trust me")),
    "extra sig field": _mutate(lambda s: s["sig"].update(kid="x")),
    "msg not an object": _mutate(lambda s: s["data"].update(msg=[])),
    "version is a bool": _mutate(lambda s: s["data"]["hdr"].update(v=True)),
    "version is a string": _mutate(lambda s: s["data"]["hdr"].update(v="1")),
    "issuer not alpha-3": _mutate(lambda s: s["data"]["hdr"].update({"is": "tj"})),
    "empty type": _mutate(lambda s: s["data"]["hdr"].update(t="")),
    "cer not base64url": _mutate(lambda s: s["sig"].update(cer="***")),
    "cer standard base64": _mutate(lambda s: s["sig"].update(cer=s["sig"]["cer"][:-2] + "+/")),
    "cer no certificate": _mutate(lambda s: s["sig"].update(cer="AAAA")),
    "sigvl too short": _mutate(lambda s: s["sig"].update(sigvl=s["sig"]["sigvl"][:-4])),
    "sigvl a number": _mutate(lambda s: s["sig"].update(sigvl=5)),
    "huge integer": _mutate(lambda s: s["data"]["msg"].update(n=2**64)),
}


@pytest.mark.parametrize("seal", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_seals_raise_seal_malformed_with_a_reason(seal: Any) -> None:
    with pytest.raises(SealMalformed) as caught:
        verify_seal(seal, roots=[pki().root])
    assert caught.value.reason


def test_a_huge_input_is_malformed_before_parsing() -> None:
    with pytest.raises(SealMalformed, match="larger than"):
        parse_seal(b"{" + b" " * 70_000 + b"}")


def test_deep_nesting_is_malformed_not_a_crash() -> None:
    with pytest.raises(SealMalformed):
        parse_seal("[" * 20_000 + "]" * 20_000)
