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

from typing import BinaryIO

from django.utils.translation import gettext_lazy

from kordon.documents.sanitizing.images import sanitize_image
from kordon.documents.sanitizing.outcome import PREVIEW_PX, CleanFile, RefusalCode, Refused
from kordon.documents.sanitizing.pdf_checks import sanitize_pdf
from kordon.documents.sanitizing.sniffing import read_limited, sniff, too_large_message

__all__ = ["PREVIEW_PX", "CleanFile", "RefusalCode", "Refused", "sanitize"]

# Whole sentences, translated when a refusal is raised (in the request's language).
_EMPTY = gettext_lazy("The file is empty. Choose the photo or PDF again and send it.")


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
    content = read_limited(data, max_bytes)
    if len(content) > max_bytes:
        raise Refused("file_too_large", too_large_message(data, len(content), max_bytes))
    if not content:
        raise Refused("corrupt_file", _EMPTY)
    kind = sniff(content[:16])
    if kind == "PDF":
        return sanitize_pdf(content, max_pixels=max_pixels, max_pages=max_pdf_pages)
    return sanitize_image(content, kind, max_pixels=max_pixels, long_side=max_long_side)
