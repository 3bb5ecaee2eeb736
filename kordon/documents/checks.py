"""Start-up checks: without a usable master key no document can be stored or read, so say so at once."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from kordon.documents.keys import KeyRingUnavailable, key_ring


@register("kordon")
def master_key_is_usable(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        key_ring()
    except KeyRingUnavailable as exc:
        return [Error(str(exc), hint="Documents (passport copies, vehicle papers) are encrypted with this key; "
                      "uploads are refused until it is set.", id="kordon.E201")]
    return []


@register("kordon")
def upload_limit_is_sane(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.KORDON_UPLOAD_MAX_BYTES >= 64 * 1024:
        return []
    return [Error(f"KORDON_UPLOAD_MAX_BYTES={settings.KORDON_UPLOAD_MAX_BYTES} is too small for any passport photo.",
                  hint="Leave it unset (10 MB) or give a number of bytes of at least 65536.", id="kordon.E202")]
