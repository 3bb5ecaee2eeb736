"""Receiving upload bodies without trusting their size.

Django streams each uploaded file through the handlers in FILE_UPLOAD_HANDLERS. This one comes
first: it passes on at most KORDON_UPLOAD_MAX_BYTES + 1 bytes of a file and swallows the rest while
counting it, so a huge upload neither fills memory nor the temporary disk, and the view still learns
the real size to tell the traveller.
"""

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _


class OversizedUpload(UploadedFile[bytes]):
    """Stands in for a file that was over the limit: ``size`` is what was sent; no content is kept."""

    def __init__(self, name: str, content_type: str, size: int, charset: str | None) -> None:
        super().__init__(io.BytesIO(b""), name, content_type, size, charset)


class SizeCappedUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        keep = settings.KORDON_UPLOAD_MAX_BYTES + 1 - start
        if keep <= 0:
            return None  # counted (Django adds len(raw_data) to this handler's total), not passed on
        return raw_data[:keep]

    def file_complete(self, file_size: int) -> Any:
        if file_size <= settings.KORDON_UPLOAD_MAX_BYTES:
            return None  # the next handler returns the file it kept
        return OversizedUpload(self.file_name or "", self.content_type or "", file_size, self.charset)


def too_large_message(size: int) -> str:
    """The traveller's explanation, in the words the sanitizer uses for the same refusal."""
    limit = f"{settings.KORDON_UPLOAD_MAX_BYTES / 2**20:.1f}".removesuffix(".0")
    return _("This file is %(size)s MB; the limit is %(limit)s MB. Take the photo again at a lower resolution or "
             "send a PDF scan.") % {"size": f"{size / 2**20:.1f}", "limit": limit}
