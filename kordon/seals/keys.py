"""Barcode signers' private keys at rest: PKCS#8 encrypted with KORDON_SEAL_KEY_PASSPHRASE.

The passphrase is a server secret (like KORDON_SECRET_KEY): a long random string given in the
environment or, better, a file (KORDON_SEAL_KEY_PASSPHRASE_FILE). A database dump alone then holds no
usable signing key.
"""

from __future__ import annotations

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

from kordon.seals.authority import KeyFileError

# Advice on making the secret, not a secret.
PASSPHRASE_HELP = (
    "Set KORDON_SEAL_KEY_PASSPHRASE_FILE (or KORDON_SEAL_KEY_PASSPHRASE) to a long random secret, e.g. "  # noqa: S105
    "python -c 'import secrets; print(secrets.token_urlsafe(48))' > /run/secrets/seal-key-passphrase"
)


def _passphrase() -> bytes:
    passphrase = str(getattr(settings, "KORDON_SEAL_KEY_PASSPHRASE", ""))
    if not passphrase:
        raise KeyFileError(f"no passphrase for signer keys is configured. {PASSPHRASE_HELP}")
    return passphrase.encode()


def seal_key(key: ec.EllipticCurvePrivateKey) -> str:
    """``key`` as encrypted PKCS#8 PEM text; raises KeyFileError when no passphrase is configured."""
    encryption = serialization.BestAvailableEncryption(_passphrase())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    return pem.decode("ascii")


def open_key(pem: str) -> ec.EllipticCurvePrivateKey:
    """The key sealed by seal_key; raises KeyFileError (wrong or missing passphrase, not a key)."""
    try:
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=_passphrase())
    except TypeError as exc:  # stored unencrypted: refuse rather than use a key that leaked at rest
        raise KeyFileError("a signer key is stored unencrypted; issue a new signer") from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(
            "cannot decrypt a signer key: KORDON_SEAL_KEY_PASSPHRASE is not the one it was stored with"
        ) from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise KeyFileError("a signer key is not an elliptic curve key")
    return key
