"""Cross-cutting request handling: timing, hostile input, database outages, JSON errors for the API.

Each is one place for a rule that every view would otherwise repeat (and one would forget).
"""

import io
import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from botocore.exceptions import ConnectionError as BotoConnectionError  # type: ignore[import-untyped]
from botocore.exceptions import HTTPClientError as BotoHTTPClientError
from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kordon.languages import request_language
from kordon.problems import Problem
from kordon.throttle import Throttled

Handler = Callable[[HttpRequest], HttpResponse]
RETRY_AFTER_SECONDS = 30

# The code of an API answer that did not come from a view (routing, method, size, a crash).
_CODES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          413: "too_large", 429: "rate_limited", 500: "server_error", 503: "unavailable"}
_MESSAGES = {
    404: gettext_lazy("Nothing here, or not for you. The API's paths are listed at /api/v1/docs."),
    405: gettext_lazy("This path does not take that method. See /api/v1/docs."),
    413: gettext_lazy("The request is too large."),
    500: gettext_lazy("Something went wrong on our side; nothing was changed. Try again, and tell us if it keeps "
                      "happening."),
    503: gettext_lazy("The service is briefly unavailable; nothing was changed. Try again in a minute."),
}


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def problem_response(request: HttpRequest, problems: list[Problem], status: int, title: str = "") -> HttpResponse:
    """An answer outside any view: JSON for the API (the API's error shape), a short page otherwise."""
    if is_api(request):
        response: HttpResponse = JsonResponse({"errors": [p.as_dict() for p in problems]}, status=status)
    else:
        text = " ".join(p.message for p in problems)
        page = render_to_string("problem.html", {"title": title or _("That did not work"), "message": text})
        response = HttpResponse(page, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class ServerTimingMiddleware:
    """Server-Timing: the application's own time, for bench/. Only with KORDON_SERVER_TIMING on: the
    figure tells an outsider which look-ups found something (a timing oracle)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.KORDON_SERVER_TIMING:
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        return response


_TRAVELLER_PAGE = re.compile(r"^(/[a-z]{2})?/notices/(?!new/|link/)[^/]+/")  # the link and the pages


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every answer (KORDON_PERMISSIONS_POLICY): no page may use what it never
    needs. And the notice's pages (personal data) and the traveller's link are never stored by a cache."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.KORDON_PERMISSIONS_POLICY)
        if _TRAVELLER_PAGE.match(request.path_info) and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
        return response


class SessionLifetimeMiddleware:
    """A login lasts KORDON_SESSION_MAX_SECONDS at most, however busy: the idle limit is the
    session cookie's age (renewed by every request), this is the shift's end."""

    KEY = "kordon_logged_in_at"

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.setdefault(self.KEY, int(time.time()))
            if time.time() - started > settings.KORDON_SESSION_MAX_SECONDS:
                logout(request)
        return self.get_response(request)


class ApiAnswersJsonMiddleware:
    """Every API answer of 400 and more is JSON, whoever made it: an unknown path, a wrong method,
    Django's own 400/413, a crash. Views' own JSON answers pass untouched."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api(request) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        message = str(_MESSAGES.get(status, _("The request could not be handled. See /api/v1/docs.")))
        replaced = problem_response(request, [Problem(None, _CODES.get(status, "invalid"), message)], status)
        for header in ("Allow", "Retry-After"):
            if header in response:
                replaced[header] = response[header]
        return replaced


# Control characters other than tab, line feed and carriage return have no place in any text a
# person sends; NUL breaks PostgreSQL, lone surrogates break its encoding. Refused before any view.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def _bad_character(text: str) -> str | None:
    for char in text:
        code = ord(char)
        if (code < 0x20 and char not in _ALLOWED_CONTROLS) or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF:
            return f"U+{code:04X}"
    return None


def _json_strings(value: Any) -> Iterator[tuple[str, str]]:
    """(field path, text) for every key and string in a JSON document, without recursion."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            yield path, item
        elif isinstance(item, dict):
            for key, child in item.items():
                yield path, key
                stack.append((f"{path}.{key}" if path else str(key), child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{index}]", child) for index, child in enumerate(item))


def _texts(request: HttpRequest) -> Iterator[tuple[str | None, str]]:
    yield None, request.path
    for key, values in request.GET.lists():
        for value in [key, *values]:
            yield key, value
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    if request.content_type == "application/json":
        try:
            document = json.loads(request.body)
        except (ValueError, RecursionError):
            return  # not JSON: the API's parser answers that with its own 400
        for path, text in _json_strings(document):
            yield path or None, text
    elif request.content_type == "multipart/form-data" and is_api(request):
        # The API reads uploads itself (streamed, size-capped); here only the header is checked, so a
        # missing boundary is a 400 rather than an exception inside the view.
        MultiPartParser(request.META, io.BytesIO(b""), [])
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, values in request.POST.lists():
            for value in [key, *values]:
                yield key, value


class InputGuardMiddleware:
    """Refuses, before any view runs, what no view should see: control characters in any text
    (path, query, form field, JSON string) with `invalid` naming the field; bodies over Django's
    limit with 413; a malformed multipart body with 400. The same answer on SQLite and PostgreSQL."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(request_language(request))  # its refusals come before LanguageMiddleware
        try:
            for field, text in _texts(request):
                found = _bad_character(text)
                if found is not None:
                    message = (_("The field %(field)s holds a control character (%(found)s). Remove it and send again.")
                               if field else
                               _("The address holds a control character (%(found)s). Remove it and send again."))
                    problem = Problem(field, "invalid", message % {"field": field, "found": found})
                    return problem_response(request, [problem], 400, _("A field holds a control character"))
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
            problem = Problem(None, "too_large", _("The request is larger than %(limit)s MB. Send less at once.")
                              % {"limit": limit})
            return problem_response(request, [problem], 413, _("Too large"))
        except (MultiPartParserError, TooManyFieldsSent) as exc:
            problem = Problem(None, "invalid", _("The form could not be read (%(why)s). Send it as "
                                                 "multipart/form-data with a boundary.") % {"why": exc})
            return problem_response(request, [problem], 400, _("The form could not be read"))
        return self.get_response(request)


def _database_down(exc: BaseException | None) -> bool:
    """The database, or the documents' object store, did not answer (down, too slow, unreachable)."""
    return isinstance(exc, (OperationalError, InterfaceError, BotoConnectionError, BotoHTTPClientError))


class ProblemMiddleware:
    """Exceptions any view may meet, answered the same way everywhere: a database that is down, too
    slow (statement timeout) or locked is a 503 with Retry-After, never a hang or a 500 (nothing was
    changed, the client may simply try again); a client over a rate limit is a 429 with Retry-After."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, Throttled):
            response = problem_response(request, [Problem(None, "rate_limited", str(exc))], 429,
                                        _("Too many requests"))
            response["Retry-After"] = str(exc.retry_after)
            return response
        return unavailable(request) if _database_down(exc) else None


def unavailable(request: HttpRequest) -> HttpResponse:
    problem = Problem(None, "unavailable", str(_MESSAGES[503]))
    return problem_response(request, [problem], 503, _("Briefly unavailable"))


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a crash anywhere (middleware included). A database outage is still a 503."""
    if _database_down(sys.exc_info()[1]):
        return unavailable(request)
    return problem_response(request, [Problem(None, "server_error", str(_MESSAGES[500]))], 500, _("Server error"))
