"""The storage documents are written to: STORAGES["documents"] in settings.

Files on local disk (under KORDON_VAR_DIR/documents) unless KORDON_S3_BUCKET is set, then an S3 bucket
through django-storages. Either way only ciphertext is written, under random names, and nothing in
kordon ever asks the storage for a URL: documents are served by views that check who is asking.
"""

import secrets

from django.core.files.storage import Storage, storages


def document_storage() -> Storage:
    return storages["documents"]


def new_name() -> str:
    """A fresh random object name: 128 bits, in one of 256 folders so no directory grows huge."""
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}"
