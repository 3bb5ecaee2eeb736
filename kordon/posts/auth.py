"""Who is calling: a notice's access token or an officer's token, both sent as `Bearer`, or an
officer logged in to the console (session cookie; unsafe methods also send `X-CSRFToken`)."""

import time

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.utils import check_csrf

from kordon.posts.models import Officer
from kordon.problems import Refused
from kordon.tokens import hash_token


def bearer_token(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


# Officers send their token with every stamp, and looking it up (a join of four tables) was a sixth
# of a stamp's cost. Each worker remembers an officer for KORDON_OFFICER_CACHE_SECONDS, so a revoked
# token or a deactivated officer stops working within that time, and so does a changed crossing rule
# apply. Forged tokens are never remembered.
_recent: dict[str, tuple[float, Officer]] = {}


def forget_officers() -> None:
    """Drop every remembered officer (tests, and after changing officers in bulk)."""
    _recent.clear()


def officer_for(request: HttpRequest) -> Officer | None:
    token = bearer_token(request)
    if not token:
        return _console_officer(request)
    key, now = hash_token(token), time.monotonic()
    hit = _recent.get(key)
    if hit and hit[0] > now:
        return hit[1]
    officer = _lookup(key)
    if officer is not None and settings.KORDON_OFFICER_CACHE_SECONDS > 0:
        if len(_recent) > 1000:  # a bound, not an LRU: a post has a handful of officers
            _recent.clear()
        _recent[key] = (now + settings.KORDON_OFFICER_CACHE_SECONDS, officer)
    return officer


def _lookup(key: str) -> Officer | None:
    return (
        Officer.objects.select_related("user", "post", "post__crossing")
        .filter(token_hash=key, user__is_active=True)
        .order_by()  # token hashes are unique: no sort needed
        .first()
    )


def _console_officer(request: HttpRequest) -> Officer | None:
    """The officer logged in to the console, for the console's own calls (the offline console's sync
    and events). A cookie is sent by the browser on its own, so writes must prove they come from our
    page with the CSRF token."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if request.method not in ("GET", "HEAD", "OPTIONS") and check_csrf(request) is not None:
        raise Refused.one(None, "forbidden", _("Send the console's CSRF token in the X-CSRFToken header."))
    return (
        Officer.objects.select_related("user", "post", "post__crossing")
        .filter(user_id=user.pk, user__is_active=True)
        .order_by()
        .first()
    )
