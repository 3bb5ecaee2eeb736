"""The traveller's link to a notice, and the notice's pages it opens. Every page and message builds
them here.

The link (`/notices/<reference>/<token>/`, sent by email or message) is the traveller's key. Opening
it is an exchange: the answer keeps the token in a cookie and sends the browser (303) to the
notice's token-free pages (`/notices/<reference>/…`), which read the token from that cookie. So the
token is in the path of one request only (kordon.logs scrubs it there) and never in the browser's
history, a page's links or a referrer.

One cookie per notice (a traveller may hold several) and per language prefix, each scoped to that
notice's pages (`/notices/<reference>/`, `/ru/notices/<reference>/`, …): it reaches nothing else on
the site. HttpOnly, SameSite=Lax, Secure behind TLS; it lasts until the day after the notice's
arrival window closes (at least a day, at most `KORDON_NOTICE_COOKIE_MAX_DAYS`), and "forget this
notice on this device" removes it at once.
"""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation

from kordon.notices.models import Notice

COOKIE_PREFIX = "kordon_notice_"


def notice_link(reference: str, token: str) -> str:
    """The traveller's link (the key): for emails and messages only, never for a page's own links."""
    return reverse("notices:link", args=[reference, token])


def notice_page(reference: str) -> str:
    """The notice's token-free page (in the active language)."""
    return reverse("notices:status", args=[reference])


def _language_prefixes() -> list[str]:
    return ["", *(f"/{code}" for code, _name in settings.LANGUAGES)]


def _cookie_name(reference: str, prefix: str) -> str:
    return f"{COOKIE_PREFIX}{reference}{prefix.replace('/', '_')}"


def cookie_age(notice: Notice) -> int:
    """Seconds the cookie lives: until the day after the arrival window closes, within [1 day, max]."""
    seconds = int((notice.arrival_window()[1] + timedelta(days=2) - timezone.localdate()).total_seconds())
    return max(24 * 3600, min(seconds, settings.KORDON_NOTICE_COOKIE_MAX_DAYS * 24 * 3600))


def keep_token(request: HttpRequest, response: HttpResponse, notice: Notice, token: str) -> None:
    """Let this browser open the notice's pages (in every language) without the token in the path."""
    age = cookie_age(notice)
    for prefix in _language_prefixes():
        response.set_cookie(
            _cookie_name(notice.reference, prefix), token, max_age=age, path=f"{prefix}/notices/{notice.reference}/",
            secure=settings.SECURE_COOKIES or request.is_secure(), httponly=True, samesite="Lax",
        )


def forget_token(response: HttpResponse, reference: str) -> None:
    for prefix in _language_prefixes():
        response.delete_cookie(_cookie_name(reference, prefix), path=f"{prefix}/notices/{reference}/",
                               samesite="Lax")


def kept_token(request: HttpRequest, reference: str) -> str:
    """The token this browser keeps for the notice (the cookie of the page's language prefix), or ""."""
    code = translation.get_language_from_path(request.path_info)
    return request.COOKIES.get(_cookie_name(reference, f"/{code}" if code else ""), "")


SESSION_KEY = "notice_pages"


def remember_notice_page(request: HttpRequest, reference: str) -> None:
    """Note in this browser's session that it opened the notice, so pages outside the notice's own
    (a provider's return, a receipt) can link back. Written only when it changes: no session for nothing."""
    pages = request.session.get(SESSION_KEY, {})
    if pages.get(reference) is not True:  # True, never the link: the session holds no token
        request.session[SESSION_KEY] = {**pages, reference: True}


def remembered_notice_page(request: HttpRequest, reference: str) -> str:
    """The notice's page if this browser opened it before, else ""."""
    return notice_page(reference) if reference in request.session.get(SESSION_KEY, {}) else ""


def forget_notice_page(request: HttpRequest, reference: str) -> None:
    pages = request.session.get(SESSION_KEY, {})
    if reference in pages:
        request.session[SESSION_KEY] = {ref: kept for ref, kept in pages.items() if ref != reference}
