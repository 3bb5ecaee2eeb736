"""Documents' settings: a missing master key stops the start with what to do; development gets a
demo key; S3 is configured from the environment; pixel limits keep a worker's memory in bounds."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kordon.documents import limits
from kordon.documents.keys import DEMO_KEY_ID, KeyRingUnavailable, key_ring
from kordon.documents.models import Document
from tests.documents import samples
from tests.documents.conftest import api_upload, stored_files

KORDON = str(Path(sys.executable).parent / "kordon")
PRODUCTION = {"KORDON_SECRET_KEY": "x" * 50, "KORDON_ALLOWED_HOSTS": "kordon.example.org"}


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KORDON_", "DJANGO_", "DATABASE_URL"))}
    return subprocess.run(args, env=clean | env, capture_output=True, text=True, timeout=60)


def test_production_without_a_master_key_stops_with_what_to_do(tmp_path: Path) -> None:
    result = run(KORDON, "check", **PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path / 'k.sqlite3'}")
    assert result.returncode != 0
    assert "kordon.E201" in result.stderr and "No master key for documents" in result.stderr
    assert "KORDON_MASTER_KEY_ID" in result.stderr and "KORDON_MASTER_KEY_FILE" in result.stderr


def test_a_malformed_master_key_is_named_but_never_echoed(tmp_path: Path) -> None:
    result = run(KORDON, "check", **PRODUCTION, KORDON_MASTER_KEY_ID="2026-01", KORDON_MASTER_KEY="c2hvcnQ=",
                 DATABASE_URL=f"sqlite:///{tmp_path / 'k.sqlite3'}")
    assert result.returncode != 0 and "KORDON_MASTER_KEY must be base64 of 32 bytes" in result.stderr
    assert "c2hvcnQ=" not in result.stderr


def test_a_master_key_file_is_read(tmp_path: Path) -> None:
    key = tmp_path / "master-key"
    key.write_text("a29yZG9uLXRlc3QtbWFzdGVyLWtleS0zMi1ieXRlcyE=\n")
    result = run(KORDON, "check", **PRODUCTION, KORDON_MASTER_KEY_ID="2026-01", KORDON_MASTER_KEY_FILE=str(key),
                 DATABASE_URL=f"sqlite:///{tmp_path / 'k.sqlite3'}")
    assert "kordon.E201" not in result.stderr


def test_development_makes_a_demo_key_once_and_keeps_it(settings: Any, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KORDON_MASTER_KEY_ID", "KORDON_MASTER_KEY"):
        monkeypatch.delenv(name)
    settings.DEBUG, settings.VAR_DIR = True, tmp_path
    ring = key_ring()
    assert ring.current.key_id == DEMO_KEY_ID and key_ring().current.key == ring.current.key
    assert oct((tmp_path / "documents-demo-master-key").stat().st_mode & 0o777) == "0o600"


def test_without_a_key_an_upload_is_refused_and_nothing_is_stored(
    party: dict[str, Any], document_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("KORDON_MASTER_KEY_ID", "KORDON_MASTER_KEY"):
        monkeypatch.delenv(name)
    with pytest.raises(KeyRingUnavailable):
        key_ring()
    response = api_upload(party, samples.jpeg())
    assert response.status_code == 503 and response.json()["errors"][0]["code"] == "documents_unavailable"
    assert Document.objects.count() == 0 and stored_files(document_dir) == []


def test_s3_is_configured_from_the_environment(tmp_path: Path) -> None:
    secret = tmp_path / "s3-secret"
    secret.write_text("s3cr3t\n")
    script = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['documents'], default=repr))"
    result = run(sys.executable, "-c", f"import django; django.setup(); {script}", **PRODUCTION,
                 DJANGO_SETTINGS_MODULE="kordon.settings", KORDON_S3_BUCKET="kordon-docs",
                 KORDON_S3_ENDPOINT_URL="https://s3.example.org", KORDON_S3_ACCESS_KEY="AKIA1",
                 KORDON_S3_SECRET_KEY_FILE=str(secret), KORDON_S3_REGION="eu-central-1")
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout.strip().splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert {k: storage["OPTIONS"][k] for k in ("bucket_name", "endpoint_url", "access_key", "secret_key",
                                               "region_name")} == {
        "bucket_name": "kordon-docs", "endpoint_url": "https://s3.example.org", "access_key": "AKIA1",
        "secret_key": "s3cr3t", "region_name": "eu-central-1"}


# --- pixel limits ----------------------------------------------------------------------------


BUDGET = limits.DECODE_BUDGET  # 60 MB that one upload may add to a worker


def encoded(image: Image.Image, fmt: str, **params: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "expected"), [
    pytest.param(encoded(Image.new("RGB", (64, 48)), "JPEG"), 40_000_000, id="baseline-jpeg"),
    pytest.param(encoded(Image.new("RGB", (64, 48)), "JPEG", progressive=True), BUDGET // 5, id="progressive-jpeg"),
    pytest.param(encoded(Image.new("RGB", (64, 48)), "JPEG", progressive=True, subsampling=0), BUDGET // 11,
                 id="progressive-jpeg-full-chroma"),
    pytest.param(encoded(Image.new("L", (64, 48)), "PNG"), BUDGET // 2, id="greyscale-png"),
    pytest.param(encoded(Image.new("RGB", (64, 48)), "PNG"), BUDGET // 9, id="colour-png"),
    pytest.param(encoded(Image.new("RGBA", (64, 48)), "PNG"), BUDGET // 17, id="transparent-png"),
    pytest.param(encoded(Image.new("RGB", (64, 48)), "WEBP"), BUDGET // 22, id="webp"),
    pytest.param(samples.blank_pdf(), 12_000_000, id="pdf"),
    pytest.param(b"<html>", 40_000_000, id="not-an-image"),
])
def test_the_pixel_limit_follows_what_decoding_the_file_costs(data: bytes, expected: int) -> None:
    stream = io.BytesIO(data)
    assert limits.max_pixels(stream) == expected
    assert stream.tell() == 0
