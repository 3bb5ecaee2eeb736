"""Reading PDF objects safely: what pypdf may raise, and resolved values of a dictionary."""

from __future__ import annotations

import struct
import zlib

from pypdf.errors import DeprecationError, PyPdfError
from pypdf.generic import DictionaryObject, PdfObject

# pypdf parses hostile input and does not promise to wrap every failure in PyPdfError: malformed
# objects surface as the built-in exceptions of whatever operation met them, and filters it
# cannot decode raise NotImplementedError (documented), or DeprecationError for filter names
# pypdf 7 dropped (not a PyPdfError).
PDF_ERRORS = (
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


def resolved(d: DictionaryObject, key: str) -> PdfObject | None:
    """Return ``d[key]`` with an indirect reference resolved, or None if absent.

    ``d.get`` alone returns references unresolved, and an /S that is a reference to a name
    must not slip past the checks.
    """
    value = d.get(key)
    return None if value is None else value.get_object()


def name_in(d: DictionaryObject, key: str) -> str | None:
    """Return ``d[key]`` (resolved) if it is a name or string, else None."""
    return name_of(resolved(d, key))


def name_of(value: PdfObject | None) -> str | None:
    """Return ``value`` as text if it is a name or string, else None."""
    return str(value) if isinstance(value, str) else None


def integer_in(d: DictionaryObject, key: str) -> int:
    """Return ``d[key]`` as an int; raise ValueError if it is missing or not a number."""
    value = resolved(d, key)
    if not isinstance(value, int):
        raise ValueError(f"{key} is not an integer")
    return int(value)
