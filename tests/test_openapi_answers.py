"""The OpenAPI document describes every successful answer of every operation with its fields."""

from typing import Any

import pytest

JSON = "application/json"


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document["components"]["schemas"][name]
    return schema


def _problems(document: dict[str, Any], schema: dict[str, Any] | None) -> str | None:
    """Why this answer's schema does not say what the answer holds, or None when it does."""
    if not schema:
        return "no schema"
    schema = _resolve(document, schema)
    if schema.get("type") == "array":
        return _problems(document, schema.get("items"))
    if schema.get("type") == "string" and schema.get("format") == "binary":
        return None
    if schema.get("type") != "object" or not schema.get("properties"):
        return f"a free-form answer: {schema}"
    return None


def _undescribed(document: dict[str, Any]) -> list[str]:
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            answers = {status: a for status, a in operation["responses"].items() if str(status).startswith("2")}
            if not answers:
                found.append(f"{method.upper()} {path}: no 2xx answer")
            for status, answer in answers.items():
                contents = answer.get("content") or {None: {}}
                for media, content in contents.items():
                    if (why := _problems(document, content.get("schema"))) is not None:
                        found.append(f"{method.upper()} {path} {status} {media}: {why}")
    return found


@pytest.mark.django_db
def test_every_successful_answer_has_a_schema_with_its_fields(client):  # type: ignore[no-untyped-def]
    document = client.get("/api/v1/openapi.json").json()
    assert _undescribed(document) == []
    # What the fields are, not just that there are some: the notice names its reference and fee.
    notice = _resolve(document, document["paths"]["/api/v1/notices/{reference}"]["get"]["responses"]["200"]
                      ["content"][JSON]["schema"])
    assert {"reference", "fee", "travellers", "payment_status"} <= set(notice["required"])


def test_the_walk_finds_an_answer_without_a_schema_and_a_free_form_one() -> None:
    document = {"components": {"schemas": {"Loose": {"type": "object", "additionalProperties": True}}}, "paths": {
        "/a": {"get": {"responses": {"200": {"description": "OK"}}}},
        "/b": {"post": {"responses": {"201": {"description": "OK", "content": {JSON: {"schema": {
            "$ref": "#/components/schemas/Loose"}}}}}}},
        "/c": {"get": {"responses": {"200": {"description": "OK", "content": {JSON: {"schema": {
            "type": "array", "items": {"type": "object"}}}}}}}},
        "/d": {"get": {"responses": {"404": {"description": "No"}}}},
    }}
    found = _undescribed(document)
    assert [line.split(":")[0] for line in found] == [
        "GET /a 200 None", "POST /b 201 application/json", "GET /c 200 application/json", "GET /d"]
