"""`kordon seals verify PATH`: check a seal from a JSON file, a QR image, or standard input.

Output: the verdict on the first line (``VALID``, ``INVALID: <message>``, ``MALFORMED: <reason>``,
or ``ERROR: <problem>`` when an argument cannot be read), then the seal's fields, then warnings.
Exit status: 0 valid, 1 invalid, 2 malformed or unreadable input.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO, TypeVar

from cryptography import x509

from kordon.seals.authority import certificate_sha256, load_certificate, load_crl
from kordon.seals.qr import decode_qr_image, looks_like_image
from kordon.seals.vdsnc import SEAL_TYPE, SealMalformed, Verdict, seal_id, verify_seal

EXIT_VALID, EXIT_INVALID, EXIT_MALFORMED = 0, 1, 2

# Labels of kordon.notice message fields (see kordon.seals.vdsnc); other seal types show raw paths.
NOTICE_LABELS = {
    "ref": "Reference",
    "cx": "Crossing",
    "dir": "Direction",
    "vf": "Valid from",
    "vu": "Valid until",
    "tr": "Traveller",
    "veh": "Vehicle",
    "n": "name",
    "i": "document",
    "nat": "nationality",
    "dob": "born",
    "sex": "sex",
    "pl": "plate",
    "c": "country",
    "sn": "Seal number",
}

_T = TypeVar("_T")


class _Unusable(Exception):
    """An argument that cannot be read; the message says which and why."""


def _certificates(data: bytes) -> list[x509.Certificate]:
    # A PEM file may bundle several roots; DER holds exactly one.
    if data.lstrip().startswith(b"-----BEGIN"):
        return x509.load_pem_x509_certificates(data)
    return [load_certificate(data)]


def _load_each(paths: Sequence[str], load: Callable[[bytes], list[_T]], what: str) -> list[_T]:
    loaded: list[_T] = []
    for path in paths:
        try:
            loaded.extend(load(Path(path).read_bytes()))
        except (OSError, ValueError) as exc:
            raise _Unusable(f"cannot use {what} {path!r}: {exc}") from exc
    return loaded


def _read_input(path: str, stdin: BinaryIO) -> bytes:
    if path == "-":
        return stdin.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise _Unusable(f"cannot read {path!r}: {exc.strerror or exc}") from exc


def _seal_text(raw: bytes) -> bytes | str:
    """JSON as is; a PNG or JPEG (by content, not name) is scanned for its QR code."""
    return decode_qr_image(raw) if looks_like_image(raw) else raw


def _flatten(value: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    if isinstance(value, dict):
        return [pair for key in value for pair in _flatten(value[key], (*path, str(key)))]
    if isinstance(value, list):
        return [pair for index, item in enumerate(value, 1) for pair in _flatten(item, (*path, str(index)))]
    return [(path, value)]


def _label(path: tuple[str, ...], notice: bool) -> str:
    if not notice:
        return ".".join(path)
    text = " ".join(NOTICE_LABELS.get(part, part) for part in path)
    return text[:1].upper() + text[1:]


def _field_lines(verdict: Verdict) -> list[str]:
    data = verdict.data or {}
    hdr = data.get("hdr", {})
    lines = [f"Seal type: {hdr.get('t')} (version {hdr.get('v')}), issued by {hdr.get('is')}"]
    notice = hdr.get("t") == SEAL_TYPE
    lines += [f"{_label(path, notice)}: {value}" for path, value in _flatten(data.get("msg", {}))]
    if verdict.signer is not None:
        signer = verdict.signer
        lines.append(
            f"Signer: {signer.subject.rfc4514_string()} (issued by {signer.issuer.rfc4514_string()}, "
            f"valid {signer.not_valid_before_utc:%Y-%m-%d} to {signer.not_valid_after_utc:%Y-%m-%d}, "
            f"SHA-256 {certificate_sha256(signer)})"
        )
    lines.append(f"Seal id: {seal_id({'data': data})}" if data else "Seal id: -")
    return lines


def _report(verdict: Verdict, roots: Sequence[x509.Certificate], stdout: TextIO) -> None:
    print("VALID" if verdict.valid else f"INVALID: {verdict.message}", file=stdout)
    if verdict.valid:
        print(verdict.message, file=stdout)
    else:
        print("Contents as claimed by the seal (not to be trusted):", file=stdout)
    for line in _field_lines(verdict):
        print(f"  {line}", file=stdout)
    warnings = list(verdict.warnings)
    if not roots:
        warnings.append("No trusted authority certificates are configured; pass --trust.")
    for warning in warnings:
        print(f"Warning: {warning}", file=stdout)


def run_verify(
    path: str,
    *,
    trust: Sequence[str] = (),
    crl: Sequence[str] = (),
    configured_roots: Sequence[x509.Certificate] = (),
    configured_crls: Sequence[x509.CertificateRevocationList] = (),
    revoked_seal_ids: Collection[str] = (),
    stdin: BinaryIO,
    stdout: TextIO,
) -> int:
    """Verify the seal at ``path`` ("-" for ``stdin``), print the report, return the exit status.

    Roots are ``configured_roots`` plus the DER/PEM certificates in ``trust``; CRLs are
    ``configured_crls`` plus the DER/PEM files named in ``crl``. Never raises for bad input:
    unreadable files and certificates give status 2.
    """
    try:
        roots = [*configured_roots, *_load_each(trust, _certificates, "trusted certificate")]
        crls = [*configured_crls, *_load_each(crl, lambda data: [load_crl(data)], "revocation list")]
        raw = _read_input(path, stdin)
    except _Unusable as exc:
        print(f"ERROR: {exc}", file=stdout)
        return EXIT_MALFORMED
    try:
        verdict = verify_seal(_seal_text(raw), roots=roots, crls=crls, revoked_seal_ids=revoked_seal_ids)
    except SealMalformed as exc:
        print(f"MALFORMED: {exc.reason}", file=stdout)
        return EXIT_MALFORMED
    _report(verdict, roots, stdout)
    return EXIT_VALID if verdict.valid else EXIT_INVALID
