"""The traveller's link to a notice: the only key to it, so every page and email builds it here."""

from django.http import HttpRequest
from django.urls import reverse


def notice_url(reference: str, token: str) -> str:
    """The path of the notice's page for the holder of `token`."""
    return reverse("notices:status", args=[reference, token])


SESSION_KEY = "notice_pages"


def remember_notice_page(request: HttpRequest, reference: str, url: str) -> None:
    """Keep the notice's link in this browser's session, so pages reached without it (a provider's
    return, a receipt) can link back. Written only when it changes: no session for nothing."""
    pages = request.session.get(SESSION_KEY, {})
    if pages.get(reference) != url:
        request.session[SESSION_KEY] = {**pages, reference: url}


def remembered_notice_page(request: HttpRequest, reference: str) -> str:
    """The notice's link if this browser opened it before, else ""."""
    url = request.session.get(SESSION_KEY, {}).get(reference, "")
    return url if isinstance(url, str) else ""
