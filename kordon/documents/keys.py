"""Where the master key ring comes from: the environment, read each time it is needed.

Reading the environment at use (not once at import) lets an operator rotate keys by restarting
workers with new variables, and lets ``kordon rotatekeys`` see exactly what the workers will see.
In DEBUG (``make run``) with no key configured, a demo key is generated once under KORDON_VAR_DIR so
uploads work out of the box; outside DEBUG a missing key is a start-up error (see checks.py).
"""

import os
from collections.abc import Mapping
from pathlib import Path

from django.conf import settings

from kordon.documents.encryption import ENV_KEY, ENV_KEY_ID, KeyRing, generate_master_key

DEMO_KEY_ID = "demo"
HOW_TO = (
    f"Set {ENV_KEY_ID} (a short name such as 2026-01) and {ENV_KEY} or {ENV_KEY}_FILE (base64 of 32 random "
    "bytes, e.g. from: python -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())'). "
    "Keep the key safe and backed up: without it no stored document can be opened."
)


class KeyRingUnavailable(Exception):
    """No usable master key: documents can be neither stored nor read. The message says how to fix it."""


def configured(environ: Mapping[str, str]) -> bool:
    """True if the environment names a master key (well-formed or not)."""
    return any(environ.get(name, "").strip() for name in (ENV_KEY_ID, ENV_KEY, f"{ENV_KEY}_FILE"))


def key_ring() -> KeyRing:
    """The current key ring; raise KeyRingUnavailable (with what to do) if there is none."""
    environ: Mapping[str, str] = os.environ
    if not configured(environ):
        if not settings.DEBUG:
            raise KeyRingUnavailable(f"No master key for documents. {HOW_TO}")
        environ = _demo_environment()
    try:
        return KeyRing.from_env(environ)
    except ValueError as exc:
        raise KeyRingUnavailable(f"The master key for documents is misconfigured: {exc}. {HOW_TO}") from exc


def _demo_environment() -> dict[str, str]:
    """A development key, made once and kept in KORDON_VAR_DIR: documents survive `make run` restarts."""
    path = Path(settings.VAR_DIR) / "documents-demo-master-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once must not each write a different key.
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(generate_master_key())
    return {ENV_KEY_ID: DEMO_KEY_ID, f"{ENV_KEY}_FILE": str(path)}
