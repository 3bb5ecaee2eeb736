"""Reading an upload within its size limit, and telling its type from its first bytes."""

from __future__ import annotations

import io
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kordon.documents.sanitizing.outcome import Refused

_CHUNK = 1024 * 1024
_UNSUPPORTED = gettext_lazy("We cannot accept this kind of file. Send a photo (JPEG, PNG or WebP) or a PDF.")


def read_limited(data: bytes | BinaryIO, max_bytes: int) -> bytes:
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


def too_large_message(data: bytes | BinaryIO, consumed: int, max_bytes: int) -> str:
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


def sniff(head: bytes) -> str:
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
