"""Every 4xx answer of the API has one shape: {"errors": [{"field", "code", "message"}]}."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kordon.problems import Problem, Refused

# Parts of a pydantic location that name the request part, not the field the client sent.
_LOCATION_ROOTS = {"body", "query", "path", "form", "file", "header", "payload", "data"}


def field_path(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """("body", "payload", "travellers", 0, "document_expiry") -> "travellers[0].document_expiry"."""
    parts = list(loc)
    while parts and parts[0] in _LOCATION_ROOTS:
        parts.pop(0)
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or None


def _message(error: dict[str, Any]) -> str:
    msg = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    if error.get("type") == "missing":
        return "This field is required."
    return msg[0].upper() + msg[1:] + ("" if msg.endswith(".") else ".")


def problems_from_validation(errors: list[dict[str, Any]]) -> list[Problem]:
    return [Problem(field_path(e.get("loc", ())), "invalid", _message(e)) for e in errors]


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, problems: list[Problem], status: int, **extra: object) -> HttpResponse:
        return api.create_response(request, {"errors": [p.as_dict() for p in problems], **extra}, status=status)

    # ninja's handler type says "the exception or its class"; ours always receive the instance.
    def on_refused(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, exc.body(), status=exc.status)

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, problems_from_validation(exc.errors), 400)

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "invalid"}.get(exc.status_code, "invalid")
        message = str(exc)
        if message.startswith("Cannot parse request body"):
            message = "The body is not valid JSON. Send a JSON object with Content-Type: application/json."
        return respond(request, [Problem(None, code, message)], exc.status_code)

    def on_unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        problem = Problem(None, "unauthorized", "Send a valid token: Authorization: Bearer <token>.")
        return respond(request, [problem], 401)

    def on_404(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, [Problem(None, "not_found", "Nothing here, or not for you.")], 404)

    api.add_exception_handler(Refused, on_refused)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_404)
