"""What sanitizing comes to: a clean file, or a refusal the traveller can act on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from django.utils.functional import Promise

PREVIEW_PX = 480
"""Long side of every preview, in pixels: enough to recognise a document on a slow link."""
PREVIEW_QUALITY = 70
JPEG_QUALITY = 85
RefusalCode = Literal["file_too_large", "unsupported_type", "corrupt_file"]


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


@dataclass(frozen=True)
class CleanFile:
    """A sanitized upload: re-encoded pixels, or a checked PDF kept as uploaded."""

    content: bytes = field(repr=False)
    content_type: str  # "image/jpeg" | "image/png" | "application/pdf"
    width: int | None  # pixels, for images
    height: int | None
    pages: int | None  # for PDFs
    preview: bytes = field(repr=False)  # JPEG, long side PREVIEW_PX at most
