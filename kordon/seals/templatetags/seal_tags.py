"""`{% current_seal notice as seal %}`: the notice's seal for a page, or None when it has none."""

from __future__ import annotations

from django import template

from kordon.notices.models import Notice
from kordon.seals import services
from kordon.seals.models import Seal

register = template.Library()


@register.simple_tag
def current_seal(notice: Notice) -> Seal | None:
    # A page shows no QR rather than fail when seals are not configured yet.
    try:
        return services.ensure_current_seal(notice)
    except services.SealsNotConfigured:
        return None
