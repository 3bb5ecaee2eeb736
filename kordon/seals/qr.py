"""Seals as QR images for screens and paper.

The symbol is the one vdsnc makes (error correction M, smallest version; a two-traveller seal is
version 28, 137 modules with its quiet zone). Printed 10 cm wide its modules are 0.7 mm; shown full
width on a phone, several screen pixels: both read by handheld scanners and phone cameras. Only the
pixel size differs between uses.
"""

from __future__ import annotations

import json

import segno

from kordon.seals.models import Seal
from kordon.seals.vdsnc import qr_info, to_qr_png

PHONE_PIXELS = 1080  # a phone screen's width: the downloaded image fills it without scaling
PAGE_SCALE = 4  # pixels per module on the status page; the browser scales it to the screen


class TooLargeForQr(ValueError):
    """The seal does not fit one QR code (parties of about 17 travellers or more)."""


def _document(seal: Seal) -> dict[str, object]:
    return dict(json.loads(seal.document))


def _png(seal: Seal, scale: int) -> bytes:
    try:
        return to_qr_png(_document(seal), scale=scale)
    except segno.DataOverflowError as exc:
        raise TooLargeForQr("This party's seal is too large for one QR code.") from exc


def version(seal: Seal) -> tuple[int, str]:
    """(QR version, error correction level); raises TooLargeForQr."""
    try:
        return qr_info(_document(seal))
    except segno.DataOverflowError as exc:
        raise TooLargeForQr("This party's seal is too large for one QR code.") from exc


def page_png(seal: Seal) -> bytes:
    return _png(seal, PAGE_SCALE)


def phone_png(seal: Seal) -> bytes:
    """About PHONE_PIXELS wide, whole modules only (a fractional module blurs when scaled)."""
    symbol_version, _ = version(seal)
    modules = 17 + 4 * symbol_version + 8  # the symbol plus a quiet zone of 4 modules each side
    return _png(seal, max(PAGE_SCALE, PHONE_PIXELS // modules))
