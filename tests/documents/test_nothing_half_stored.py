"""Nothing half-stored: a document is its row plus its two stored objects, or nothing at all, whatever
fails on the way; stored objects left by a worker that died mid-upload are swept up later."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage, storages
from django.db import DatabaseError, OperationalError, connections

from kordon.audit.models import AuditEvent
from kordon.audit.services import TRAVELLER
from kordon.documents import retention, services
from kordon.documents.models import Document
from kordon.notices.models import Notice
from kordon.problems import Refused
from tests.documents import samples
from tests.documents.conftest import api_upload, stored_files


def notice_of(party: dict[str, Any]) -> Notice:
    return Notice.objects.get(reference=party["reference"])


def store(party: dict[str, Any]) -> Document:
    notice = notice_of(party)
    return services.store_document(notice, kind="passport", upload=samples.jpeg(), actor=TRAVELLER,
                                   traveller_id=party["travellers"][0]["id"])


def test_a_database_error_while_recording_leaves_no_file(party: dict[str, Any], document_dir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(DatabaseError):
        store(party)
    assert stored_files(document_dir) == [] and Document.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_failed_commit_leaves_no_file(party: dict[str, Any], document_dir: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    wrapper = connections["default"]
    real_commit, failures = wrapper.commit, []

    def failing_commit() -> None:
        if failures:
            return real_commit()
        failures.append(1)  # the upload's own commit fails, as a serialization failure would
        raise OperationalError("could not serialize access")

    monkeypatch.setattr(wrapper, "commit", failing_commit)
    with pytest.raises(OperationalError):
        store(party)
    assert failures == [1]
    assert stored_files(document_dir) == []
    assert Document.objects.count() == 0
    assert not AuditEvent.objects.filter(action="document.uploaded").exists()


def test_a_failure_writing_the_preview_removes_the_content_already_written(
    party: dict[str, Any], document_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = FileSystemStorage.save
    calls = []

    def save_once(self: FileSystemStorage, name: str, content: Any, **kwargs: Any) -> str:
        calls.append(name)
        if len(calls) == 2:
            raise OSError("connection reset by peer")
        return real_save(self, name, content, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", save_once)
    with pytest.raises(OSError):
        store(party)
    assert len(calls) == 2 and stored_files(document_dir) == [] and Document.objects.count() == 0


def test_a_notice_cancelled_while_its_upload_was_processed_keeps_nothing(
    party: dict[str, Any], document_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = services._write_sealed

    def cancelled_meanwhile(*args: Any) -> None:
        real_write(*args)
        Notice.objects.filter(reference=party["reference"]).update(status="cancelled")

    monkeypatch.setattr(services, "_write_sealed", cancelled_meanwhile)
    with pytest.raises(Refused):
        store(party)
    assert stored_files(document_dir) == [] and Document.objects.count() == 0


def age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_the_sweep_removes_old_objects_no_row_names_and_nothing_else(party: dict[str, Any], document_dir: Path) -> None:
    kept = Document.objects.get(pk=api_upload(party, samples.jpeg()).json()["id"])
    storage = storages["documents"]
    stale = storage.save("ab/" + "a" * 32, io.BytesIO(b"ciphertext of a dead upload"))
    fresh = storage.save("ab/" + "b" * 32, io.BytesIO(b"an upload about to commit"))
    for path in stored_files(document_dir):
        age(path, 48)
    age(document_dir / fresh, 0)

    assert list(retention.orphans()) == [stale]
    assert retention.remove_orphans() == 1
    assert sorted(str(p.relative_to(document_dir)) for p in stored_files(document_dir)) == sorted(
        [kept.content_name, kept.preview_name, fresh])
    assert AuditEvent.objects.get(action="retention.orphans_removed").data == {"objects": 1}
