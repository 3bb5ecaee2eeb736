"""Start-up checks: payment settings that would take no money, or never confirm any, stop the start."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register("kordon")
def sandbox_only_in_development(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.KORDON_SANDBOX_PAYMENTS or settings.DEBUG or settings.KORDON_SANDBOX_PAYMENTS_IN_PRODUCTION:
        return []
    return [Error(
        "KORDON_SANDBOX_PAYMENTS is on while KORDON_DEBUG is off: the sandbox marks every payment paid "
        "without taking any money.",
        hint="Turn it off (KORDON_SANDBOX_PAYMENTS=false). For a public demonstration server only, also set "
             "KORDON_SANDBOX_PAYMENTS_IN_PRODUCTION=true.",
        id="kordon.E101",
    )]


@register("kordon")
def stripe_can_confirm(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if bool(settings.KORDON_STRIPE_SECRET_KEY) == bool(settings.KORDON_STRIPE_WEBHOOK_SECRET):
        return []
    return [Error(
        "Stripe needs both KORDON_STRIPE_SECRET_KEY and KORDON_STRIPE_WEBHOOK_SECRET: without the webhook "
        "secret no card payment could be confirmed, without the key none could start.",
        hint="Set both (or their *_FILE variants), or neither to switch card payments off.",
        id="kordon.E102",
    )]
