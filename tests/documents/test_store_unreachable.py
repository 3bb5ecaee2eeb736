"""An object store that does not answer: uploads get a clear 503 (JSON on the API), nothing is
recorded, and once the store is back the same upload goes through."""

from typing import Any

import pytest
from botocore.config import Config

from kordon.documents.models import Document
from tests.conftest import free_port
from tests.documents import samples
from tests.documents.conftest import api_upload, s3_bucket  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def unreachable(settings: Any) -> None:
    settings.STORAGES = settings.STORAGES | {"documents": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": "gone", "endpoint_url": f"http://127.0.0.1:{free_port()}", "region_name": "eu-central-1",
        "access_key": "x", "secret_key": "y", "file_overwrite": True, "default_acl": None,
        "client_config": Config(connect_timeout=1, read_timeout=1, retries={"mode": "standard", "max_attempts": 1})}}}


def test_an_upload_while_the_store_is_down_is_a_503_and_leaves_nothing(walker, settings, s3_bucket):  # noqa: F811
    real = settings.STORAGES["documents"]
    unreachable(settings)
    answer = api_upload(walker, samples.jpeg())
    assert answer.status_code == 503 and answer["Content-Type"] == "application/json"
    assert answer["Retry-After"]
    assert [e["code"] for e in answer.json()["errors"]] == ["unavailable"]
    assert Document.objects.count() == 0
    settings.STORAGES = settings.STORAGES | {"documents": real}  # the store is back
    assert s3_bucket.objects() == {}
    again = api_upload(walker, samples.jpeg())
    assert again.status_code == 201, again.content
    assert Document.objects.count() == 1 and len(s3_bucket.objects()) == 2  # the content and its preview
