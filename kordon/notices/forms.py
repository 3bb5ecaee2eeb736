"""The traveller's form: one notice, a formset of travellers, an optional vehicle."""

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from kordon.crossings.countries import country_name
from kordon.crossings.models import Crossing, Direction, VehicleKind
from kordon.days import DayField
from kordon.notices.services import MAX_PARTY
from kordon.problems import Problem

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # the type stubs' name for a string or a lazy one

SEX_CHOICES = [("", "—"), ("F", _("Female")), ("M", _("Male")), ("X", _("Unspecified (X)"))]
VEHICLE_FIELDS = ("plate", "vehicle_country", "vehicle_kind")


def asks(message: "StrOrPromise") -> dict[str, "StrOrPromise"]:
    """Error messages for a required field that say which field, not "This field is required"."""
    return {"required": message}


def direction_label(direction: Direction) -> str:
    """"Tajikistan → Kyrgyzstan": countries by name, as a traveller thinks of them."""
    source, _sep, target = direction.code.partition("-")
    return f"{country_name(source)} → {country_name(target)}"


class DateInput(forms.DateInput):
    input_type = "date"


class DateField(DayField):
    widget = DateInput


class NoticeForm(forms.Form):
    crossing = forms.ModelChoiceField(Crossing.objects.filter(is_open=True), to_field_name="slug", empty_label=None,
                                      label=_("Crossing"), error_messages=asks(_("Choose the crossing.")))
    direction = forms.CharField(max_length=5, widget=forms.Select, label=_("Direction"),
                                error_messages=asks(_("Choose the direction you travel in.")))
    expected_date = DateField(label=_("Date you will arrive at the border post"),
                                    error_messages=asks(_("Enter the date you will arrive at the border post.")))
    email = forms.EmailField(required=False, label=_("Email"),
                             help_text=_("We send the confirmation and receipts here."))
    phone = forms.CharField(required=False, max_length=32, label=_("Phone"),
                            help_text=_("With country code, e.g. +996 555 123 456."))
    has_vehicle = forms.BooleanField(required=False, label=_("We travel with a vehicle"))
    plate = forms.CharField(required=False, max_length=20, label=_("Plate number"))
    vehicle_country = forms.CharField(required=False, max_length=2, label=_("Registration country (2 letters)"))
    vehicle_kind = forms.ChoiceField(required=False, choices=[("", "—"), *VehicleKind.choices], label=_("Kind"))
    make = forms.CharField(required=False, max_length=60, label=_("Make"))
    model = forms.CharField(required=False, max_length=60, label=_("Model"))
    # Random and issued by the server: it also derives the notice's token (services.form_token).
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(d.code, direction_label(d)) for c in Crossing.objects.filter(is_open=True)
                   for d in c.directions.all()]
        self.fields["direction"].widget.choices = sorted(set(choices))
        for name in VEHICLE_FIELDS:
            self.fields[name].all_or_none = True  # type: ignore[attr-defined]  # field.html says "all or none"

    def clean(self) -> dict[str, Any]:
        """A vehicle is optional, but its plate, country and kind come all together or not at all."""
        data = super().clean() or {}
        given = [name for name in VEHICLE_FIELDS if data.get(name)]
        if data.get("has_vehicle") or given:
            data["has_vehicle"] = True
            for name in VEHICLE_FIELDS:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("The vehicle is optional, but give its plate, registration country "
                                           "and kind together, or none of them."))
        return data


class TravellerForm(forms.Form):
    mrz = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false",
                                                                       "autocapitalize": "characters"}),
                          label=_("Machine-readable lines of the passport"),
                          help_text=_("Type or paste the two or three lines at the bottom of the photo page."))
    surname = forms.CharField(max_length=100, label=_("Surname"),
                              error_messages=asks(_("Enter the surname as printed in the passport.")))
    given_names = forms.CharField(max_length=100, required=False, label=_("Given names"))
    nationality = forms.RegexField(r"^([A-Za-z]{3}|[Dd])$", max_length=3, label=_("Nationality"),
                                   help_text=_("3 letters as in the passport, e.g. NLD."),
                                   error_messages={"invalid": _("Use the 3-letter code printed in the passport, "
                                                                "e.g. DEU."),
                                                   "required": _("Enter the nationality: the 3-letter code printed "
                                                                 "in the passport, e.g. NLD.")})
    sex = forms.ChoiceField(choices=SEX_CHOICES, label=_("Sex"),
                            error_messages=asks(_("Choose the sex shown in the passport.")))
    date_of_birth = DateField(label=_("Date of birth"),
                                    error_messages=asks(_("Enter the date of birth.")))
    document_number = forms.RegexField(r"^[A-Za-z0-9 -]{3,20}$", max_length=20, label=_("Passport number"),
                                       error_messages={"invalid": _("Letters and digits only, as printed."),
                                                       "required": _("Enter the passport number.")})
    document_expiry = DateField(label=_("Passport valid until"),
                                      error_messages=asks(_("Enter the date the passport is valid until.")))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mrz"].widget.attrs["data-mrz-for"] = self.prefix  # mrz.js fills this traveller's fields

    def clean_date_of_birth(self) -> date:
        value: date = self.cleaned_data["date_of_birth"]
        if value > date.today():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return value


class LookupForm(forms.Form):
    """The status look-up without the link: three answers only the traveller knows together."""

    reference = forms.CharField(max_length=20, label=_("Notice reference"),
                                help_text=_("10 letters and digits, e.g. D22B-ST4E-L4."))
    document_number = forms.CharField(max_length=20, label=_("Passport number of one traveller"))
    date_of_birth = forms.DateField(widget=DateInput, label=_("That traveller's date of birth"))


class BaseTravellerFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": _("Add at least one traveller."),
        "too_many_forms": _("A notice holds at most 30 travellers: file a second notice for the others."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An untouched first traveller is still a traveller to fill in: its fields say what is
        # missing, rather than "Add at least one traveller" above a form that is right there.
        for form in self.forms:
            form.empty_permitted = False

    def clean(self) -> None:
        if self.total_form_count() == 0:
            raise forms.ValidationError(self.default_error_messages["too_few_forms"], code="too_few_forms")


TravellerFormSet = forms.formset_factory(
    TravellerForm, formset=BaseTravellerFormSet, extra=0, min_num=1, max_num=MAX_PARTY,
    validate_max=True, absolute_max=MAX_PARTY,  # never build (or render) more forms than a party may hold
)


def reshape_party(data: QueryDict, *, add: bool = False, remove: int | None = None) -> QueryDict:
    """The posted form with one traveller more, or one removed: works without JavaScript."""
    data = data.copy()
    given = data.get("form-TOTAL_FORMS", "1")
    total = min(int(given), MAX_PARTY) if given.isdigit() and len(given) < 4 else 1
    data["form-TOTAL_FORMS"] = str(total)
    if add and total < MAX_PARTY:
        data["form-TOTAL_FORMS"] = str(total + 1)
    if remove is not None and total > 1 and 0 <= remove < total:
        for index in range(remove, total - 1):
            for name in TravellerForm.base_fields:
                data[f"form-{index}-{name}"] = data.get(f"form-{index + 1}-{name}", "")
        for name in TravellerForm.base_fields:
            data.pop(f"form-{total - 1}-{name}", None)
        data["form-TOTAL_FORMS"] = str(total - 1)
    return data


def attach_problems(form: NoticeForm, formset: Any, problems: list[Problem]) -> None:
    """Show each domain problem beside its field: `travellers[1].nationality` -> traveller 2's field."""
    vehicle_fields = {"plate": "plate", "country": "vehicle_country", "kind": "vehicle_kind"}
    for p in problems:
        name = "email" if p.field == "contact" else p.field or ""
        if name.startswith("travellers[") and "]." in name:
            index, field = name[len("travellers["):].split("].", 1)
            sub = formset.forms[int(index)]
            sub.add_error(field if field in sub.fields else None, p.message)
        elif name.startswith("vehicle."):
            form.add_error(vehicle_fields.get(name[8:]), p.message)
        else:
            form.add_error(name if name in form.fields else None, p.message)
