"""The change log as sentences, with field and model names in the reader's language."""

import contextlib
from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def change_lines(entries: list[dict[str, Any]]) -> list[str]:
    """'Fee line “person: 15.00 USD”: amount 15.00 → 20.00', one per added, changed or deleted row."""
    return [_line(entry) for entry in entries]


def _line(entry: dict[str, Any]) -> str:
    try:
        model = apps.get_model(entry["model"])
    except (LookupError, ValueError):
        model = None
    what = str(model._meta.verbose_name).capitalize() if model else entry["model"]
    args = {"what": what, "object": entry["object"]}
    if entry["action"] == "added":
        return _("%(what)s “%(object)s” added") % args
    if entry["action"] == "deleted":
        return _("%(what)s “%(object)s” removed") % args
    changed = "; ".join(_field(model, f) for f in entry["fields"])
    return _("%(what)s “%(object)s”: %(changed)s") % (args | {"changed": changed})


def _field(model: Any, change: dict[str, str]) -> str:
    name = change["name"]
    with contextlib.suppress(FieldDoesNotExist):
        name = str(model._meta.get_field(name).verbose_name) if model else name
    return _("%(field)s %(old)s → %(new)s") % {
        "field": name, "old": change["from"] or _("(empty)"), "new": change["to"] or _("(empty)")}
