"""Every 4xx answer of the API has one shape: {"errors": [{"field", "code", "message"}]}."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kordon.problems import Problem, Refused
from kordon.schema_problems import problems_from_validation
from kordon.statuses import status_of

# ninja's own texts for these statuses, in the request's language.
_HTTP_MESSAGES = {405: gettext_lazy("This address does not take this method.")}


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, problems: list[Problem], status: int, **extra: object) -> HttpResponse:
        return api.create_response(request, {"errors": [p.as_dict() for p in problems], **extra}, status=status)

    # ninja's handler type says "the exception or its class"; ours always receive the instance.
    def on_refused(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, exc.body(), status=status_of(exc))

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, problems_from_validation(exc.errors), 400)

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "invalid"}.get(exc.status_code, "invalid")
        message = str(exc)
        if message.startswith("Cannot parse request body"):
            message = _("The body is not valid JSON. Send a JSON object with Content-Type: application/json.")
        elif exc.status_code in _HTTP_MESSAGES:
            message = str(_HTTP_MESSAGES[exc.status_code])
        return respond(request, [Problem(None, code, message)], exc.status_code)

    def on_unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        problem = Problem(None, "unauthorized", _("Send a valid token: Authorization: Bearer <token>."))
        return respond(request, [problem], 401)

    def on_404(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, [Problem(None, "not_found", _("Nothing here, or not for you."))], 404)

    api.add_exception_handler(Refused, on_refused)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_404)
