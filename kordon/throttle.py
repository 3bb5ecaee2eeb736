"""Per-client rate limits, shared by every app server (django-ratelimit over Django's cache).

    from kordon import throttle
    throttle.check(request, "file_notice")   # raises throttle.Throttled past the scope's rate

Rates are named per scope in KORDON_RATE_LIMITS (`"20/h"`, `"5/m"`, …); a scope that is not named
there is not limited. The counters live in the `default` cache: Redis when KORDON_REDIS_URL is set,
else the database cache table, so two app servers count together and the embedded SQLite set-up
needs no other service. Throttled answers 429 with Retry-After, JSON on the API and a short page
elsewhere (kordon.middleware.ProblemMiddleware).
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage


@dataclass
class Throttled(Exception):
    scope: str
    retry_after: int

    def __str__(self) -> str:
        return ngettext(
            "Too many requests from your address. Try again in %(seconds)d second; if you file for many people, "
            "ask for an agency account.",
            "Too many requests from your address. Try again in %(seconds)d seconds; if you file for many people, "
            "ask for an agency account.",
            self.retry_after,
        ) % {"seconds": self.retry_after}


def client_ip(request: HttpRequest) -> str:
    """The caller's address. Behind a reverse proxy (KORDON_BEHIND_PROXY) the last entry of
    X-Forwarded-For, the one our own proxy appended (earlier entries are the client's word)."""
    if settings.KORDON_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return str(forwarded)
    return str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104 - a key, not a bind address


def _usage(request: HttpRequest, scope: str, key: str | None, increment: bool) -> dict[str, Any] | None:
    rate = settings.KORDON_RATE_LIMITS.get(scope)
    if not rate:
        return None
    usage: dict[str, Any] | None = get_usage(request, group=f"kordon.{scope}", rate=rate, increment=increment,
                                             key=(lambda _g, _r: key) if key else "ip")
    return usage


def reached(request: HttpRequest, scope: str, *, key: str | None = None) -> int | None:
    """Without counting: the seconds until the scope's window ends if its count has reached the rate,
    else None. For limits on what happened (failures) rather than on requests."""
    usage = _usage(request, scope, key, increment=False)
    if usage is None or usage["count"] < usage["limit"]:
        return None
    return max(int(usage["time_left"]), 1)


def count(request: HttpRequest, scope: str, *, key: str | None = None) -> None:
    """Count one event of this client in `scope` (e.g. a failure), refusing nothing."""
    _usage(request, scope, key, increment=True)


def check(request: HttpRequest, scope: str, *, key: str | None = None) -> None:
    """Count one request of this client (or of `key`, e.g. a username) in `scope`; raise Throttled
    when the scope's rate is exceeded."""
    usage = _usage(request, scope, key, increment=True)
    if usage is not None and usage["should_limit"]:
        raise Throttled(scope, max(int(usage["time_left"]), 1))
