"""Which language a request is answered in, and the URLs that carry it.

Pages: the URL's prefix (`/ru/notices/new/`), else a signed-in officer's own preference (set in the
console), else the language last chosen (a cookie, set whenever a prefixed page is visited, so the
switch is plain links and needs no JavaScript), else `Accept-Language`, else English. Unprefixed URLs
stay valid in every language, so links in old emails and bookmarks keep working. The JSON API
(`/api/`) follows `Accept-Language` only: a script's answers must not change with a browser's cookie.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import LocalePrefixPattern, URLResolver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"


class OptionalLanguagePrefix(LocalePrefixPattern):
    """Matches `ru/…` as well as `…`; reverses with the active language's prefix (none for English)."""

    def __init__(self) -> None:
        super().__init__(prefix_default_language=False)

    def match(self, path: str) -> tuple[str, tuple[()], dict[str, Any]]:
        for code, _name in settings.LANGUAGES:
            if path.startswith(f"{code}/"):
                return path.removeprefix(f"{code}/"), (), {}
        return path, (), {}


def language_patterns(*urls: Any) -> list[URLResolver]:
    """Like Django's i18n_patterns, but unprefixed paths resolve too (see the module's docstring)."""
    return [URLResolver(OptionalLanguagePrefix(), list(urls))]


def from_accept_language(header: str) -> str:
    """The first supported language of an Accept-Language header, by quality; English if none."""
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def path_without_language(path: str) -> str:
    code = translation.get_language_from_path(path)
    return path.removeprefix(f"/{code}") if code else path


def request_language(request: HttpRequest) -> str:
    """The language to answer `request` in (see the module's docstring); usable before authentication."""
    if request.path_info.startswith(API_PREFIX):
        return from_accept_language(request.headers.get("Accept-Language", ""))
    from_path = translation.get_language_from_path(request.path_info)
    return from_path or officer_language(request) or translation.get_language_from_request(request)


def officer_language(request: HttpRequest) -> str:
    """The signed-in officer's chosen language, or "" (the console's preference, kordon.posts)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    officer = getattr(user, "officer", None)
    return getattr(officer, "language", "") or ""


class LanguageMiddleware:
    """Activates the request's language and remembers a prefix. Runs after authentication (officers)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from_path = translation.get_language_from_path(request.path_info)
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if from_path and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != from_path:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, from_path,
                max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
            )
        if not from_path:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


def switch(request: HttpRequest) -> dict[str, object]:
    """Template context: links to this page in each language (the prefix is what the cookie remembers)."""
    here = path_without_language(request.get_full_path())
    current = translation.get_language()
    code = translation.get_language_from_path(request.path_info)
    return {
        # The page's own prefix ("/ru", or "" for an unprefixed page), whatever language it is answered
        # in: the console's manifest and service worker must be those of the page's folder.
        "language_prefix": f"/{code}" if code else "",
        "language_links": [
            {"code": code, "name": name, "url": f"/{code}{here}", "current": code == current}
            for code, name in settings.LANGUAGES
        ]
    }
