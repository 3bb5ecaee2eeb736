from typing import Any

from django import template

register = template.Library()


@register.filter
def cell(row: dict[str, Any], column: str) -> Any:
    return row.get(column, "")


@register.filter
def row_errors(errors: dict[int, dict[str, str]], index: int) -> dict[str, str]:
    return errors.get(index, {})
