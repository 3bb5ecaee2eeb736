"""Dates as kordon takes them in: `YYYY-MM-DD` between 1900 and 2199, nothing else.

Python's dates reach 0001 and 9999, but a window or a validity margin added to 9999-12-31 overflows,
and `0` or `2026-12-01T10:00` are not days. Every date a client sends (API and pages) is read here.
"""

import re
from datetime import date
from typing import Annotated

from django import forms
from pydantic import BeforeValidator, WithJsonSchema

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MESSAGE = "Enter a date as YYYY-MM-DD between 1900-01-01 and 2199-12-31."


def parse_day(text: object) -> date | None:
    """The day `text` names, or None when it is not a plain YYYY-MM-DD within kordon's range."""
    if isinstance(text, date):
        text = text.isoformat()  # a datetime becomes "…T…" and is refused below
    if not isinstance(text, str) or not _ISO_DAY.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def _day(value: object) -> date:
    day = parse_day(value)
    if day is None:
        raise ValueError(MESSAGE)
    return day


# For API schemas: `expected_date: Day`. The OpenAPI document says the same range.
Day = Annotated[date, BeforeValidator(_day), WithJsonSchema(
    {"type": "string", "format": "date", "minLength": 10, "maxLength": 10, "pattern": r"^(19|20|21)\d\d-\d\d-\d\d$",
     "description": "YYYY-MM-DD, 1900-01-01 to 2199-12-31"})]


class DayField(forms.DateField):
    """A form's date: the same rule as the API's `Day`."""

    def to_python(self, value: object) -> date | None:
        if value in self.empty_values:
            return None
        day = parse_day(value.strip() if isinstance(value, str) else value)
        if day is None:
            raise forms.ValidationError(MESSAGE, code="invalid")
        return day
