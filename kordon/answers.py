"""What every answer schema shares: exact fields, and the shapes of dates, moments and money.

The API's builders write plain dicts; their schemas (each app's `schemas.py`) validate them on the
way out and describe them in the OpenAPI document (/api/v1/openapi.json). A schema forbids keys it
does not name, so a builder cannot add a field the document does not describe; operations answer
with `exclude_unset`, so a field a builder leaves out (an exit's permits on an entry) stays out.
"""

from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, WithJsonSchema

IsoDate = Annotated[str, WithJsonSchema({"type": "string", "format": "date", "example": "2026-12-01"})]
IsoMoment = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
MoneyText = Annotated[str, WithJsonSchema({"type": "string", "pattern": r"^-?\d+\.\d{2}$", "example": "15.00"})]

# A document's bytes, or a PNG: described by their media types (schemas of binary content).
BINARY = {"type": "string", "format": "binary"}


class Out(Schema):
    model_config = ConfigDict(extra="forbid")


class ProblemOut(Out):
    """One thing refused: the field (a path, or null), a code and what to do."""

    field: str | None
    code: str
    message: str


def binary_answer(description: str, *media_types: str) -> dict[str, object]:
    """`openapi_extra` for an operation whose 200 answer is bytes of the given media types."""
    return {"responses": {200: {"description": description,
                                "content": {media: {"schema": BINARY} for media in media_types}}}}
