"""Start-up checks: say plainly when seals will not be issued, and how to fix it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register
from django.db import DatabaseError

from kordon.seals.keys import PASSPHRASE_HELP


@register()
def seals_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:
        return []  # `kordon seals demo` (run by `make run`) covers development
    if not getattr(settings, "KORDON_SEAL_KEY_PASSPHRASE", ""):
        return [Warning("Seals cannot be issued: KORDON_SEAL_KEY_PASSPHRASE is not set, so signer keys cannot "
                        "be stored or opened.", hint=PASSPHRASE_HELP, id="kordon.seals.W001")]
    return _missing_signers()


def _missing_signers() -> list[CheckMessage]:
    from kordon.crossings.models import Post
    from kordon.seals.services import how_to_configure, usable_signers

    try:
        receiving = set(Post.objects.filter(arrivals__isnull=False).values_list("country", flat=True))
        signing = set(usable_signers().values_list("authority__country", flat=True))
    except DatabaseError:
        return []  # not migrated yet: `migrate` runs these checks too
    return [
        Warning(f"Notices arriving in {country} get no seal.", hint=how_to_configure(country),
                id="kordon.seals.W002")
        for country in sorted(receiving - signing)
    ]
