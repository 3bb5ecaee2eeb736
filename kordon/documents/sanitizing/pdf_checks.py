"""PDFs: kept byte for byte, once every reachable object is checked for scripts, outside actions
and attached files."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from kordon.documents.sanitizing.outcome import CleanFile, Refused
from kordon.documents.sanitizing.pdf_objects import PDF_ERRORS, name_in
from kordon.documents.sanitizing.pdf_preview import pdf_preview

# Containers (dictionaries and arrays) we are willing to inspect in one PDF. A 20-page scan has
# a few hundred; the cap only stops a crafted file from making the check itself a DoS.
_MAX_PDF_CONTAINERS = 200_000

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


def sanitize_pdf(data: bytes, *, max_pixels: int, max_pages: int) -> CleanFile:
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
    preview = pdf_preview(first, pages, max_pixels=max_pixels)
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
    except PDF_ERRORS as exc:
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
    action = name_in(d, "/S")
    subtype = name_in(d, "/Subtype")
    if any(key in d for key in _SCRIPT_KEYS) or action in _SCRIPT_ACTIONS or subtype in _SCRIPT_SUBTYPES:
        return str(_PDF_SCRIPT)
    if action in _OUTSIDE_ACTIONS:
        return str(_PDF_OUTSIDE)
    if (
        any(key in d for key in _ATTACHMENT_KEYS)
        or action in _ATTACHMENT_ACTIONS
        or subtype == "/FileAttachment"
        or name_in(d, "/Type") == "/EmbeddedFile"
    ):
        return str(_PDF_ATTACHMENT)
    return None
