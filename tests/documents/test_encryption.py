"""Documents are sealed per file, bound to their record, and survive master-key rotation."""

from __future__ import annotations

import base64
import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kordon.documents.encryption import (
    DecryptionFailed,
    KeyRing,
    MasterKey,
    Sealed,
    decrypt,
    encrypt,
    generate_master_key,
    rewrap,
)

MARKER = b"PASSPORT-NO-AB1234567-SURNAME-IVANOVA"
PLAINTEXT = b"%PDF-1.7 " + MARKER * 20 + b" end"
RECORD = b"document:7f3c/notice:KA-2025-000123"


def master(key_id: str, fill: int) -> MasterKey:
    return MasterKey(key_id, bytes([fill]) * 32)


def b64(key: MasterKey) -> str:
    return base64.b64encode(key.key).decode()


OLD = master("2024-01", 1)
NEW = master("2025-06", 2)
RING = KeyRing(OLD)


def flipped(data: bytes, index: int) -> bytes:
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


# --- sealing and opening ---------------------------------------------------------------------


def test_a_sealed_document_opens_again_with_the_same_record() -> None:
    ciphertext, sealed = encrypt(PLAINTEXT, RING, associated_data=RECORD)
    assert decrypt(ciphertext, sealed, RING, associated_data=RECORD) == PLAINTEXT
    assert sealed.key_id == "2024-01"
    assert (len(sealed.wrapped_key), len(sealed.nonce)) == (40, 12)


def test_the_ciphertext_and_stored_fields_contain_no_part_of_the_plaintext() -> None:
    ciphertext, sealed = encrypt(PLAINTEXT, RING, associated_data=RECORD)
    for stored in (ciphertext, sealed.wrapped_key, sealed.nonce):
        assert MARKER[:8] not in stored
        assert b"PASSPORT" not in stored
    assert RECORD not in ciphertext  # associated data is authenticated, not stored


def test_every_file_gets_its_own_key_and_nonce() -> None:
    first_ct, first = encrypt(PLAINTEXT, RING, associated_data=RECORD)
    second_ct, second = encrypt(PLAINTEXT, RING, associated_data=RECORD)
    assert first_ct != second_ct
    assert first.wrapped_key != second.wrapped_key
    assert first.nonce != second.nonce


def test_a_file_opened_for_another_record_fails() -> None:
    ciphertext, sealed = encrypt(PLAINTEXT, RING, associated_data=RECORD)
    with pytest.raises(DecryptionFailed, match="failed authentication"):
        decrypt(ciphertext, sealed, RING, associated_data=b"document:other/notice:KA-2025-000999")


def test_a_file_swapped_with_another_records_file_and_key_fails() -> None:
    theirs_ct, theirs = encrypt(b"someone else's passport", RING, associated_data=b"document:other")
    with pytest.raises(DecryptionFailed):
        decrypt(theirs_ct, theirs, RING, associated_data=RECORD)


def test_an_empty_associated_data_is_refused_when_sealing() -> None:
    with pytest.raises(ValueError, match="associated_data"):
        encrypt(PLAINTEXT, RING, associated_data=b"")


# --- tampering -------------------------------------------------------------------------------


@pytest.mark.parametrize("index", [0, 100, -17, -1], ids=["first-byte", "middle", "last-content-byte", "tag"])
def test_a_tampered_ciphertext_fails(index: int) -> None:
    ciphertext, sealed = encrypt(PLAINTEXT, RING, associated_data=RECORD)
    with pytest.raises(DecryptionFailed, match="failed authentication"):
        decrypt(flipped(ciphertext, index), sealed, RING, associated_data=RECORD)


def test_a_truncated_ciphertext_fails() -> None:
    ciphertext, sealed = encrypt(PLAINTEXT, RING, associated_data=RECORD)
    with pytest.raises(DecryptionFailed):
        decrypt(ciphertext[:-1], sealed, RING, associated_data=RECORD)


@pytest.mark.parametrize("index", [0, 20, 39])
def test_a_tampered_wrapped_key_fails(index: int) -> None:
    ciphertext, sealed = encrypt(PLAINTEXT, RING, associated_data=RECORD)
    tampered = dataclasses.replace(sealed, wrapped_key=flipped(sealed.wrapped_key, index))
    with pytest.raises(DecryptionFailed, match="does not unwrap"):
        decrypt(ciphertext, tampered, RING, associated_data=RECORD)


@pytest.mark.parametrize("wrapped_key", [b"", b"short", bytes(41)], ids=["empty", "short", "odd-length"])
def test_a_wrapped_key_of_an_impossible_length_fails_cleanly(wrapped_key: bytes) -> None:
    ciphertext, sealed = encrypt(PLAINTEXT, RING, associated_data=RECORD)
    with pytest.raises(DecryptionFailed):
        decrypt(
            ciphertext, dataclasses.replace(sealed, wrapped_key=wrapped_key), RING, associated_data=RECORD
        )


def test_a_tampered_nonce_fails() -> None:
    ciphertext, sealed = encrypt(PLAINTEXT, RING, associated_data=RECORD)
    for nonce in (flipped(sealed.nonce, 0), sealed.nonce[:8]):
        with pytest.raises(DecryptionFailed):
            decrypt(ciphertext, dataclasses.replace(sealed, nonce=nonce), RING, associated_data=RECORD)


def test_an_unknown_key_id_fails_naming_the_missing_key_and_where_to_put_it() -> None:
    ciphertext, sealed = encrypt(PLAINTEXT, RING, associated_data=RECORD)
    with pytest.raises(
        DecryptionFailed, match=r"'2024-01'.*not in the key ring.*KORDON_PREVIOUS_MASTER_KEYS"
    ):
        decrypt(ciphertext, sealed, KeyRing(NEW), associated_data=RECORD)


def test_a_key_id_pointing_at_different_key_material_fails() -> None:
    ciphertext, sealed = encrypt(PLAINTEXT, RING, associated_data=RECORD)
    impostor = KeyRing(MasterKey("2024-01", bytes(32)))
    with pytest.raises(DecryptionFailed, match="does not unwrap"):
        decrypt(ciphertext, sealed, impostor, associated_data=RECORD)


# --- rotation --------------------------------------------------------------------------------


def test_rewrapping_under_a_new_key_keeps_the_old_file_bytes_decryptable() -> None:
    ciphertext, sealed = encrypt(PLAINTEXT, RING, associated_data=RECORD)
    rotating = KeyRing(NEW, previous=[OLD])

    moved = rewrap(sealed, rotating)

    assert moved.key_id == "2025-06"
    assert moved.nonce == sealed.nonce and moved.wrapped_key != sealed.wrapped_key
    assert decrypt(ciphertext, moved, KeyRing(NEW), associated_data=RECORD) == PLAINTEXT  # old key gone
    with pytest.raises(DecryptionFailed):
        decrypt(ciphertext, sealed, KeyRing(NEW), associated_data=RECORD)


def test_new_files_are_sealed_under_the_current_key_during_rotation() -> None:
    _, sealed = encrypt(PLAINTEXT, KeyRing(NEW, previous=[OLD]), associated_data=RECORD)
    assert sealed.key_id == "2025-06"


def test_rewrapping_a_file_with_an_unknown_or_tampered_key_fails() -> None:
    _, sealed = encrypt(PLAINTEXT, RING, associated_data=RECORD)
    with pytest.raises(DecryptionFailed):
        rewrap(sealed, KeyRing(NEW))
    with pytest.raises(DecryptionFailed):
        rewrap(dataclasses.replace(sealed, wrapped_key=flipped(sealed.wrapped_key, 3)), KeyRing(NEW, [OLD]))


@settings(max_examples=50, deadline=None)
@given(plaintext=st.binary(max_size=4096), record=st.binary(min_size=1, max_size=64))
def test_any_document_round_trips_through_sealing_and_rotation(plaintext: bytes, record: bytes) -> None:
    ciphertext, sealed = encrypt(plaintext, RING, associated_data=record)
    moved = rewrap(sealed, KeyRing(NEW, [OLD]))
    assert decrypt(ciphertext, moved, KeyRing(NEW), associated_data=record) == plaintext


# --- keys and the key ring -------------------------------------------------------------------


def test_a_generated_master_key_is_base64_of_32_random_bytes() -> None:
    first, second = generate_master_key(), generate_master_key()
    assert len(base64.b64decode(first, validate=True)) == 32
    assert first != second


def test_a_master_key_never_shows_its_bytes_in_a_repr() -> None:
    assert "\\x01" not in repr(OLD) and "key=" not in repr(OLD)
    assert "\\x01" not in repr(KeyRing(OLD, [NEW]))


@pytest.mark.parametrize("key_id", ["", "has space", "a:b", "a,b", "x" * 65])
def test_a_master_key_id_that_could_not_be_stored_or_listed_is_refused(key_id: str) -> None:
    with pytest.raises(ValueError, match="key id"):
        MasterKey(key_id, bytes(32))


def test_a_master_key_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        MasterKey("k1", bytes(16))


def test_one_id_for_two_different_keys_is_refused_but_an_exact_duplicate_is_fine() -> None:
    with pytest.raises(ValueError, match="two different keys"):
        KeyRing(OLD, [MasterKey("2024-01", bytes(32))])
    assert KeyRing(OLD, [OLD]).find("2024-01") == OLD


def test_sealed_holds_only_what_the_database_stores() -> None:
    assert [f.name for f in dataclasses.fields(Sealed)] == ["key_id", "wrapped_key", "nonce"]


# --- from the environment --------------------------------------------------------------------


def test_the_key_ring_is_read_from_the_environment() -> None:
    ring = KeyRing.from_env(
        {
            "KORDON_MASTER_KEY_ID": "2025-06",
            "KORDON_MASTER_KEY": b64(NEW),
            "KORDON_PREVIOUS_MASTER_KEYS": f"2024-01:{b64(OLD)}, 2023-01:{b64(master('2023-01', 3))}",
        }
    )
    assert ring.current == NEW
    assert [key.key_id for key in ring.previous] == ["2024-01", "2023-01"]
    assert ring.find("2024-01") == OLD


def test_keys_can_come_from_files_such_as_container_secrets(tmp_path: Path) -> None:
    (tmp_path / "master").write_text(b64(NEW) + "\n")
    (tmp_path / "previous").write_text(f"2024-01:{b64(OLD)}\n2023-01:{b64(master('2023-01', 3))}\n")
    ring = KeyRing.from_env(
        {
            "KORDON_MASTER_KEY_ID": "2025-06",
            "KORDON_MASTER_KEY_FILE": str(tmp_path / "master"),
            "KORDON_PREVIOUS_MASTER_KEYS_FILE": str(tmp_path / "previous"),
        }
    )
    assert ring.current == NEW
    assert [key.key_id for key in ring.previous] == ["2024-01", "2023-01"]


def from_env_error(environ: dict[str, str]) -> str:
    with pytest.raises(ValueError) as caught:
        KeyRing.from_env(environ)
    return str(caught.value)


def test_a_missing_master_key_names_the_variable() -> None:
    assert "KORDON_MASTER_KEY (or KORDON_MASTER_KEY_FILE) is not set" in from_env_error(
        {"KORDON_MASTER_KEY_ID": "k1"}
    )
    assert "KORDON_MASTER_KEY_ID is not set" in from_env_error({"KORDON_MASTER_KEY": b64(NEW)})
    assert "not set" in from_env_error({})


def test_a_master_key_file_that_cannot_be_read_names_the_variable_and_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    message = from_env_error({"KORDON_MASTER_KEY_ID": "k1", "KORDON_MASTER_KEY_FILE": str(missing)})
    assert "KORDON_MASTER_KEY_FILE" in message and str(missing) in message


def test_a_master_key_given_both_directly_and_as_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "master").write_text(b64(NEW))
    environ = {
        "KORDON_MASTER_KEY_ID": "k1",
        "KORDON_MASTER_KEY": b64(OLD),
        "KORDON_MASTER_KEY_FILE": str(tmp_path / "master"),
    }
    assert "not both" in from_env_error(environ)


def test_a_malformed_master_key_names_the_variable_without_echoing_the_secret() -> None:
    secret_looking = "not*base64*but*secret*material"
    message = from_env_error({"KORDON_MASTER_KEY_ID": "k1", "KORDON_MASTER_KEY": secret_looking})
    assert message == "KORDON_MASTER_KEY is not valid base64"
    assert secret_looking not in message


def test_a_master_key_of_the_wrong_length_names_the_variable_and_the_length() -> None:
    short = base64.b64encode(bytes(16)).decode()
    message = from_env_error({"KORDON_MASTER_KEY_ID": "k1", "KORDON_MASTER_KEY": short})
    assert "KORDON_MASTER_KEY must be base64 of 32 bytes" in message and "decodes to 16" in message


def test_a_master_key_file_with_the_wrong_length_names_the_file_variable(tmp_path: Path) -> None:
    (tmp_path / "master").write_text(base64.b64encode(bytes(31)).decode())
    message = from_env_error(
        {"KORDON_MASTER_KEY_ID": "k1", "KORDON_MASTER_KEY_FILE": str(tmp_path / "master")}
    )
    assert message.startswith("KORDON_MASTER_KEY_FILE") and "decodes to 31" in message


@pytest.mark.parametrize(
    ("previous", "expected"),
    [
        (b64(OLD), "entry 1 must look like 'key-id:base64key'"),
        ("old:!!!", "entry 1 is not valid base64"),
        (f"ok:{b64(OLD)},short:{base64.b64encode(bytes(8)).decode()}", "entry 2 must be base64 of 32 bytes"),
        (f"bad id:{b64(OLD)}", "entry 1: key id must be"),
    ],
    ids=["no-id", "not-base64", "wrong-length", "bad-id"],
)
def test_a_malformed_previous_key_names_the_variable_and_entry(previous: str, expected: str) -> None:
    message = from_env_error(
        {"KORDON_MASTER_KEY_ID": "k1", "KORDON_MASTER_KEY": b64(NEW), "KORDON_PREVIOUS_MASTER_KEYS": previous}
    )
    assert message.startswith("KORDON_PREVIOUS_MASTER_KEYS entry")
    assert expected in message
    assert b64(OLD) not in message


def test_an_invalid_current_key_id_names_the_id_variable() -> None:
    message = from_env_error({"KORDON_MASTER_KEY_ID": "has:colon", "KORDON_MASTER_KEY": b64(NEW)})
    assert message.startswith("KORDON_MASTER_KEY_ID")
