"""One middleware, outermost: gives each request an id, counts and times it, logs one line for it.

The id is the client's (or the proxy's) `X-Request-ID` when it is a plain short token, else a new
one; it is answered in `X-Request-ID` and stamped on every log line the request causes
(kordon.ops.context). Metrics are labelled by the URL pattern, never the path itself (a path holds
references and travellers' tokens, and would make a series per notice).
"""

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from kordon.logs import scrub
from kordon.ops import metrics
from kordon.ops.context import request_id

_GOOD_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
access_log = logging.getLogger("kordon.request")


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return "/" + str(match.route) if match.route else str(match.view_name or "unmatched")


class RequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.access_log = settings.KORDON_ACCESS_LOG

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = given if _GOOD_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        request.request_id = rid  # type: ignore[attr-defined]
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            response["X-Request-ID"] = rid
            route = _route(request)
            metrics.observe_request(request.method or "", route, response.status_code, elapsed)
            if self.access_log and access_log.isEnabledFor(logging.INFO):
                access_log.info("%s %s %s", request.method, scrub(request.path), response.status_code, extra={
                    "method": request.method, "path": scrub(request.path), "route": route,
                    "status": response.status_code, "duration_ms": round(elapsed * 1000, 2)})
            return response
        finally:
            request_id.reset(token)
