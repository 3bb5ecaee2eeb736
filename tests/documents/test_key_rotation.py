"""`kordon rotatekeys` re-wraps every file key under the new master key without touching the files;
every document stays readable, and the old key can then be dropped."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kordon.audit.models import AuditEvent
from kordon.audit.services import SYSTEM
from kordon.documents import services
from kordon.documents.encryption import generate_master_key
from kordon.documents.models import Document
from tests.documents import samples
from tests.documents.conftest import api_upload, stored_files

OLD_ID, OLD_KEY = "test-2026", base64.b64encode(b"kordon-test-master-key-32-bytes!").decode()


@pytest.fixture
def new_master_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """Put a new key in KORDON_MASTER_KEY and the suite's key among the previous ones, as an operator would."""
    key = generate_master_key()
    monkeypatch.setenv("KORDON_MASTER_KEY_ID", "2027-01")
    monkeypatch.setenv("KORDON_MASTER_KEY", key)
    monkeypatch.setenv("KORDON_PREVIOUS_MASTER_KEYS", f"{OLD_ID}:{OLD_KEY}")
    return key


def documents(party: dict[str, Any]) -> list[Document]:
    api_upload(party, samples.jpeg(colour=samples.RED))
    api_upload(party, samples.jpeg(colour=samples.BLUE), traveller=1)
    api_upload(party, samples.scan_pdf(), kind="vehicle_registration", name="p.pdf", content_type="application/pdf")
    return list(Document.objects.select_related("notice"))


def contents(docs: list[Document]) -> list[tuple[bytes, bytes]]:
    return [(services.read_document(d, SYSTEM).content, services.read_document(d, SYSTEM, variant="preview").content)
            for d in docs]


def test_rotation_rewraps_every_key_and_leaves_the_stored_files_byte_for_byte(
    party: dict[str, Any], document_dir: Path, new_master_key: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setenv("KORDON_MASTER_KEY_ID", OLD_ID)
    monkeypatch.setenv("KORDON_MASTER_KEY", OLD_KEY)
    docs = documents(party)
    before = {f: f.read_bytes() for f in stored_files(document_dir)}
    readable_before = contents(docs)
    monkeypatch.setenv("KORDON_MASTER_KEY_ID", "2027-01")
    monkeypatch.setenv("KORDON_MASTER_KEY", new_master_key)

    call_command("rotatekeys", "--batch-size", "2")

    assert "3 documents re-wrapped, 0 already under it, 0 failed" in capsys.readouterr().out
    assert {f: f.read_bytes() for f in stored_files(document_dir)} == before
    rotated = list(Document.objects.select_related("notice"))
    assert {d.key_id for d in rotated} == {"2027-01"}
    assert all(bytes(d.wrapped_key) != bytes(o.wrapped_key) for d, o in zip(rotated, docs, strict=True))
    monkeypatch.delenv("KORDON_PREVIOUS_MASTER_KEYS")  # the old key is dropped: nothing needs it any more
    assert contents(rotated) == readable_before


def test_rotation_can_run_again_and_changes_nothing(party: dict[str, Any], new_master_key: str, capsys: Any) -> None:
    documents(party)  # sealed under the new key already
    call_command("rotatekeys")
    assert "0 documents re-wrapped, 3 already under it, 0 failed" in capsys.readouterr().out


def test_a_document_under_an_unknown_key_is_reported_and_left_alone(
    party: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = documents(party)
    monkeypatch.setenv("KORDON_MASTER_KEY_ID", "2027-01")
    monkeypatch.setenv("KORDON_MASTER_KEY", generate_master_key())  # the old key was lost
    with pytest.raises(CommandError, match="KORDON_PREVIOUS_MASTER_KEYS"):
        call_command("rotatekeys")
    assert {d.key_id for d in Document.objects.all()} == {OLD_ID}
    assert [bytes(d.wrapped_key) for d in Document.objects.all()] == [bytes(d.wrapped_key) for d in docs]


def test_rotation_is_recorded_with_counts(party: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    documents(party)  # under the suite's key
    monkeypatch.setenv("KORDON_MASTER_KEY_ID", "2027-01")
    monkeypatch.setenv("KORDON_MASTER_KEY", generate_master_key())
    monkeypatch.setenv("KORDON_PREVIOUS_MASTER_KEYS", f"{OLD_ID}:{OLD_KEY}")
    call_command("rotatekeys")
    event = AuditEvent.objects.get(action="documents.keys_rotated")
    assert (event.actor, event.data) == ("system", {"key_id": "2027-01", "rewrapped": 3, "failed": 0})


def test_new_uploads_are_sealed_under_the_new_key(party: dict[str, Any], new_master_key: str) -> None:
    assert {d.key_id for d in documents(party)} == {"2027-01"}
