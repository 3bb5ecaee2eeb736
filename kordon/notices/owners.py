"""Who else may hold a notice than its traveller: an owner (an agency) that higher apps plug in.

The notices app cannot import the apps built on it, so they register a resolver here (in their
AppConfig.ready) that turns a request's bearer token into an `Owner`, or None. Filing with an owner
claims the notice for it inside the filing's transaction; the owner then reads, changes and pays
the notices it owns without their access tokens, each as its scopes allow.
"""

from collections.abc import Callable
from typing import Protocol

from django.http import HttpRequest

from kordon.audit.services import Actor
from kordon.notices.models import Notice

FILE, PAY, READ = "file", "pay", "read"


class Owner(Protocol):
    actor: Actor

    def may(self, scope: str) -> bool:
        """Whether the credential allows `scope` (file, pay, read)."""

    def owns(self, notice: Notice) -> bool:
        """Whether the notice belongs to this owner."""

    def claim(self, notice: Notice) -> None:
        """Make a notice being filed this owner's (called inside the filing transaction)."""

    def guard_filing(self, request: HttpRequest) -> None:
        """Raise kordon.throttle.Throttled past the owner's filing rates."""


Resolver = Callable[[HttpRequest, str], Owner | None]
_resolvers: list[Resolver] = []
_ATTRIBUTE = "_kordon_owner"


def register(resolver: Resolver) -> None:
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def owner_for(request: HttpRequest, token: str) -> Owner | None:
    """The owner whose credential `token` is (looked up once per request), else None."""
    cached: tuple[str, Owner | None] | None = getattr(request, _ATTRIBUTE, None)
    if cached is not None and cached[0] == token:
        return cached[1]
    owner = None
    if token:
        for resolve in _resolvers:
            owner = resolve(request, token)
            if owner is not None:
                break
    setattr(request, _ATTRIBUTE, (token, owner))
    return owner
