"""Fixtures for documents: a party with a vehicle, uploads through the API and the page, a fresh
document store per test (a directory, or a real S3-protocol server)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kordon.documents.models import Document
from tests.conftest import free_port, open_link, traveller

JPEG = "image/jpeg"


@pytest.fixture(autouse=True)
def document_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test stores documents in its own empty directory."""
    location = tmp_path / "documents"
    settings.STORAGES = settings.STORAGES | {"documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}}}
    return location


def stored_files(location: Path) -> list[Path]:
    return sorted(p for p in location.rglob("*") if p.is_file()) if location.exists() else []


@pytest.fixture
def party(file_notice: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """Two travellers and a camper, filed through the API (with its access token)."""
    return file_notice(
        travellers=[traveller(),
                    traveller(surname="Lindqvist", given_names="Erik", sex="M", document_number="NX4HK2LP2")],
        vehicle={"plate": "VX-123-B", "country": "NL", "kind": "camper", "make": "VW", "model": "T3"},
    )


@pytest.fixture
def walker(file_notice: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """One traveller on foot."""
    return file_notice(travellers=[traveller(document_number="WK1234567")], vehicle=None)


def as_upload(data: bytes, name: str = "photo.jpg", content_type: str = JPEG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def api_upload(notice: dict[str, Any], data: bytes, *, kind: str = "passport", traveller: int = 0,
               token: str | None = None, name: str = "photo.jpg", content_type: str = JPEG) -> Any:
    """POST /api/v1/notices/{ref}/documents as multipart, as a phone app would."""
    body: dict[str, Any] = {"kind": kind, "file": as_upload(data, name, content_type)}
    if kind == "passport":
        body["traveller_id"] = notice["travellers"][traveller]["id"]
    auth = token or notice["access_token"]
    return Client().post(f"/api/v1/notices/{notice['reference']}/documents", body,
                         HTTP_AUTHORIZATION=f"Bearer {auth}")


def page_url(notice: dict[str, Any]) -> str:
    """The notice's token-free page: open with `browser(notice)`."""
    return f"/notices/{notice['reference']}/"


def browser(notice: dict[str, Any], client: Client | None = None) -> Client:
    """A browser that opened the traveller's link: it keeps the token in a cookie."""
    client = client or Client()
    open_link(client, notice)
    return client


def form_upload(notice: dict[str, Any], data: bytes, *, kind: str = "passport", traveller: int = 0,
                name: str = "photo.jpg", content_type: str = JPEG, client: Client | None = None, **extra: Any) -> Any:
    """The notice page's form posted as a browser without JavaScript posts it."""
    body: dict[str, Any] = {"kind": kind, "file": as_upload(data, name, content_type)}
    if kind == "passport":
        body["traveller_id"] = notice["travellers"][traveller]["id"]
    return browser(notice, client).post(page_url(notice) + "documents/", body, **extra)


def api_read(notice: dict[str, Any], document_id: str, token: str | None = None, **params: Any) -> Any:
    return Client().get(f"/api/v1/notices/{notice['reference']}/documents/{document_id}", params,
                        HTTP_AUTHORIZATION=f"Bearer {token or notice['access_token']}")


def only_document() -> Document:
    documents = list(Document.objects.select_related("notice"))
    assert len(documents) == 1, documents
    return documents[0]


class Bucket:
    """An S3 bucket seen directly, as a thief holding the credentials would see it."""

    def __init__(self, client: Any, name: str) -> None:
        self.client, self.name = client, name

    def objects(self) -> dict[str, bytes]:
        listing = self.client.list_objects_v2(Bucket=self.name).get("Contents", [])
        return {o["Key"]: self.client.get_object(Bucket=self.name, Key=o["Key"])["Body"].read() for o in listing}


@pytest.fixture
def s3_bucket(settings: Any) -> Iterator[Bucket]:
    """A real S3-protocol server (moto) on 127.0.0.1 with a fresh bucket; documents are stored there."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    endpoint, region, name = f"http://127.0.0.1:{server._port}", "eu-central-1", f"kordon-{uuid.uuid4().hex[:12]}"
    credentials = {"aws_access_key_id": "kordon-test", "aws_secret_access_key": "kordon-test-secret"}
    client = boto3.client("s3", endpoint_url=endpoint, region_name=region, **credentials)
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    settings.STORAGES = settings.STORAGES | {"documents": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": name, "endpoint_url": endpoint, "region_name": region,
        "access_key": credentials["aws_access_key_id"], "secret_key": credentials["aws_secret_access_key"],
        "file_overwrite": True, "default_acl": None}}}
    try:
        yield Bucket(client, name)
    finally:
        server.stop()
