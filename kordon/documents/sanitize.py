"""Sanitize traveller uploads: passport scans, vehicle papers and vehicle photos.

Contract: :func:`sanitize` takes the raw upload (bytes, or a binary stream such as Django's
``UploadedFile``) and either returns a :class:`CleanFile` that is safe to store and to show, or
raises :class:`Refused` whose ``message`` can be shown to the traveller as is.

Nothing the client says is trusted: not the file name, not the Content-Type, not the sizes an
image header declares. The type is decided from the first bytes against a four-entry allow list,
then proved by having Pillow or pypdf parse the file as that type and nothing else.

* Photos (JPEG, PNG, WebP) are fully decoded and re-encoded from pixels, so nothing but pixels
  survives: no EXIF (GPS, camera serials), XMP, ICC profile, comments or PNG text chunks.
* PDFs cannot be re-encoded without loss, so they are kept byte for byte, but only after every
  object reachable from the document catalog has been checked for scripts, actions that reach
  outside the document, and attached files. Anything found refuses the upload; nothing is
  stripped silently.
* Every result carries a small JPEG preview (long side PREVIEW_PX) for slow links. pypdf cannot
  render pages, so a PDF's preview is its first-page image when that page is a single image
  (phone "scan to PDF"), and otherwise a generated card reading "PDF · N pages".
"""

from __future__ import annotations

import io
import logging
import math
import struct
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import ExifTags, Image, ImageDraw, ImageFont, ImageOps
from pypdf import PageObject, PdfReader
from pypdf.errors import DeprecationError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject, StreamObject

logger = logging.getLogger(__name__)

PREVIEW_PX = 480
"""Long side of every preview, in pixels: enough to recognise a document on a slow link."""

PREVIEW_QUALITY = 70
JPEG_QUALITY = 85
_CHUNK = 1024 * 1024
# Rows per strip when flattening and reducing large images (a 7000-pixel-wide RGBA strip: 7 MB).
_STRIP_ROWS = 256
# Containers (dictionaries and arrays) we are willing to inspect in one PDF. A 20-page scan has
# a few hundred; the cap only stops a crafted file from making the check itself a DoS.
_MAX_PDF_CONTAINERS = 200_000
# Share of the first page an image must cover before we call the PDF a "scan" and preview it.
_COVER_SHARE = 0.8

_Matrix = tuple[float, float, float, float, float, float]  # PDF [a b c d e f]

RefusalCode = Literal["file_too_large", "unsupported_type", "corrupt_file"]

# Whole sentences, translated when a refusal is raised (in the request's language).
_EMPTY = gettext_lazy("The file is empty. Choose the photo or PDF again and send it.")
_UNSUPPORTED = gettext_lazy("We cannot accept this kind of file. Send a photo (JPEG, PNG or WebP) or a PDF.")
_DAMAGED_IMAGE = gettext_lazy(
    "This image is damaged or incomplete and cannot be opened. Take the photo again and send it.")
_HUGE_IMAGE = gettext_lazy(
    "This image declares a size far too large to process; it may be damaged. Take the photo again and send it.")
_PDF_DAMAGED = gettext_lazy(
    "This PDF is damaged or incomplete and cannot be opened. Save or scan it again and send it, "
    "or send photos of the pages instead.")
_PDF_LOCKED = gettext_lazy(
    "This PDF is protected by a password or encrypted. Send a copy without protection "
    "(for example, print it to a new PDF), or send photos of the pages instead.")
_PDF_SCRIPT = gettext_lazy(
    "This PDF contains scripts or interactive content, which we do not accept. Scan or print the document to "
    "a new PDF, or send photos of the pages instead.")
_PDF_OUTSIDE = gettext_lazy(
    "This PDF tries to open other programs or files, or to send data, which we do not accept. Scan or print "
    "the document to a new PDF, or send photos of the pages instead.")
_PDF_ATTACHMENT = gettext_lazy(
    "This PDF has files attached inside it, which we do not accept. Scan or print the document to a new PDF, "
    "or send photos of the pages instead.")
_PDF_TRAILING = gettext_lazy(
    "This PDF has extra data after its end, which we do not accept. Scan or print the document to a new PDF, "
    "or send photos of the pages instead.")

# Action types (/S) that run code or reach outside the document. Plain links (/URI) and jumps
# inside the document (/GoTo) are allowed: printed-to-PDF vehicle papers are full of them.
_SCRIPT_ACTIONS = frozenset({"/JavaScript", "/RichMediaExecute"})
_OUTSIDE_ACTIONS = frozenset({"/Launch", "/GoToR", "/SubmitForm", "/ImportData"})
_ATTACHMENT_ACTIONS = frozenset({"/GoToE"})
_SCRIPT_KEYS = ("/JS", "/JavaScript", "/XFA")
_SCRIPT_SUBTYPES = frozenset({"/RichMedia", "/3D"})
_ATTACHMENT_KEYS = ("/EmbeddedFiles", "/EF")

# Exceptions Pillow raises for a file that is not what its first bytes claim, or is cut short.
# Image.open turns most parse failures into UnidentifiedImageError (an OSError); load() reports
# truncation as OSError; PNG text-chunk bombs are ValueError; the rest are older parser paths.
_IMAGE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error)
# pypdf parses hostile input and does not promise to wrap every failure in PyPdfError: malformed
# objects surface as the built-in exceptions of whatever operation met them, and filters it
# cannot decode raise NotImplementedError (documented), or DeprecationError for filter names
# pypdf 7 dropped (not a PyPdfError).
_PDF_ERRORS = (
    PyPdfError,
    DeprecationError,
    NotImplementedError,
    OSError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    RecursionError,
    struct.error,
    zlib.error,
)


class Refused(ValueError):
    """The upload cannot be accepted.

    ``code`` is for programs: ``file_too_large`` (bytes, pixels or pages over a limit),
    ``unsupported_type`` (a kind of file or PDF feature we do not accept: other formats,
    passwords, scripts, attachments) or ``corrupt_file`` (empty, damaged, truncated, or declaring
    impossible sizes). ``message`` is for the traveller: plain words saying what to do next.
    """

    def __init__(self, code: RefusalCode, message: str | Promise) -> None:
        message = str(message)  # translated now, in the language of the request
        super().__init__(message)
        self.code: RefusalCode = code
        self.message = message

    def __reduce__(self) -> tuple[type[Refused], tuple[RefusalCode, str]]:
        # Task queues pickle exceptions; the default would call Refused(message) and fail.
        return Refused, (self.code, self.message)


class _TooManyPixels(Refused):
    """An image declares more pixels than we will decode: a decompression bomb or close to it."""

    def __init__(self, message: str | Promise = _HUGE_IMAGE) -> None:
        super().__init__("corrupt_file", message)


@dataclass(frozen=True)
class CleanFile:
    """A sanitized upload: re-encoded pixels, or a checked PDF kept as uploaded."""

    content: bytes = field(repr=False)
    content_type: str  # "image/jpeg" | "image/png" | "application/pdf"
    width: int | None  # pixels, for images
    height: int | None
    pages: int | None  # for PDFs
    preview: bytes = field(repr=False)  # JPEG, long side PREVIEW_PX at most


def sanitize(
    data: bytes | BinaryIO,
    *,
    max_bytes: int = 10 * 1024 * 1024,
    max_pixels: int = 40_000_000,
    max_long_side: int = 2000,
    max_pdf_pages: int = 20,
) -> CleanFile:
    """Check and clean one upload, or raise :class:`Refused`.

    From a stream at most ``max_bytes + 1`` bytes are read, so an oversized upload is refused
    without being held in memory. Images are refused if the header declares more than
    ``max_pixels`` pixels, and come back with the long side at most ``max_long_side``. PDFs over
    ``max_pdf_pages`` pages are refused.
    """
    content = _read_limited(data, max_bytes)
    if len(content) > max_bytes:
        raise Refused("file_too_large", _too_large_message(data, len(content), max_bytes))
    if not content:
        raise Refused("corrupt_file", _EMPTY)
    kind = _sniff(content[:16])
    if kind == "PDF":
        return _sanitize_pdf(content, max_pixels=max_pixels, max_pages=max_pdf_pages)
    return _sanitize_image(content, kind, max_pixels=max_pixels, long_side=max_long_side)


# --- reading ---------------------------------------------------------------------------------


def _read_limited(data: bytes | BinaryIO, max_bytes: int) -> bytes:
    """Return the upload's bytes, reading at most ``max_bytes + 1`` from a stream.

    The one extra byte is how we learn the upload is over the limit without reading the rest.
    The loop is there because a raw stream may return fewer bytes than asked for.
    """
    if isinstance(data, bytes):
        return data
    chunks: list[bytes] = []
    remaining = max_bytes + 1
    while remaining > 0:
        chunk = data.read(min(remaining, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _too_large_message(data: bytes | BinaryIO, consumed: int, max_bytes: int) -> str:
    """Say how large the file is (when the stream can tell us without reading it) and the limit."""
    limit = f"{max_bytes / 2**20:.1f}".removesuffix(".0")
    total = _total_size(data, consumed)
    if total is None:
        return _("This file is larger than the %(limit)s MB limit. Take the photo again at a lower resolution or "
                 "send a PDF scan.") % {"limit": limit}
    return _("This file is %(size)s MB; the limit is %(limit)s MB. Take the photo again at a lower resolution or "
             "send a PDF scan.") % {"size": f"{total / 2**20:.1f}", "limit": limit}


def _total_size(data: bytes | BinaryIO, consumed: int) -> int | None:
    """Return the upload's full size, or None if finding it would mean reading it."""
    if isinstance(data, bytes):
        return len(data)
    try:
        if not data.seekable():
            return None
        here = data.tell()
        end = data.seek(0, io.SEEK_END)
        data.seek(here)
    except (OSError, ValueError, AttributeError):
        return None
    return consumed + max(0, end - here)


def _sniff(head: bytes) -> str:
    """Return "JPEG", "PNG", "WEBP" or "PDF" from the first bytes, or refuse.

    An exact allow list of signatures, checked by hand: a ranked guesser such as puremagic adds
    nothing to a list this short, and the chosen parser then has to agree (Image.open is given
    only that one format), so HTML named .jpg, SVG, GIF, TIFF, ZIP or executables never reach a
    decoder. The PDF signature must be at offset 0, which viewers do not require, so that
    HTML-then-PDF polyglots are refused.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head.startswith(b"%PDF-"):
        return "PDF"
    raise Refused("unsupported_type", _UNSUPPORTED)


# --- images ----------------------------------------------------------------------------------


def _sanitize_image(data: bytes, kind: str, *, max_pixels: int, long_side: int) -> CleanFile:
    """Decode an uploaded photo and re-encode its pixels (PNG stays PNG, JPEG/WebP become JPEG)."""
    picture = _decode_picture(data, kind, max_pixels=max_pixels, long_side=long_side)
    try:
        out_format = "PNG" if kind == "PNG" else "JPEG"
        content = _encode(picture, out_format)
        preview = _encode_preview(picture)
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


def _decode_picture(
    data: bytes, kind: str, *, max_pixels: int, long_side: int, exif_orientation: bool = True
) -> Image.Image:
    """Decode ``data`` as ``kind`` into an upright RGB or L picture, long side <= ``long_side``.

    The declared size is checked before any pixel is decoded (Image.open only reads the header).
    The result is a new image with an empty ``info``: encoders copy ICC profiles, comments and
    PNG transparency from ``info``, so emptying it is what keeps the upload's metadata out.
    Raises Refused (corrupt_file) for bombs, truncated or damaged data.
    """
    with _image_errors():
        with Image.open(io.BytesIO(data), formats=[kind]) as img:
            _check_pixels(img.size, max_pixels)
            if kind == "JPEG":
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale straight away: a 12 MP phone
                # photo then needs a quarter of the memory and time. The long side may land
                # between 80% and 100% of the target ("about 2,000 px"): without that slack a
                # photo just under twice the target (3999 px) is decoded whole, and a worker
                # goes past its memory budget. _shrink does the rest.
                img.draft("RGB", _fit(img.size, long_side * 4 // 5))
            img.load()
            orientation = img.getexif().get(ExifTags.Base.Orientation, 1) if exif_orientation else 1
            picture = _shrink(img, long_side)
        # The full-size decode is released here, before the small picture is worked on.
        return _upright(picture, orientation)


def _shrink(img: Image.Image, long_side: int) -> Image.Image:
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
    if result is None:  # unreachable: _check_pixels refused zero-height images
        raise Refused("corrupt_file", _DAMAGED_IMAGE)
    return result


def _upright(picture: Image.Image, orientation: object) -> Image.Image:
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


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    """Refuse a declared size of zero or more than ``max_pixels`` pixels, before decoding."""
    width, height = size
    if width <= 0 or height <= 0:
        raise Refused("corrupt_file", _DAMAGED_IMAGE)
    if width * height > max_pixels:
        raise _TooManyPixels(_(
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
            raise _TooManyPixels() from exc


@contextmanager
def _image_errors() -> Iterator[None]:
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


def _encode_preview(picture: Image.Image) -> bytes:
    """Return a small progressive JPEG of ``picture``, long side at most PREVIEW_PX."""
    size = _fit(picture.size, PREVIEW_PX)
    small = picture if size == picture.size else picture.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=PREVIEW_QUALITY, optimize=True, progressive=True)
    if small is not picture:
        small.close()
    return buffer.getvalue()


# --- PDFs ------------------------------------------------------------------------------------


def _sanitize_pdf(data: bytes, *, max_pixels: int, max_pages: int) -> CleanFile:
    """Check a PDF and return it unchanged with a preview of its first page.

    The bytes are kept exactly as uploaded: a PDF cannot be re-encoded without losing text,
    vectors or signatures, so we refuse anything unsafe instead of rewriting or stripping it.
    """
    _check_pdf_end(data)
    with _pdf_errors():
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # Encrypted objects cannot be inspected, so we could not vouch for the content.
            raise Refused("unsupported_type", _PDF_LOCKED)
        pages = len(reader.pages)
        if pages == 0:
            raise Refused("corrupt_file", _PDF_DAMAGED)
        if pages > max_pages:
            raise Refused(
                "file_too_large",
                _("This PDF has %(pages)d pages; the limit is %(limit)d. Send only the pages we ask for.")
                % {"pages": pages, "limit": max_pages},
            )
        _check_active_content(reader)
        first = reader.pages[0]
    preview = _pdf_preview(first, pages, max_pixels=max_pixels)
    return CleanFile(
        content=data, content_type="application/pdf", width=None, height=None, pages=pages, preview=preview
    )


def _check_pdf_end(data: bytes) -> None:
    """Refuse a PDF that is cut short or has bytes appended after its last %%EOF.

    A truncated upload (a dropped phone connection) has no final %%EOF. Bytes after it are
    ignored by PDF viewers but not by other parsers: that is how PDF/ZIP and PDF/HTML polyglots
    are built, and as we keep the bytes as uploaded we refuse rather than trim.
    """
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise Refused("corrupt_file", _PDF_DAMAGED)
    if data[end + 5 :].strip(b"\x00\t\n\x0c\r "):
        raise Refused("unsupported_type", _PDF_TRAILING)


@contextmanager
def _pdf_errors() -> Iterator[None]:
    """Turn every way pypdf reports an unreadable PDF into Refused(corrupt_file)."""
    try:
        yield
    except Refused:
        raise
    except _PDF_ERRORS as exc:
        raise Refused("corrupt_file", _PDF_DAMAGED) from exc


def _check_active_content(reader: PdfReader) -> None:
    """Refuse the PDF if anything reachable from its trailer is active content or an attachment.

    We walk the whole object graph rather than a few well-known places, because JavaScript and
    actions hide in many: the catalog's /OpenAction and /Names trees, page and annotation /AA,
    link /A actions, form fields, /Next chains. Walking parsed objects (not grepping bytes) also
    sees through compressed object streams and names written with #xx escapes.
    """
    for dictionary in _reachable_dictionaries(reader.trailer):
        problem = _dictionary_problem(dictionary)
        if problem is not None:
            raise Refused("unsupported_type", problem)


def _reachable_dictionaries(root: PdfObject) -> Iterator[DictionaryObject]:
    """Yield every dictionary (streams included) reachable from ``root``, each object once."""
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject] = [root]
    containers = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            resolved = item.get_object()
            if resolved is None:  # a reference to an object that is not there
                continue
            item = resolved
        if isinstance(item, DictionaryObject):
            yield item
            stack.extend(dict.values(item))  # raw values: indirect references stay unresolved
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))
        else:
            continue
        containers += 1
        if containers > _MAX_PDF_CONTAINERS:
            raise Refused("corrupt_file", _PDF_DAMAGED)


def _dictionary_problem(d: DictionaryObject) -> str | None:
    """Return why this dictionary makes the PDF unacceptable (traveller's words), or None."""
    action = _name(d, "/S")
    subtype = _name(d, "/Subtype")
    if any(key in d for key in _SCRIPT_KEYS) or action in _SCRIPT_ACTIONS or subtype in _SCRIPT_SUBTYPES:
        return str(_PDF_SCRIPT)
    if action in _OUTSIDE_ACTIONS:
        return str(_PDF_OUTSIDE)
    if (
        any(key in d for key in _ATTACHMENT_KEYS)
        or action in _ATTACHMENT_ACTIONS
        or subtype == "/FileAttachment"
        or _name(d, "/Type") == "/EmbeddedFile"
    ):
        return str(_PDF_ATTACHMENT)
    return None


def _get(d: DictionaryObject, key: str) -> PdfObject | None:
    """Return ``d[key]`` with an indirect reference resolved, or None if absent.

    ``d.get`` alone returns references unresolved, and an /S that is a reference to a name
    must not slip past the checks.
    """
    value = d.get(key)
    return None if value is None else value.get_object()


def _name(d: DictionaryObject, key: str) -> str | None:
    """Return ``d[key]`` (resolved) if it is a name or string, else None."""
    return _name_value(_get(d, key))


# --- PDF preview -----------------------------------------------------------------------------


def _pdf_preview(page: PageObject, pages: int, *, max_pixels: int) -> bytes:
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
    except _TooManyPixels:
        raise
    except (Refused, *_PDF_ERRORS):
        logger.warning("PDF first-page image could not be decoded; using a generated preview", exc_info=True)
    if picture is None:
        return _placeholder_preview(page, pages)
    try:
        return _encode_preview(_rotated(picture, page))
    finally:
        picture.close()


def _cover_image(page: PageObject) -> StreamObject | None:
    """Return the page's only XObject if it is an image drawn over most of the page, else None."""
    resources = _get(page, "/Resources")
    if not isinstance(resources, DictionaryObject):
        return None
    xobjects = _get(resources, "/XObject")
    if not isinstance(xobjects, DictionaryObject) or len(xobjects) != 1:
        return None
    name = next(iter(xobjects))
    xobject = _get(xobjects, name)
    if not isinstance(xobject, StreamObject) or _name(xobject, "/Subtype") != "/Image":
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
    ctm: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    saved: list[_Matrix] = []
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


def _multiply(m: tuple[float, ...], n: _Matrix) -> _Matrix:
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
    _check_pixels((_integer(xobject, "/Width"), _integer(xobject, "/Height")), max_pixels)
    filters = _get(xobject, "/Filter")
    if isinstance(filters, ArrayObject) and len(filters) == 1:
        filters = filters[0]
    if _name_value(filters) == "/DCTDecode":
        # PDF viewers draw the JPEG as stored, ignoring its EXIF orientation; so must the preview.
        data = xobject.get_data()
        return _decode_picture(
            data, "JPEG", max_pixels=max_pixels, long_side=PREVIEW_PX, exif_orientation=False
        )
    with _image_errors():
        decoded: Image.Image = xobject.decode_as_image()
        try:
            return _upright(_shrink(decoded, PREVIEW_PX), 1)
        finally:
            decoded.close()


def _integer(d: DictionaryObject, key: str) -> int:
    """Return ``d[key]`` as an int; raise ValueError if it is missing or not a number."""
    value = _get(d, key)
    if not isinstance(value, int):
        raise ValueError(f"{key} is not an integer")
    return int(value)


def _name_value(value: PdfObject | None) -> str | None:
    """Return ``value`` as text if it is a name or string, else None."""
    return str(value) if isinstance(value, str) else None


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
    except _PDF_ERRORS:
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
    return _encode_preview(image)


def _page_shape(page: PageObject) -> tuple[float, float]:
    """Return the first page's visible width and height as shown (after /Rotate), sanely bounded.

    Page boxes are attacker-controlled numbers; degenerate ones fall back to A4 and extreme
    aspect ratios are clamped so the preview stays a readable card.
    """
    try:
        width, height = abs(float(page.cropbox.width)), abs(float(page.cropbox.height))
    except _PDF_ERRORS:
        width, height = 0.0, 0.0
    if not (math.isfinite(width) and math.isfinite(height) and width > 0 and height > 0):
        width, height = 595.0, 842.0  # A4 in points
    if _rotation(page) in (90, 270):
        width, height = height, width
    return max(width, height / 2), max(height, width / 2)
