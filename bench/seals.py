"""Seals: verifications per second on one core (signature, certificate chain, CRL, withdrawn list),
and the size of a two-traveller seal. Run alone with `.venv/bin/python -m bench.seals`.

Needs no database: the authority, signer and seal are made in memory, with the message layout of a
real notice (two travellers and a vehicle) and a withdrawn list of 1,000 seal ids, as a post holds.
"""

import hashlib
import os
import time

from kordon.seals import authority
from kordon.seals.qr import decode_qr_image, qr_info, qr_payload, to_qr_png
from kordon.seals.vdsnc import SEAL_TYPE, sign_seal, verify_seal

VERIFICATIONS = int(os.environ.get("BENCH_SEAL_VERIFICATIONS", "3000"))
TARGET_MS = 1.0

MESSAGE = {
    "ref": "KX7F3M9QPA", "cx": "kyzyl-art", "dir": "TJ-KG", "vf": "2026-07-14", "vu": "2026-07-15", "sn": 1,
    "tr": [
        {"n": "ERIKSSON  ANNA MARIA", "i": "NX4HK2LP1", "nat": "NLD", "dob": "1980-01-31"},
        {"n": "DE VRIES  VINCENT", "i": "NX4HK2LP2", "nat": "NLD", "dob": "1979-05-04"},
    ],
    "veh": {"pl": "VX-123-B", "c": "NL"},
}


def _per_second(work: int, seconds: float) -> str:
    return f"{work / seconds:,.0f}/s, {seconds / work * 1000:.3f} ms each"


def run() -> list[str]:
    root_key, root = authority.create_authority(country="KG", common_name="kordon bench seal authority KG")
    key, cert = authority.issue_signer(authority_key=root_key, authority_cert=root, common_name="bench signer KG")
    crl = authority.create_crl(authority_key=root_key, authority_cert=root, revoked_serials=range(1, 50))
    withdrawn = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(1000)]
    seal = sign_seal({"t": SEAL_TYPE, "v": 1, "is": "KGZ"}, MESSAGE, key, cert)
    scanned = qr_payload(seal).decode("utf-8")  # the text a scanner types into the console

    started = time.perf_counter()  # one thread: one core
    for _ in range(VERIFICATIONS):
        verdict = verify_seal(scanned, roots=[root], crls=[crl], revoked_seal_ids=withdrawn)
    seconds = time.perf_counter() - started
    assert verdict.valid, verdict.message

    png = to_qr_png(seal)
    images = max(1, VERIFICATIONS // 30)
    started = time.perf_counter()
    for _ in range(images):
        verify_seal(decode_qr_image(png), roots=[root], crls=[crl], revoked_seal_ids=withdrawn)
    image_seconds = time.perf_counter() - started

    version, level = qr_info(seal)
    met = "met" if seconds / VERIFICATIONS * 1000 <= TARGET_MS else "MISSED"
    return [
        f"seal verification on one core, JSON text with chain, CRL and 1,000 withdrawn ids: "
        f"{_per_second(VERIFICATIONS, seconds)} (target <= {TARGET_MS:.0f} ms: {met})",
        f"seal verification from the QR code's PNG image (zxing-cpp decode + verify): "
        f"{_per_second(images, image_seconds)}",
        f"two-traveller seal with a vehicle: {len(qr_payload(seal))} bytes, QR version {version}, "
        f"error correction {level} ({17 + 4 * version} modules a side)",
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
