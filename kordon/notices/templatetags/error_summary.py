"""The error summary at the top of a form (the GOV.UK Design System's pattern): every problem once,
each linked to its field, so a keyboard or screen reader user reaches it in one step."""

from typing import Any

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

register = template.Library()


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms_or_formsets: Any) -> dict[str, Any]:
    problems: list[dict[str, str]] = []
    for item in forms_or_formsets:
        if isinstance(item, forms.BaseFormSet):
            problems += [{"href": "", "message": str(e)} for e in item.non_form_errors()]
            for number, form in enumerate(item.forms, start=1):
                problems += _form_problems(form, _("Traveller %(number)s") % {"number": number})
        elif isinstance(item, forms.BaseForm):
            problems += _form_problems(item, "")
    return {"problems": problems}


def _form_problems(form: forms.BaseForm, whose: str) -> list[dict[str, str]]:
    if not form.is_bound:
        return []
    found = [{"href": "", "message": f"{whose}: {e}" if whose else str(e)} for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        label = f"{whose}, {bound.label}" if whose else str(bound.label)
        found += [{"href": f"#{bound.id_for_label}", "message": f"{label}: {error}"} for error in errors]
    return found
