"""Refuse to serve with demonstration secrets or accounts.

Django runs its system checks for management commands only, so a server started straight from
`kordon.wsgi` (gunicorn) never met them. `refuse_to_serve()` runs every check at WSGI start and
stops the start on any error: the sandbox taking no money, the development secret key, the demo
master key or seal passphrase, a demo account with its published password, demo parties (pretend
travellers made by `kordon demoparties`) in the database. In DEBUG (`make run`)
the demo is the point, so the demo checks stay quiet there.
"""

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register, run_checks
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, InterfaceError, OperationalError

DEVELOPMENT_SECRET_KEY = "insecure-development-key-only-for-kordon-debug"  # noqa: S105 - settings' DEBUG fallback
DEMO_SEAL_PASSPHRASE = "insecure-demo-seal-key"  # noqa: S105 - settings' DEBUG fallback
DEMO_USERNAMES = ("officer", "supervisor", "admin")


@register("kordon")
def no_demo_secrets(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    from kordon.documents.keys import DEMO_KEY_ID

    errors: list[CheckMessage] = []
    if settings.SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(settings.SECRET_KEY) < 32:
        errors.append(Error("KORDON_SECRET_KEY is the development key, or too short to be a secret.",
                            hint="python -c 'import secrets; print(secrets.token_urlsafe(50))'", id="kordon.E001"))
    demo_key_file = Path(settings.VAR_DIR) / "documents-demo-master-key"
    key_file = os.environ.get("KORDON_MASTER_KEY_FILE", "").strip()
    if os.environ.get("KORDON_MASTER_KEY_ID", "").strip() == DEMO_KEY_ID or (
            key_file and Path(key_file).resolve() == demo_key_file.resolve()):
        errors.append(Error("The documents' master key is the demo key made by `make run`.",
                            hint="Generate a key of your own (docs/security.md) and keep it out of var/.",
                            id="kordon.E002"))
    if settings.KORDON_SEAL_KEY_PASSPHRASE == DEMO_SEAL_PASSPHRASE:
        errors.append(Error("KORDON_SEAL_KEY_PASSPHRASE is the published demo passphrase.",
                            hint="Set a passphrase of your own, then re-encrypt the signers' keys.", id="kordon.E003"))
    return errors


@register("kordon", deploy=True)
def second_factor_on(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or settings.KORDON_SECOND_FACTOR:
        return []
    return [CheckWarning("KORDON_SECOND_FACTOR is off: supervisors and administrators log in with a password alone.",
                    hint="Remove KORDON_SECOND_FACTOR=false (docs/deploy.md, two-factor login).", id="kordon.W001")]


@register("kordon", "database")
def no_demo_accounts(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or not databases:
        return []
    from django.contrib.auth import get_user_model

    from kordon.posts.management.commands.demousers import DEMO_PASSWORD

    try:
        users = list(get_user_model().objects.filter(username__in=DEMO_USERNAMES, is_active=True))
    except DatabaseError:
        return []  # not migrated yet: `migrate` runs the checks too
    return [Error(f"The account {user.get_username()!r} still has the demo's published password.",
                  hint=f"Deactivate it or set a new password: kordon changepassword {user.get_username()}",
                  id="kordon.E004")
            for user in users if user.check_password(DEMO_PASSWORD)]


@register("kordon", "database")
def no_demo_parties(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or not databases:
        return []
    from kordon.notices.models import Notice

    try:
        count = Notice.objects.filter(is_demo=True).count()
    except DatabaseError:
        return []  # not migrated yet: `migrate` runs the checks too
    if not count:
        return []
    return [Error(f"The database holds {count} demo notice(s) made by `kordon demoparties`: pretend travellers "
                  "that officers would see on their lists.",
                  hint="Serve from a database of its own, not the demo's: migrate an empty one and load only "
                       "your crossings.", id="kordon.E005")]


def refuse_to_serve() -> None:
    """Raise ImproperlyConfigured listing every error of the system checks (database ones included)."""
    try:
        messages = run_checks(databases=["default"])
    except (OperationalError, InterfaceError):
        # The database is down: start anyway (requests answer 503 until it is back) with the checks
        # that need no database; demo accounts are looked for at the next start.
        messages = run_checks()
    serious = [m for m in messages if m.is_serious()]
    if serious:
        lines = "\n".join(f"  {m.id}: {m.msg} ({m.hint})" if m.hint else f"  {m.id}: {m.msg}" for m in serious)
        raise ImproperlyConfigured(f"kordon will not serve with these problems:\n{lines}")
