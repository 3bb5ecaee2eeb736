"""How many pixels an upload may declare, chosen so that sanitizing it fits a worker's memory.

Each web worker must stay under 150 MB resident, and one already uses about 85 MB before it
touches an upload. What decoding costs depends on the file, so the pixel limit handed to the
sanitizer is chosen from the header (read, never trusted beyond choosing a *lower* limit):

* baseline JPEG is decoded by libjpeg at 1/2, 1/4 or 1/8 scale (draft mode), so its cost is
  bounded whatever it declares: the general 40 MP limit applies. (The sanitizer lets the output's
  long side land between 80% and 100% of 2000 px, so a JPEG just under twice that, 3999 x 2999 say,
  is still decoded at half size; bench/documents.py measures the worst such worker.)
* progressive JPEG makes libjpeg hold every coefficient of the full image (2 bytes per sample);
* PNG and WebP cannot be decoded at reduced scale: the whole image is decoded, then flattened.

The bytes per declared pixel below were measured (peak resident memory while sanitizing, minus the
worker before it); ``bench/documents.py`` re-measures the worst accepted file of each kind.
"""

import io
from typing import IO

from PIL import Image

MAX_PIXELS = 40_000_000
DECODE_BUDGET = 60 * 2**20  # bytes one upload may add to a worker's resident memory

# Measured resident bytes per declared pixel while sanitizing.
_PNG_COST = {"1": 2, "L": 2, "RGB": 9}
_PNG_COST_OTHER = 17  # RGBA, LA, palette, 16-bit: converted and flattened through extra copies
_WEBP_COST = 22  # the WebP decoder returns RGBA and Pillow copies it
_PROGRESSIVE_COST = 5  # 4:2:0 chroma: 1.5 samples per pixel, 2 bytes each, plus the scaled decode
_PROGRESSIVE_FULL_CHROMA_COST = 11  # 4:4:4: 3 samples per pixel
# A PDF's first-page image is decoded for its preview: camera JPEGs (most scans) in draft mode,
# anything else in full; 12 MP still admits an A4 page scanned in colour at 300 dpi (8.7 MP).
PDF_MAX_PIXELS = 12_000_000


def max_pixels(upload: bytes | IO[bytes]) -> int:
    """The pixel limit for this upload; the stream is left at its start.

    Anything that cannot be read as an image here gets the general limit: the sanitizer will
    then refuse it on its own terms.
    """
    stream = io.BytesIO(upload) if isinstance(upload, bytes) else upload
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF_MAX_PIXELS
    try:
        with Image.open(stream, formats=["JPEG", "PNG", "WEBP"]) as img:
            cost = _cost_per_pixel(img)
    except Exception:
        cost = None
    finally:
        stream.seek(0)
    return MAX_PIXELS if cost is None else min(MAX_PIXELS, DECODE_BUDGET // cost)


def _cost_per_pixel(img: Image.Image) -> int | None:
    """Resident bytes per declared pixel to sanitize ``img``, or None if draft decoding bounds it."""
    if img.format == "PNG":
        return _PNG_COST.get(img.mode, _PNG_COST_OTHER)
    if img.format == "WEBP":
        return _WEBP_COST
    if not img.info.get("progressive"):
        return None
    if img.mode == "L":
        return _PROGRESSIVE_COST // 2
    sampling = {(h, v) for _, h, v, _ in getattr(img, "layer", [])}
    return _PROGRESSIVE_FULL_CHROMA_COST if sampling == {(1, 1)} else _PROGRESSIVE_COST
