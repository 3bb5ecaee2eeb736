"""The payment providers configured here (settings.KORDON_PAYMENT_PROVIDERS), looked up by name."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from kordon.payments.providers.interface import PaymentProvider


@cache
def _load(path: str) -> PaymentProvider:
    provider: PaymentProvider = import_string(path)()
    return provider


def get(name: str) -> PaymentProvider | None:
    """The provider called `name` if it exists and is configured here, else None."""
    path = settings.KORDON_PAYMENT_PROVIDERS.get(name)
    if path is None:
        return None
    provider = _load(path)
    return provider if provider.available() else None


def label(name: str) -> str:
    """How a provider is named on receipts, even when it is no longer offered here."""
    path = settings.KORDON_PAYMENT_PROVIDERS.get(name)
    return gettext(_load(path).label) if path else name
