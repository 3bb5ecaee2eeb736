"""The `kordon` command: Django's management commands with kordon's settings.

Before Django starts, the command reads the local settings file `make run` writes
(`$KORDON_VAR_DIR/kordon.env`, default `var/kordon.env`), so `kordon createofficer …` run beside a
demo acts on the demo's database with the demo's secrets. The environment wins over the file.
`kordon seals verify` needs no server settings at all: it signs nothing and serves nothing.
"""

import os
import secrets
import sys
from pathlib import Path

from kordon.env import read_env_file

BASE_DIR = Path(__file__).resolve().parent.parent


def settings_file() -> Path:
    return Path(os.environ.get("KORDON_VAR_DIR") or BASE_DIR / "var") / "kordon.env"


def load_local_settings(environ: dict[str, str] | None = None) -> None:
    """Put the local settings file's values into the environment, where it has none of its own."""
    target = os.environ if environ is None else environ
    for name, value in read_env_file(settings_file()).items():
        target.setdefault(name, value)


def _verifying_only(argv: list[str]) -> bool:
    return argv[1:3] == ["seals", "verify"]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kordon.settings")
    load_local_settings()
    if _verifying_only(sys.argv) and not (os.environ.get("KORDON_SECRET_KEY") or os.environ.get("KORDON_DEBUG")):
        # Checking a seal uses only public keys; the server's secrets are not needed (nor known) here.
        os.environ.setdefault("KORDON_SECRET_KEY", secrets.token_urlsafe(32))
        os.environ.setdefault("KORDON_ALLOWED_HOSTS", "localhost")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
