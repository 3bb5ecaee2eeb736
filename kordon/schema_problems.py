"""pydantic's validation errors as kordon's problems: the field's path as clients send it, a message in
the request's language. Used by the API's error shape and by every batch that checks items one by one."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kordon.problems import Problem

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
    """pydantic's error in the request's language: our own validators' texts are translated when raised,
    pydantic's are rewritten by type (its own texts are English only)."""
    kind, ctx = str(error.get("type", "")), error.get("ctx") or {}
    if kind == "value_error":
        msg = str(error.get("msg", "")).removeprefix("Value error, ")
        return msg[0].upper() + msg[1:] + ("" if msg.endswith(".") else ".") if msg else _("This value is not valid.")
    if kind == "string_too_short" and "min_length" in ctx:
        n = int(ctx["min_length"])
        return ngettext("Enter at least %(n)d character.", "Enter at least %(n)d characters.", n) % {"n": n}
    if kind == "too_short" and "min_length" in ctx:
        n = int(ctx["min_length"])
        return ngettext("Give at least %(n)d item.", "Give at least %(n)d items.", n) % {"n": n}
    if kind == "string_too_long" and "max_length" in ctx:
        n = int(ctx["max_length"])
        return ngettext("Enter at most %(n)d character.", "Enter at most %(n)d characters.", n) % {"n": n}
    if kind == "too_long" and "max_length" in ctx:
        n = int(ctx["max_length"])
        return ngettext("Give at most %(n)d item.", "Give at most %(n)d items.", n) % {"n": n}
    if kind in ("enum", "literal_error") and "expected" in ctx:
        return _("Choose one of: %(choices)s.") % {"choices": str(ctx["expected"]).replace("'", "")}
    message = _MESSAGES.get(kind)
    return str(message) if message else _("This value is not valid.")


_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "string_type": gettext_lazy("Send text here."),
    "string_pattern_mismatch": gettext_lazy("This has characters that are not allowed here."),
    "date_type": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": gettext_lazy("Enter a date as YYYY-MM-DD, without a time."),
    "datetime_parsing": gettext_lazy("Enter a date and time as YYYY-MM-DDTHH:MM:SSZ."),
    "datetime_type": gettext_lazy("Enter a date and time as YYYY-MM-DDTHH:MM:SSZ."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "bool_type": gettext_lazy("Send true or false."),
    "bool_parsing": gettext_lazy("Send true or false."),
    "decimal_type": gettext_lazy("Send an amount as a decimal string, e.g. \"15.00\"."),
    "decimal_parsing": gettext_lazy("Send an amount as a decimal string, e.g. \"15.00\"."),
    "list_type": gettext_lazy("Send a list here."),
    "dict_type": gettext_lazy("Send a JSON object here."),
    "model_type": gettext_lazy("Send a JSON object here."),
    "model_attributes_type": gettext_lazy("Send a JSON object here."),
    "extra_forbidden": gettext_lazy("This field is not expected here: leave it out."),
    "uuid_type": gettext_lazy("Send a UUID, e.g. 3f0c8a6e-0000-4000-8000-000000000001."),
    "uuid_parsing": gettext_lazy("Send a UUID, e.g. 3f0c8a6e-0000-4000-8000-000000000001."),
    "json_invalid": gettext_lazy("The body is not valid JSON. Send a JSON object with Content-Type: application/json."),
    "greater_than_equal": gettext_lazy("This number is too small."),
    "less_than_equal": gettext_lazy("This number is too large."),
    "greater_than": gettext_lazy("This number is too small."),
    "less_than": gettext_lazy("This number is too large."),
}


def problems_from_validation(errors: list[dict[str, Any]]) -> list[Problem]:
    return [Problem(field_path(e.get("loc", ())), "invalid", _message(e)) for e in errors]
