"""Login lockout for every login over HTTP (console and admin), by django-axes."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]  # axes is untyped
    """Axes' check, for logins that come with a request. A login without one (the test client, a
    management command) never came over the network, so there is no client to lock out."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)  # type: ignore[no-any-return]
