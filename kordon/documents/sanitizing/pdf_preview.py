"""A PDF's preview: its first page's image when the page is a scan, else a card reading "PDF · N pages"."""

from __future__ import annotations

import logging
import math

from PIL import Image, ImageDraw, ImageFont
from pypdf import PageObject
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from kordon.documents.sanitizing.images import (
    TooManyPixels,
    check_pixels,
    decode_picture,
    encode_preview,
    image_errors,
    shrink,
    upright,
)
from kordon.documents.sanitizing.outcome import PREVIEW_PX, Refused
from kordon.documents.sanitizing.pdf_objects import PDF_ERRORS, integer_in, name_in, name_of, resolved

logger = logging.getLogger("kordon.documents.sanitize")

# Share of the first page an image must cover before we call the PDF a "scan" and preview it.
_COVER_SHARE = 0.8
Matrix = tuple[float, float, float, float, float, float]  # PDF [a b c d e f]


def pdf_preview(page: PageObject, pages: int, *, max_pixels: int) -> bytes:
    """Return a JPEG preview for a PDF whose first page is ``page``.

    pypdf cannot render pages and we ship no renderer (poppler, MuPDF). So: if the first page is
    essentially one image drawn over the page, the common shape of phone "scan to PDF" output,
    the image is decoded through the same pipeline as an uploaded photo; otherwise the preview
    is a generated white page reading "PDF · N pages". Images declaring more than
    ``max_pixels`` refuse the PDF (corrupt_file), as they would as photos; images Pillow or
    pypdf cannot decode only fall back to the generated preview, since a viewer may still cope.
    """
    picture: Image.Image | None = None
    try:
        xobject = _cover_image(page)
        if xobject is not None:
            picture = _xobject_picture(xobject, max_pixels=max_pixels)
    except TooManyPixels:
        raise
    except (Refused, *PDF_ERRORS):
        logger.warning("PDF first-page image could not be decoded; using a generated preview", exc_info=True)
    if picture is None:
        return _placeholder_preview(page, pages)
    try:
        return encode_preview(_rotated(picture, page))
    finally:
        picture.close()


def _cover_image(page: PageObject) -> StreamObject | None:
    """Return the page's only XObject if it is an image drawn over most of the page, else None."""
    resources = resolved(page, "/Resources")
    if not isinstance(resources, DictionaryObject):
        return None
    xobjects = resolved(resources, "/XObject")
    if not isinstance(xobjects, DictionaryObject) or len(xobjects) != 1:
        return None
    name = next(iter(xobjects))
    xobject = resolved(xobjects, name)
    if not isinstance(xobject, StreamObject) or name_in(xobject, "/Subtype") != "/Image":
        return None
    box = _painted_box(page, name)
    return xobject if box is not None and _covers(box, page) else None


def _painted_box(page: PageObject, name: str) -> tuple[float, float, float, float] | None:
    """Return where XObject ``name`` lands on the page, if drawn once, upright and unskewed.

    Tracks the current transformation matrix through q/Q/cm; an image fills the unit square
    of the matrix in force at its Do. Rotated, mirrored or repeated drawing is left to the
    generated preview rather than guessed at.
    """
    contents = page.get_contents()
    if contents is None:
        return None
    ctm: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    saved: list[Matrix] = []
    boxes: list[tuple[float, float, float, float]] = []
    for operands, operator in contents.operations:
        if operator == b"q":
            saved.append(ctm)
        elif operator == b"Q" and saved:
            ctm = saved.pop()
        elif operator == b"cm" and len(operands) == 6:
            ctm = _multiply(tuple(float(value) for value in operands), ctm)
        elif operator == b"Do" and operands and operands[0] == name:
            a, b, c, d, e, f = ctm
            if b or c or a <= 0 or d <= 0:
                return None
            boxes.append((e, f, e + a, f + d))
    return boxes[0] if len(boxes) == 1 else None


def _multiply(m: tuple[float, ...], n: Matrix) -> Matrix:
    """Return the PDF matrix product m * n (a new ``cm`` m applied under the current CTM n)."""
    a, b, c, d, e, f = m
    na, nb, nc, nd, ne, nf = n
    return (
        a * na + b * nc, a * nb + b * nd,
        c * na + d * nc, c * nb + d * nd,
        e * na + f * nc + ne, e * nb + f * nd + nf,
    )  # fmt: skip


def _covers(box: tuple[float, float, float, float], page: PageObject) -> bool:
    """True if ``box`` covers at least _COVER_SHARE of the page's visible (crop) area."""
    crop = page.cropbox
    left, bottom, right, top = (float(v) for v in (crop.left, crop.bottom, crop.right, crop.top))
    area = (right - left) * (top - bottom)
    overlap_w = min(box[2], right) - max(box[0], left)
    overlap_h = min(box[3], top) - max(box[1], bottom)
    return area > 0 and overlap_w > 0 and overlap_h > 0 and overlap_w * overlap_h >= _COVER_SHARE * area


def _xobject_picture(xobject: StreamObject, *, max_pixels: int) -> Image.Image:
    """Decode an image XObject into an upright, flattened picture at most PREVIEW_PX long.

    The declared /Width x /Height is checked first, as for photos. Phone scanners embed the
    camera JPEG as is (/DCTDecode), so those bytes go through the photo pipeline with draft-mode
    decoding; other encodings are decoded by pypdf, after the same size check.
    """
    check_pixels((integer_in(xobject, "/Width"), integer_in(xobject, "/Height")), max_pixels)
    filters = resolved(xobject, "/Filter")
    if isinstance(filters, ArrayObject) and len(filters) == 1:
        filters = filters[0]
    if name_of(filters) == "/DCTDecode":
        # PDF viewers draw the JPEG as stored, ignoring its EXIF orientation; so must the preview.
        data = xobject.get_data()
        return decode_picture(
            data, "JPEG", max_pixels=max_pixels, long_side=PREVIEW_PX, exif_orientation=False
        )
    with image_errors():
        decoded: Image.Image = xobject.decode_as_image()
        try:
            return upright(shrink(decoded, PREVIEW_PX), 1)
        finally:
            decoded.close()


def _rotated(picture: Image.Image, page: PageObject) -> Image.Image:
    """Apply the page's /Rotate (clockwise, in multiples of 90) to the preview."""
    turn = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
    method = turn.get(_rotation(page))
    if method is None:
        return picture
    rotated = picture.transpose(method)
    picture.close()
    return rotated


def _rotation(page: PageObject) -> int:
    """Return the page's /Rotate as 0, 90, 180 or 270; anything unreadable or odd counts as 0."""
    try:
        rotation = int(page.rotation) % 360
    except PDF_ERRORS:
        return 0
    return rotation if rotation in (90, 180, 270) else 0


def _placeholder_preview(page: PageObject, pages: int) -> bytes:
    """Return a JPEG of a white page, shaped like the first page, reading "PDF · N pages"."""
    width, height = _page_shape(page)
    scale = PREVIEW_PX / max(width, height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0] - 1, size[1] - 1), outline=(190, 190, 190), width=2)
    text = f"PDF · {pages} page" + ("" if pages == 1 else "s")
    font = ImageFont.load_default(size=max(12, size[0] // 10))
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    origin = ((size[0] - (right - left)) / 2 - left, (size[1] - (bottom - top)) / 2 - top)
    draw.text(origin, text, fill=(60, 60, 60), font=font)
    return encode_preview(image)


def _page_shape(page: PageObject) -> tuple[float, float]:
    """Return the first page's visible width and height as shown (after /Rotate), sanely bounded.

    Page boxes are attacker-controlled numbers; degenerate ones fall back to A4 and extreme
    aspect ratios are clamped so the preview stays a readable card.
    """
    try:
        width, height = abs(float(page.cropbox.width)), abs(float(page.cropbox.height))
    except PDF_ERRORS:
        width, height = 0.0, 0.0
    if not (math.isfinite(width) and math.isfinite(height) and width > 0 and height > 0):
        width, height = 595.0, 842.0  # A4 in points
    if _rotation(page) in (90, 270):
        width, height = height, width
    return max(width, height / 2), max(height, width / 2)
