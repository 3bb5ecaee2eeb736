"""Envelope encryption of traveller documents at rest.

Every file gets its own random 256-bit *file key*. The content is sealed with AES-256-GCM under
that key, a fresh 96-bit nonce and caller-supplied associated data (the document id / notice
reference), so a stored file cannot be moved to another record and still decrypt. The file key
is then *wrapped* under a master key; the database keeps the wrapped key, the nonce and the
master key's id (:class:`Sealed`) beside the file.

Rotating the master key never touches file bytes: put the new key in KORDON_MASTER_KEY, move
the old one to KORDON_PREVIOUS_MASTER_KEYS, run :func:`rewrap` over every row, then drop the old
key.

Wrapping uses AES key wrap (RFC 3394, ``aes_key_wrap``) rather than AES-GCM: it is the
construction made for wrapping keys, it needs no nonce (so no nonce storage and no nonce-reuse
risk across the life of a master key), and it authenticates the key it wraps. Its only input
is a uniformly random key, which is the case it is designed for. It does not bind associated
data, and need not: the content AEAD already binds the file to its record, and a wrapped key
moved to another record unwraps to a key that fails that record's content check.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap

KEY_BYTES = 32
NONCE_BYTES = 12
WRAPPED_KEY_BYTES = KEY_BYTES + 8  # RFC 3394 adds one 64-bit block

ENV_KEY = "KORDON_MASTER_KEY"
ENV_KEY_ID = "KORDON_MASTER_KEY_ID"
ENV_PREVIOUS = "KORDON_PREVIOUS_MASTER_KEYS"

# Key ids are stored in every row and written as "id:key" in the environment, so keep them
# short and free of the separators ':' and ','.
_KEY_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class DecryptionFailed(Exception):
    """A sealed document could not be opened: unknown master key id, or failed authentication.

    Deliberately not a ValueError, so that input-validation handlers do not swallow it.
    """


@dataclass(frozen=True)
class MasterKey:
    """A 256-bit master key and the id stored with every file key wrapped under it."""

    key_id: str
    key: bytes = field(repr=False)  # never in logs or tracebacks

    def __post_init__(self) -> None:
        if not _KEY_ID.fullmatch(self.key_id):
            raise ValueError(
                f"master key id {self.key_id!r} must be 1-64 characters of letters, digits, '.', '_' or '-'"
            )
        if len(self.key) != KEY_BYTES:
            raise ValueError(f"master key {self.key_id!r} must be {KEY_BYTES} bytes, got {len(self.key)}")


@dataclass(frozen=True)
class Sealed:
    """What the database stores beside an encrypted file (none of it is secret)."""

    key_id: str  # which master key wrapped the file key
    wrapped_key: bytes  # the file key, AES-key-wrapped (40 bytes)
    nonce: bytes  # AES-GCM nonce of the content (12 bytes)


class KeyRing:
    """The master key new files are sealed under, plus older keys that can still open files."""

    def __init__(self, current: MasterKey, previous: Sequence[MasterKey] = ()) -> None:
        """Raise ValueError if one key id names two different keys.

        An exact duplicate (the current key also listed as previous mid-rotation) is harmless
        and accepted.
        """
        by_id: dict[str, MasterKey] = {}
        for master in (current, *previous):
            known = by_id.setdefault(master.key_id, master)
            if known.key != master.key:
                raise ValueError(f"master key id {master.key_id!r} is used for two different keys")
        self.current = current
        self.previous = tuple(previous)
        self._by_id = by_id

    def __repr__(self) -> str:
        return f"KeyRing(current={self.current.key_id!r}, previous={[k.key_id for k in self.previous]!r})"

    def find(self, key_id: str) -> MasterKey | None:
        """Return the master key with this id, or None."""
        return self._by_id.get(key_id)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> KeyRing:
        """Build the ring from the environment; raise ValueError naming the variable at fault.

        ``KORDON_MASTER_KEY_ID`` and either ``KORDON_MASTER_KEY`` (base64 of 32 bytes) or
        ``KORDON_MASTER_KEY_FILE`` (a file holding it) give the current key.
        ``KORDON_PREVIOUS_MASTER_KEYS`` (or ``KORDON_PREVIOUS_MASTER_KEYS_FILE``) optionally lists
        keys being rotated out as ``id:base64key`` entries separated by commas or newlines.
        Messages never include key material.
        """
        key_id = environ.get(ENV_KEY_ID, "").strip()
        if not key_id:
            raise ValueError(f"{ENV_KEY_ID} is not set; it names the current master key")
        text, source = _setting(environ, ENV_KEY)
        if text is None:
            raise ValueError(
                f"{ENV_KEY} (or {ENV_KEY}_FILE) is not set; generate a key with generate_master_key()"
            )
        current = _master_key(key_id, text, source, id_source=ENV_KEY_ID)
        return cls(current, _previous_keys(environ))


def encrypt(plaintext: bytes, ring: KeyRing, *, associated_data: bytes) -> tuple[bytes, Sealed]:
    """Seal ``plaintext`` under a fresh file key; return (ciphertext, what to store beside it).

    ``associated_data`` (the document id / notice reference) is authenticated, not stored:
    decrypt must be given the same bytes. It must not be empty, since an empty value would
    silently give up the protection against swapping files between records.
    """
    if not associated_data:
        raise ValueError("associated_data must identify the record the file belongs to")
    file_key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
    # A file key is used for one message only, so even a repeated nonce could not repeat a
    # (key, nonce) pair; the nonce is random all the same, as GCM expects.
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(file_key).encrypt(nonce, plaintext, associated_data)
    master = ring.current
    return ciphertext, Sealed(
        key_id=master.key_id, wrapped_key=aes_key_wrap(master.key, file_key), nonce=nonce
    )


def decrypt(ciphertext: bytes, sealed: Sealed, ring: KeyRing, *, associated_data: bytes) -> bytes:
    """Return the plaintext, or raise DecryptionFailed if anything does not authenticate.

    Fails for an unknown master key id, a wrapped key or nonce that was altered, a ciphertext
    that was altered or truncated, and associated data other than the one used to encrypt.
    """
    file_key = _unwrap(sealed, ring)
    if len(sealed.nonce) != NONCE_BYTES:
        raise DecryptionFailed(f"stored nonce is {len(sealed.nonce)} bytes, expected {NONCE_BYTES}")
    try:
        return AESGCM(file_key).decrypt(sealed.nonce, ciphertext, associated_data)
    except InvalidTag as exc:
        raise DecryptionFailed(
            "document failed authentication: the file, its nonce or the record it is opened for "
            "(associated data) do not match what was sealed; it was altered or swapped"
        ) from exc


def rewrap(sealed: Sealed, ring: KeyRing) -> Sealed:
    """Return ``sealed`` with its file key re-wrapped under ``ring.current``.

    The file bytes and nonce are untouched, so the stored file stays decryptable. Raises
    DecryptionFailed if the key id is unknown or the wrapped key does not authenticate.
    """
    file_key = _unwrap(sealed, ring)
    master = ring.current
    return Sealed(key_id=master.key_id, wrapped_key=aes_key_wrap(master.key, file_key), nonce=sealed.nonce)


def generate_master_key() -> str:
    """Return a new random 256-bit master key as base64 text, for KORDON_MASTER_KEY."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def _unwrap(sealed: Sealed, ring: KeyRing) -> bytes:
    """Return the file key from ``sealed``, or raise DecryptionFailed saying why not."""
    master = ring.find(sealed.key_id)
    if master is None:
        raise DecryptionFailed(
            f"document is sealed under master key id {sealed.key_id!r}, which is not in the key ring "
            f"{ring!r}; add that key to {ENV_PREVIOUS}"
        )
    try:
        file_key = aes_key_unwrap(master.key, sealed.wrapped_key)
    except (InvalidUnwrap, ValueError) as exc:  # ValueError: wrapped key of an impossible length
        raise DecryptionFailed(
            f"wrapped file key does not unwrap under master key {sealed.key_id!r}: it was altered, "
            "or that id now names different key material"
        ) from exc
    if len(file_key) != KEY_BYTES:
        raise DecryptionFailed(f"wrapped file key is {len(file_key)} bytes, expected {KEY_BYTES}")
    return file_key


def _setting(environ: Mapping[str, str], name: str) -> tuple[str | None, str]:
    """Return (value of ``name`` or the contents of the file ``name``_FILE names, source).

    ``source`` names the variable for error messages. Setting both is an error: which one wins
    would be a guess, and a wrong guess means files sealed under an unexpected key.
    """
    file_name = f"{name}_FILE"
    direct, path = environ.get(name, "").strip(), environ.get(file_name, "").strip()
    if direct and path:
        raise ValueError(f"set {name} or {file_name}, not both")
    if not path:
        return (direct or None), name
    try:
        with open(path, encoding="ascii") as handle:
            return handle.read().strip(), f"{file_name} ({path})"
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(
            f"{file_name} names {path!r}, which cannot be read: {exc.__class__.__name__}"
        ) from exc


def _decode_key(text: str, source: str) -> bytes:
    """Decode base64 key text; raise ValueError naming ``source``, never echoing the text."""
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"{source} is not valid base64") from exc
    if len(key) != KEY_BYTES:
        raise ValueError(
            f"{source} must be base64 of {KEY_BYTES} bytes (a 256-bit key); it decodes to {len(key)}"
        )
    return key


def _master_key(key_id: str, text: str, source: str, *, id_source: str) -> MasterKey:
    """Build a MasterKey, attributing any problem to the variable it came from."""
    if not _KEY_ID.fullmatch(key_id):
        raise ValueError(f"{id_source}: key id must be 1-64 characters of letters, digits, '.', '_' or '-'")
    return MasterKey(key_id=key_id, key=_decode_key(text, source))


def _previous_keys(environ: Mapping[str, str]) -> list[MasterKey]:
    """Parse KORDON_PREVIOUS_MASTER_KEYS(_FILE): "id:base64key" entries, comma or newline separated."""
    text, source = _setting(environ, ENV_PREVIOUS)
    keys: list[MasterKey] = []
    entries = [entry.strip() for entry in (text or "").replace("\n", ",").split(",")]
    for number, entry in enumerate((e for e in entries if e), start=1):
        key_id, colon, key_text = entry.partition(":")
        entry_source = f"{source} entry {number}"
        if not colon:
            raise ValueError(f"{entry_source} must look like 'key-id:base64key'")
        keys.append(_master_key(key_id.strip(), key_text, entry_source, id_source=entry_source))
    return keys
