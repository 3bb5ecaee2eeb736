"""What the authority does with a crossing: change its rules, and keep the public record of it."""

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser, User

from kordon.audit.services import Actor, record
from kordon.crossings.models import Crossing, CrossingChange

# Kept for the authority's own bookkeeping, not promises to travellers: not in the public change log.
PRIVATE_FIELDS = {"documents_keep_days_after_entry", "no_show_grace_days", "personal_data_keep_days"}

Entry = dict[str, Any]


def record_change(crossing: Crossing, user: User | AnonymousUser, entries: list[Entry]) -> None:
    """Keep one change log row for one save (nothing when nothing public changed), in its transaction."""
    if not entries:
        return
    by = user if isinstance(user, User) else None
    change = CrossingChange.objects.create(crossing=crossing, by=by, entries=entries)
    record(Actor.of_user(user), "crossing.changed", obj=change, crossing=crossing.slug, entries=entries)


def form_changes(form: forms.ModelForm[Any], action: str = "changed") -> Entry | None:
    """What a saved admin form changed, field by field with old and new values; None if nothing public."""
    fields = [
        {"name": name, "from": shown(form, name, form.initial.get(name)), "to": shown(form, name,
                                                                              form.cleaned_data.get(name))}
        for name in form.changed_data if name not in PRIVATE_FIELDS and name in form.fields
        and name not in ("id", "DELETE", "crossing", "post")
    ]
    if action == "changed" and not fields:
        return None
    return {"model": form._meta.model._meta.label_lower, "object": str(form.instance), "action": action,
            "fields": fields if action == "changed" else []}


def formset_changes(formset: forms.BaseModelFormSet[Any, Any]) -> list[Entry]:
    """Added, changed and deleted rows of a saved inline formset."""
    entries: list[Entry] = []
    label = formset.model._meta.label_lower  # type: ignore[union-attr]
    for obj in formset.deleted_objects:
        entries.append({"model": label, "object": str(obj), "action": "deleted", "fields": []})
    for form in formset.forms:
        if form.instance in formset.new_objects:
            entries.append({"model": label, "object": str(form.instance), "action": "added", "fields": []})
        elif any(form.instance is obj for obj, _ in formset.changed_objects):
            entry = form_changes(form)
            if entry:
                entries.append(entry)
    return entries


def shown(form: forms.BaseForm, name: str, value: Any) -> str:
    """A value as a person reads it: the chosen object's name rather than its id, 'yes'/'no'."""
    field = form.fields.get(name)
    if isinstance(field, forms.ModelChoiceField) and value not in (None, ""):
        pk = getattr(value, "pk", value)
        value = field.queryset.filter(pk=pk).first() if field.queryset is not None else pk
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "strftime") and hasattr(value, "hour") and not hasattr(value, "year"):
        return f"{value:%H:%M}"
    return str(value)
