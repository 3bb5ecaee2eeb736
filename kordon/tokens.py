"""Bearer tokens: shown once, stored only as a hash, so a copy of the database grants nothing."""

import hashlib
import secrets

from django.conf import settings


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough (nothing to brute-force); the
    # optional pepper keeps a stolen database useless without the server's secret too.
    return hashlib.sha256((settings.KORDON_TOKEN_PEPPER + token).encode()).hexdigest()
