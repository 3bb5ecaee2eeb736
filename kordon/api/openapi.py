"""What the OpenAPI document says beyond the routes: the error answers every operation may give,
the bearer token, and the rule that text holds no control characters. Schemathesis checks the API
against exactly this (tests/test_openapi_fuzz.py)."""

from typing import Any

from kordon.middleware import RETRY_AFTER_SECONDS

ERRORS = {
    "type": "object", "required": ["errors"],
    "properties": {"errors": {"type": "array", "items": {
        "type": "object", "required": ["field", "code", "message"],
        "properties": {"field": {"type": ["string", "null"]}, "code": {"type": "string"},
                       "message": {"type": "string"}}}}},
}
ANSWERS = {
    "400": "The request's shape is wrong (`invalid`, naming the field).",
    "401": "No token, or not a valid one, where one is needed.",
    "403": "The token may not do this here (another post's list).",
    "404": "No such thing, or not for you (never says which).",
    "405": "The path does not take this method.",
    "409": "A conflict with what exists (`duplicate`, `idempotency_conflict`, a cancelled notice…).",
    "413": "The body is too large.",
    "422": "Well-formed but refused by a rule (`lead_time`, `document_expired`…); every problem is listed.",
    "429": "Too many requests from this client; see Retry-After.",
    "503": f"Briefly unavailable (the database); nothing was changed. Retry-After: {RETRY_AFTER_SECONDS}.",
}
# Any string a client sends: no control characters but tab and line breaks (kordon.middleware).
NO_CONTROLS = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"


def _strings(node: Any) -> None:
    """Give every plain string schema (no pattern, format or enum of its own) the no-controls pattern."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "format", "enum", "const"} & node.keys():
            node["pattern"] = NO_CONTROLS
        for value in node.values():
            _strings(value)
    elif isinstance(node, list):
        for value in node:
            _strings(value)


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {})
    _strings(components.get("schemas", {}))
    _strings(schema.get("paths", {}))
    components.setdefault("schemas", {})["Errors"] = ERRORS  # an answer may quote what was refused
    components["securitySchemes"] = {"bearer": {
        "type": "http", "scheme": "bearer",
        "description": "A notice's access token (its traveller) or an officer's token (`kordon createofficer`).",
    }}
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}}
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, description in ANSWERS.items():
                operation["responses"].setdefault(status, {"description": description, **error})
            operation["security"] = [{"bearer": []}, {}]  # public operations take no token
    return schema
