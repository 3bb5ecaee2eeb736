"""Photos: decoded within a pixel budget, turned upright, shrunk and re-encoded from pixels alone."""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import ExifTags, Image, ImageOps

from kordon.documents.sanitizing.outcome import JPEG_QUALITY, PREVIEW_PX, PREVIEW_QUALITY, CleanFile, Refused

# Rows per strip when flattening and reducing large images (a 7000-pixel-wide RGBA strip: 7 MB).
_STRIP_ROWS = 256
_DAMAGED_IMAGE = gettext_lazy(
    "This image is damaged or incomplete and cannot be opened. Take the photo again and send it.")
_HUGE_IMAGE = gettext_lazy(
    "This image declares a size far too large to process; it may be damaged. Take the photo again and send it.")

# Exceptions Pillow raises for a file that is not what its first bytes claim, or is cut short.
# Image.open turns most parse failures into UnidentifiedImageError (an OSError); load() reports
# truncation as OSError; PNG text-chunk bombs are ValueError; the rest are older parser paths.
_IMAGE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error)


class TooManyPixels(Refused):
    """An image declares more pixels than we will decode: a decompression bomb or close to it."""

    def __init__(self, message: str | Promise = _HUGE_IMAGE) -> None:
        super().__init__("corrupt_file", message)


def sanitize_image(data: bytes, kind: str, *, max_pixels: int, long_side: int) -> CleanFile:
    """Decode an uploaded photo and re-encode its pixels (PNG stays PNG, JPEG/WebP become JPEG)."""
    picture = decode_picture(data, kind, max_pixels=max_pixels, long_side=long_side)
    try:
        out_format = "PNG" if kind == "PNG" else "JPEG"
        content = _encode(picture, out_format)
        preview = encode_preview(picture)
        return CleanFile(
            content=content,
            content_type=f"image/{out_format.lower()}",
            width=picture.width,
            height=picture.height,
            pages=None,
            preview=preview,
        )
    finally:
        picture.close()


def decode_picture(
    data: bytes, kind: str, *, max_pixels: int, long_side: int, exif_orientation: bool = True
) -> Image.Image:
    """Decode ``data`` as ``kind`` into an upright RGB or L picture, long side <= ``long_side``.

    The declared size is checked before any pixel is decoded (Image.open only reads the header).
    The result is a new image with an empty ``info``: encoders copy ICC profiles, comments and
    PNG transparency from ``info``, so emptying it is what keeps the upload's metadata out.
    Raises Refused (corrupt_file) for bombs, truncated or damaged data.
    """
    with image_errors():
        with Image.open(io.BytesIO(data), formats=[kind]) as img:
            check_pixels(img.size, max_pixels)
            if kind == "JPEG":
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale straight away: a 12 MP phone
                # photo then needs a quarter of the memory and time. The long side may land
                # between 80% and 100% of the target ("about 2,000 px"): without that slack a
                # photo just under twice the target (3999 px) is decoded whole, and a worker
                # goes past its memory budget. shrink does the rest.
                img.draft("RGB", _fit(img.size, long_side * 4 // 5))
            img.load()
            orientation = img.getexif().get(ExifTags.Base.Orientation, 1) if exif_orientation else 1
            picture = shrink(img, long_side)
        # The full-size decode is released here, before the small picture is worked on.
        return upright(picture, orientation)


def shrink(img: Image.Image, long_side: int) -> Image.Image:
    """Return a new image of ``img`` flattened (see _flatten) with its long side <= ``long_side``.

    Images needing conversion, or much larger than the target, are first box-reduced by a whole
    factor strip by strip (_flat_reduced); LANCZOS then gives the exact size.
    """
    target = _fit(img.size, long_side)
    factor = max(1, max(img.size) // long_side)
    if factor == 1 and not _needs_flattening(img):
        return img.resize(target, Image.Resampling.LANCZOS)
    reduced = _flat_reduced(img, factor)
    if reduced.size == target:
        return reduced
    final = reduced.resize(target, Image.Resampling.LANCZOS)
    reduced.close()
    return final


def _flat_reduced(img: Image.Image, factor: int) -> Image.Image:
    """Return ``img`` flattened and box-reduced ``factor`` times, working in horizontal strips.

    Whole-image operations would copy the full image: Pillow premultiplies RGBA into a
    full-size copy before any resize, and palette or bilevel images must be converted before
    shrinking (Pillow resizes them with NEAREST, which shreds text). Per strip, the extra memory
    is one strip plus the result. Strips are a multiple of ``factor`` rows high, so no box
    straddles two strips and the result equals a whole-image reduce.
    """
    rows = factor * max(1, _STRIP_ROWS // factor)
    size = (-(-img.width // factor), -(-img.height // factor))
    result: Image.Image | None = None
    for top in range(0, img.height, rows):
        strip = _flatten(img.crop((0, top, img.width, min(top + rows, img.height))))
        small = strip.reduce(factor) if factor > 1 else strip
        result = result or Image.new(small.mode, size)
        result.paste(small, (0, top // factor))
    if result is None:  # unreachable: check_pixels refused zero-height images
        raise Refused("corrupt_file", _DAMAGED_IMAGE)
    return result


def upright(picture: Image.Image, orientation: object) -> Image.Image:
    """Return a new, metadata-free image of ``picture`` turned as EXIF ``orientation`` says.

    Orientation must be applied before the EXIF is dropped, or sideways phone photos stay
    sideways. Pillow copies ``info`` (raw EXIF included) onto resized copies, so it is emptied
    first: the orientation given here, and no other, is set on a fresh Exif for exif_transpose.
    """
    picture.info = {}
    if isinstance(orientation, int) and orientation != 1:
        picture.getexif()[ExifTags.Base.Orientation] = orientation
    upright = ImageOps.exif_transpose(picture)
    picture.close()
    upright.info = {}
    return upright


def _needs_flattening(img: Image.Image) -> bool:
    """True unless ``img`` is already plain RGB or L without transparency."""
    return "transparency" in img.info or img.mode not in ("RGB", "L")


def _flatten(img: Image.Image) -> Image.Image:
    """Return ``img`` as RGB (or L for greyscale), compositing any transparency onto white.

    PNGs are flattened too, not only JPEG output: pixels under alpha 0 show differently in
    different viewers, so an officer could see something other than what was checked, and a
    white page is what a paper document looks like anyway. Greyscale stays greyscale (smaller
    files on slow links); 16-bit greyscale is scaled, since a plain convert would clip it white.
    """
    if "transparency" in img.info or img.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = img.convert("RGBA")
        page = Image.new("RGB", rgba.size, "white")
        page.paste(rgba, mask=rgba)  # an RGBA mask means "use its alpha", without a copy
        rgba.close()
        return page
    if img.mode in ("RGB", "L"):
        return img
    if img.mode == "1":
        return img.convert("L")
    if img.mode.startswith("I"):
        wide = img.convert("I")
        grey = wide.point(lambda value: value / 256).convert("L")
        wide.close()
        return grey
    return img.convert("RGB")


def _fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """Return ``size`` scaled down (never up) so that its long side is ``long_side``."""
    width, height = size
    scale = long_side / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    """Refuse a declared size of zero or more than ``max_pixels`` pixels, before decoding."""
    width, height = size
    if width <= 0 or height <= 0:
        raise Refused("corrupt_file", _DAMAGED_IMAGE)
    if width * height > max_pixels:
        raise TooManyPixels(_(
            "This image is too large to process (%(width)d x %(height)d pixels; the limit is %(limit)s "
            "megapixels). Take the photo again at a lower resolution."
        ) % {"width": width, "height": height, "limit": f"{max_pixels / 1e6:g}"})


@contextmanager
def _bombs_refused() -> Iterator[None]:
    """Within the block, treat Pillow's decompression-bomb warning as an error and refuse both.

    catch_warnings restores the filters on exit, so Pillow's global MAX_IMAGE_PIXELS and the
    process's warning filters are left as they were. (Under threads, catch_warnings is
    process-wide while active; the only effect elsewhere is that a bomb warning becomes an error.)
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        # Damaged EXIF is common and we discard EXIF anyway; do not spam the worker's stderr.
        warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.TiffImagePlugin")
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise TooManyPixels() from exc


@contextmanager
def image_errors() -> Iterator[None]:
    """Turn every way Pillow reports a bad or hostile image into Refused(corrupt_file)."""
    with _bombs_refused():
        try:
            yield
        except Refused:
            raise
        except _IMAGE_ERRORS as exc:
            raise Refused("corrupt_file", _DAMAGED_IMAGE) from exc


def _encode(picture: Image.Image, out_format: str) -> bytes:
    """Encode ``picture`` with no metadata: no exif/icc_profile/comment/pnginfo is passed."""
    buffer = io.BytesIO()
    if out_format == "PNG":
        picture.save(buffer, "PNG", optimize=True)
    else:
        picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def encode_preview(picture: Image.Image) -> bytes:
    """Return a small progressive JPEG of ``picture``, long side at most PREVIEW_PX."""
    size = _fit(picture.size, PREVIEW_PX)
    small = picture if size == picture.size else picture.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=PREVIEW_QUALITY, optimize=True, progressive=True)
    if small is not picture:
        small.close()
    return buffer.getvalue()
