"""A stolen disk or bucket yields nothing readable: only ciphertext under random names is stored,
on local disk and in S3, and a stored object cannot be passed off as another record's."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import storages

from kordon.audit.services import SYSTEM
from kordon.documents import services
from kordon.documents.encryption import DecryptionFailed
from kordon.documents.models import Document
from tests.documents import samples
from tests.documents.conftest import Bucket, api_read, api_upload, stored_files

MARKER = b"KORDON-PLAINTEXT-MARKER-7d41"


def marked_pdf() -> bytes:
    """A one-page PDF whose bytes include the marker and a name in plain text (its document info)."""
    return samples.raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Title (" + MARKER + b") /Author (Eriksson, Anna Maria) >>",
    ])


def upload_both(party: dict[str, Any]) -> list[bytes]:
    """A photo and a marked PDF; returns the plaintexts the server keeps."""
    photo = api_upload(party, samples.noisy_jpeg((900, 700), 90)).json()
    pdf = api_upload(party, marked_pdf(), kind="vehicle_registration", name="papers.pdf",
                     content_type="application/pdf").json()
    return [api_read(party, d["id"]).content for d in (photo, pdf)] + \
           [api_read(party, d["id"], preview=1).content for d in (photo, pdf)]


def assert_no_plaintext(stored: list[bytes], plaintexts: list[bytes]) -> None:
    assert len(stored) == 4  # content and preview of each of the two documents
    for blob in stored:
        assert MARKER not in blob and b"Eriksson" not in blob
        assert b"\xff\xd8\xff" not in blob[:16] and b"%PDF" not in blob and b"JFIF" not in blob
        for plaintext in plaintexts:
            assert plaintext[100:164] not in blob


def test_files_on_disk_hold_no_plaintext(party: dict[str, Any], document_dir: Path) -> None:
    plaintexts = upload_both(party)
    assert MARKER in plaintexts[1]  # the PDF is kept as sent, so the marker is really in what we store
    files = stored_files(document_dir)
    assert_no_plaintext([f.read_bytes() for f in files], plaintexts)
    assert all(party["reference"] not in str(f) and "passport" not in str(f) for f in files)


def test_files_on_disk_are_readable_by_their_owner_only(party: dict[str, Any], settings: Any, tmp_path: Path) -> None:
    location = tmp_path / "private"
    settings.STORAGES = settings.STORAGES | {"documents": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                             "OPTIONS": {"location": str(location),
                                                                         "file_permissions_mode": 0o600,
                                                                         "directory_permissions_mode": 0o700}}}
    api_upload(party, samples.jpeg())
    assert {oct(f.stat().st_mode & 0o777) for f in stored_files(location)} == {"0o600"}


def test_objects_in_the_s3_bucket_hold_no_plaintext(
    party: dict[str, Any], s3_bucket: Bucket, document_dir: Path
) -> None:
    plaintexts = upload_both(party)
    objects = s3_bucket.objects()
    assert_no_plaintext(list(objects.values()), plaintexts)
    assert all(party["reference"] not in key for key in objects)
    assert stored_files(document_dir) == []  # everything went to the bucket


def test_documents_in_s3_are_read_back_and_deleted_there(party: dict[str, Any], s3_bucket: Bucket) -> None:
    photo = samples.noisy_jpeg((500, 400), 90)
    body = api_upload(party, photo).json()
    assert api_read(party, body["id"]).status_code == 200
    document = Document.objects.get(pk=body["id"])
    services.remove_stored([document.content_name, document.preview_name])
    assert s3_bucket.objects() == {}


def test_the_default_storage_never_offers_a_public_address(settings: Any) -> None:
    from kordon import settings as production

    assert production.STORAGES["documents"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert "documents" in str(production.STORAGES["documents"]["OPTIONS"]["location"])
    assert str(production.STORAGES["documents"]["OPTIONS"]["location"]) != str(production.MEDIA_ROOT)


def test_a_stored_object_swapped_for_another_records_does_not_open(party: dict[str, Any]) -> None:
    first = Document.objects.get(pk=api_upload(party, samples.jpeg(colour=samples.RED)).json()["id"])
    second = Document.objects.get(pk=api_upload(party, samples.jpeg(colour=samples.BLUE), traveller=1).json()["id"])
    storage = storages["documents"]
    with storage.open(first.content_name, "rb") as handle:
        stolen = handle.read()
    storage.delete(second.content_name)
    storage.save(second.content_name, io.BytesIO(stolen))
    with pytest.raises(DecryptionFailed):
        services.read_document(second, SYSTEM)


def test_a_tampered_object_does_not_open(party: dict[str, Any]) -> None:
    document = Document.objects.get(pk=api_upload(party, samples.jpeg()).json()["id"])
    storage = storages["documents"]
    with storage.open(document.preview_name, "rb") as handle:
        data = bytearray(handle.read())
    data[40] ^= 1
    storage.delete(document.preview_name)
    storage.save(document.preview_name, io.BytesIO(bytes(data)))
    with pytest.raises(DecryptionFailed):
        services.read_document(document, SYSTEM, variant="preview")
