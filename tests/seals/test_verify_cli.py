"""`kordon seals verify`: exit codes, what it prints, and where it reads seals from."""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from PIL import Image

from kordon.seals import authority
from kordon.seals.qr import to_qr_png
from kordon.seals.vdsnc import SEAL_TYPE, seal_id, sign_seal
from kordon.seals.verify_cli import run_verify

VECTORS = Path(__file__).resolve().parent.parent / "data" / "vds-nc"
VECTOR_ARGS = {"trust": [str(VECTORS / "csca.der")], "crl": [str(VECTORS / "csca.crl")]}


def run(path: str, stdin: bytes = b"", **kwargs: object) -> tuple[int, list[str]]:
    """Exit status and output lines of run_verify."""
    out = io.StringIO()
    status = run_verify(path, stdin=io.BytesIO(stdin), stdout=out, **kwargs)  # type: ignore[arg-type]
    return status, out.getvalue().splitlines()


@cache
def our_seal() -> tuple[x509.Certificate, dict[str, object]]:
    root_key, root = authority.create_authority(country="TJ", common_name="Kordon Seal Authority TJ")
    key, cert = authority.issue_signer(authority_key=root_key, authority_cert=root, common_name="Signer TJ 1")
    message = {
        "ref": "KX7F3M9QPA",
        "cx": "kyzyl-art",
        "dir": "TJ-KG",
        "vf": "2025-07-14",
        "vu": "2025-07-16",
        "tr": [
            {"n": "RAHMONOV  ALISHER", "i": "401234567", "nat": "TJK", "dob": "1986-03-21"},
            {"n": "RAHMONOVA  ZARINA", "i": "401234568", "nat": "TJK", "dob": "1988-09-30"},
        ],
        "veh": {"pl": "01 123 AB", "c": "TJ"},
    }
    return root, sign_seal({"t": SEAL_TYPE, "v": 1, "is": "TJK"}, message, key, cert)


def test_the_valid_vector_exits_0_and_reports_the_stale_crl() -> None:
    status, lines = run(str(VECTORS / "valid.json"), **VECTOR_ARGS)
    assert status == 0
    assert lines[0] == "VALID"
    assert "  pid.n: CITIZEN  JANE CATHERINE" in lines
    assert lines[-1] == (
        "Warning: The revocation list from Passport Country Signing Authority is stale"
        " (next update 2021-11-17)."
    )


def test_the_tampered_vector_exits_1_with_the_officers_message() -> None:
    status, lines = run(str(VECTORS / "tampered.json"), **VECTOR_ARGS)
    assert status == 1
    assert lines[0].startswith("INVALID: Forged or altered: the seal's contents do not match its signature.")
    assert "Contents as claimed by the seal (not to be trusted):" in lines


def test_the_not_a_seal_vector_exits_2_as_malformed() -> None:
    status, lines = run(str(VECTORS / "not-a-seal.json"), **VECTOR_ARGS)
    assert status == 2
    assert lines == ["MALFORMED: not a VDS-NC seal: no 'data' field"]


def test_the_valid_vector_is_invalid_without_its_root_and_says_how_to_trust_one() -> None:
    status, lines = run(str(VECTORS / "valid.json"))
    assert status == 1
    assert lines[0].startswith("INVALID: Not from a trusted authority")
    assert lines[-1] == "Warning: No trusted authority certificates are configured; pass --trust."


def test_a_png_is_recognised_by_its_content_whatever_its_name(tmp_path: Path) -> None:
    root, seal = our_seal()
    path = tmp_path / "seal.dat"
    path.write_bytes(to_qr_png(seal))
    status, lines = run(str(path), configured_roots=[root])
    assert status == 0
    assert lines[0] == "VALID"
    assert "  Traveller 2 name: RAHMONOVA  ZARINA" in lines
    assert "  Vehicle plate: 01 123 AB" in lines
    assert f"  Seal id: {seal_id(seal)}" in lines


def test_a_jpeg_of_the_qr_code_is_read_too(tmp_path: Path) -> None:
    root, seal = our_seal()
    buffer = io.BytesIO()
    Image.open(io.BytesIO(to_qr_png(seal, scale=6))).convert("RGB").save(buffer, format="JPEG", quality=85)
    path = tmp_path / "photo.json"  # the name lies; the content decides
    path.write_bytes(buffer.getvalue())
    assert run(str(path), configured_roots=[root])[0] == 0


def test_json_from_standard_input() -> None:
    root, seal = our_seal()
    status, lines = run("-", json.dumps(seal).encode(), configured_roots=[root])
    assert (status, lines[0]) == (0, "VALID")


def test_a_png_from_standard_input() -> None:
    root, seal = our_seal()
    assert run("-", to_qr_png(seal), configured_roots=[root])[0] == 0


def test_trust_and_crl_files_may_be_pem(tmp_path: Path) -> None:
    pem_root = tmp_path / "csca.pem"
    pem_root.write_bytes(
        authority.load_certificate((VECTORS / "csca.der").read_bytes()).public_bytes(
            serialization.Encoding.PEM
        )
    )
    pem_crl = tmp_path / "csca.crl.pem"
    pem_crl.write_bytes(
        authority.load_crl((VECTORS / "csca.crl").read_bytes()).public_bytes(serialization.Encoding.PEM)
    )
    status, lines = run(str(VECTORS / "valid.json"), trust=[str(pem_root)], crl=[str(pem_crl)])
    assert status == 0
    assert "stale" in lines[-1]


def test_a_revoked_seal_exits_1() -> None:
    root, seal = our_seal()
    status, lines = run(
        "-", json.dumps(seal).encode(), configured_roots=[root], revoked_seal_ids=[seal_id(seal)]
    )
    assert status == 1
    assert lines[0].startswith("INVALID: Revoked: this notice was moved to another date or cancelled")


def test_an_image_without_a_qr_code_is_malformed() -> None:
    buffer = io.BytesIO()
    Image.new("L", (64, 64), 255).save(buffer, format="PNG")
    status, lines = run("-", buffer.getvalue())
    assert (status, lines) == (2, ["MALFORMED: no QR code found in the image"])


def test_a_missing_seal_file_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    status, lines = run(str(tmp_path / "nowhere.json"), **VECTOR_ARGS)
    assert status == 2
    assert lines[0].startswith("ERROR: cannot read ")
    assert "No such file or directory" in lines[0]


def test_an_unreadable_or_unusable_certificate_argument_exits_2(tmp_path: Path) -> None:
    garbage = tmp_path / "root.der"
    garbage.write_bytes(b"not a certificate")
    for trust in (str(tmp_path / "missing.der"), str(garbage)):
        status, lines = run(str(VECTORS / "valid.json"), trust=[trust])
        assert status == 2
        assert lines[0].startswith(f"ERROR: cannot use trusted certificate '{trust}'")


def test_an_unusable_crl_argument_exits_2() -> None:
    status, lines = run(
        str(VECTORS / "valid.json"), trust=VECTOR_ARGS["trust"], crl=[str(VECTORS / "csca.der")]
    )
    assert status == 2
    assert lines[0].startswith("ERROR: cannot use revocation list")
