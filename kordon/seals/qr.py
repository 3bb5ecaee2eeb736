"""Seals as QR codes: the symbol's payload, PNG images for screens and paper, and reading them back.

The symbol is the one vdsnc makes (error correction M, smallest version; a two-traveller seal is
version 28, 137 modules with its quiet zone). Printed 10 cm wide its modules are 0.7 mm; shown full
width on a phone, several screen pixels: both read by handheld scanners and phone cameras. Only the
pixel size differs between uses.

Reading QR images (zxing-cpp) is a runtime dependency: the console's scan box accepts a photo of a
seal and `kordon seals verify` reads PNG/JPEG files at the posts, both in production.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import segno
import zxingcpp
from PIL import Image

from kordon.seals.vdsnc import SealMalformed, parse_seal

if TYPE_CHECKING:
    from kordon.seals.models import Seal

QR_ERROR_LEVEL = "M"  # about 15% recoverable: survives creased paper and glare on phone screens
PHONE_PIXELS = 1080  # a phone screen's width: the downloaded image fills it without scaling
PAGE_SCALE = 4  # pixels per module on the status page; the browser scales it to the screen
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"


def qr_payload(seal: dict[str, Any]) -> bytes:
    """The bytes put in the QR code: the checked seal as compact UTF-8 JSON (len() is its size)."""
    checked = parse_seal(seal)
    return json.dumps(checked, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _make_qr(seal: dict[str, Any]) -> segno.QRCode:
    # make_qr: never a Micro QR, which phone scanners often cannot read; boost_error=False keeps
    # the level fixed at M so that print and screen behave the same for every seal.
    return segno.make_qr(qr_payload(seal), error=QR_ERROR_LEVEL, mode="byte", boost_error=False)


def qr_info(seal: dict[str, Any]) -> tuple[int, str]:
    """(QR version, error correction level) of the seal's QR code; segno picks the smallest version."""
    qr = _make_qr(seal)
    return int(qr.version), str(qr.error)


def to_qr_png(seal: dict[str, Any], *, scale: int = 4, border: int = 4) -> bytes:
    """PNG of the seal's QR code: ``scale`` pixels per module, ``border`` modules of quiet zone (ISO: 4)."""
    buffer = io.BytesIO()
    _make_qr(seal).save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def looks_like_image(raw: bytes) -> bool:
    """True for PNG or JPEG content (detected by signature, never by file name)."""
    return raw.startswith(_PNG_MAGIC) or raw.startswith(_JPEG_MAGIC)


def _barcode_text(barcode: zxingcpp.Barcode) -> str:
    # Seals are UTF-8 in byte mode; the raw bytes avoid the reader's guess of the character set.
    try:
        return bytes(barcode.bytes).decode("utf-8")
    except UnicodeDecodeError:
        return str(barcode.text)


def _is_seal(text: str) -> bool:
    try:
        parse_seal(text)
    except SealMalformed:
        return False
    return True


def decode_qr_image(image_bytes: bytes) -> str:
    """The text of the QR code in a PNG/JPEG (or other image Pillow reads).

    With several QR codes, the first that holds a well-formed seal wins, else the first one.
    Raises SealMalformed when the bytes are not an image or no QR code is found.
    """
    try:
        with Image.open(io.BytesIO(image_bytes)) as image:
            barcodes = zxingcpp.read_barcodes(
                image.convert("L"), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
            )
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise SealMalformed(f"not a readable image: {exc}") from exc
    texts = [_barcode_text(barcode) for barcode in barcodes]
    if not texts:
        raise SealMalformed("no QR code found in the image")
    return next((text for text in texts if _is_seal(text)), texts[0])


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
