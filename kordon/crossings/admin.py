from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kordon.crossings.models import (
    ClosedDate,
    Crossing,
    CrossingChange,
    CurrencyRate,
    Direction,
    ExitPermit,
    FeeExemption,
    FeeLine,
    NationalityRule,
    OpeningHours,
    Post,
)
from kordon.crossings.services import form_changes, formset_changes, record_change


class RecordsChanges:
    """Every save of a crossing or post in the admin leaves a public change log entry on the crossing."""

    def crossing_of(self, obj: Any) -> Crossing:
        raise NotImplementedError

    def save_related(self, request: HttpRequest, form: forms.ModelForm[Any], formsets: list[Any], change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        main = form_changes(form, "changed" if change else "added")
        entries = ([main] if main else []) + [e for formset in formsets for e in formset_changes(formset)]
        record_change(self.crossing_of(form.instance), request.user, entries)


class LabelledFormSet(BaseInlineFormSet[Any, Any, forms.ModelForm[Any]]):
    """Django's tabular inlines head each column but label no field: name each one for screen readers."""

    def add_fields(self, form: forms.ModelForm[Any], index: int | None) -> None:
        super().add_fields(form, index)
        row = _("row %(number)s") % {"number": index + 1} if index is not None else _("new row")
        for name, field in form.fields.items():
            label = _("Delete") if name == "DELETE" else field.label or name
            widget = cast(forms.Widget, getattr(field.widget, "widget", field.widget))  # the select inside the links
            widget.attrs["aria-label"] = f"{label}, {row}"


class LabelledTabularInline(admin.TabularInline[Any, Any]):
    formset = LabelledFormSet


class PostInline(admin.StackedInline[Post, Crossing]):
    model = Post
    extra = 0
    max_num = 2
    show_change_link = True  # opening hours and closed dates are edited on the post's own page


class OpeningHoursInline(LabelledTabularInline):
    model = OpeningHours
    extra = 0
    max_num = 7


class ClosedDateInline(LabelledTabularInline):
    model = ClosedDate
    extra = 1


class DirectionInline(LabelledTabularInline):
    model = Direction
    extra = 0
    fk_name = "crossing"


class OneCurrencyFormSet(LabelledFormSet):
    """A notice's fee is one total in one currency, so a crossing's fee lines share a currency."""

    def clean(self) -> None:
        super().clean()
        kept = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        currencies = {line["currency"].upper() for line in kept if line.get("currency")}
        if len(currencies) > 1:
            raise ValidationError(_(
                "All fee lines of a crossing must be in one currency (found %(currencies)s). "
                "Show other currencies as estimates with the crossing's display currencies instead."
            ) % {"currencies": ", ".join(sorted(currencies))})


class ExitPermitInline(LabelledTabularInline):
    model = ExitPermit
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "direction" and request.resolver_match and request.resolver_match.kwargs.get("object_id"):
            kwargs["queryset"] = Direction.objects.filter(crossing_id=request.resolver_match.kwargs["object_id"])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FeeLineInline(LabelledTabularInline):
    model = FeeLine
    formset = OneCurrencyFormSet
    extra = 0


class FeeExemptionInline(LabelledTabularInline):
    model = FeeExemption
    extra = 0


class NationalityRuleInline(LabelledTabularInline):
    model = NationalityRule
    extra = 0


@admin.register(Crossing)
class CrossingAdmin(RecordsChanges, admin.ModelAdmin[Crossing]):
    list_display = ["name", "slug", "lead_time_days", "altitude_m", "is_open"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PostInline, DirectionInline, ExitPermitInline, FeeLineInline, FeeExemptionInline, NationalityRuleInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "is_open", "altitude_m"]}),
        (_("Rules"), {"fields": ["lead_time_days", "document_validity_days", "arrival_days_early",
                                 "arrival_days_late", "transit_hours"]}),
        (_("Requirements"), {"fields": ["visa", "car_tax", "car_insurance", "carnet", "other_requirements"]}),
        (_("For travellers"), {"fields": ["what_to_bring", "notes", "seasonal_notes", "services_nearby",
                                          "transport_between_posts"]}),
        (_("Payments"), {"fields": ["payment_providers", "payment_required_before_entry", "refund_until_days_before",
                                 "display_currencies"]}),
        (_("Documents and retention"), {"fields": ["require_passport_copies", "require_vehicle_papers",
                                                "documents_keep_days_after_entry", "no_show_grace_days",
                                                "personal_data_keep_days"]}),
    ]


    def crossing_of(self, obj: Crossing) -> Crossing:
        return obj


@admin.register(Post)
class PostAdmin(RecordsChanges, admin.ModelAdmin[Post]):
    list_display = ["name", "code", "crossing", "country", "timezone"]
    list_filter = ["crossing"]
    inlines = [OpeningHoursInline, ClosedDateInline]

    def crossing_of(self, obj: Post) -> Crossing:
        return obj.crossing


@admin.register(CrossingChange)
class CrossingChangeAdmin(admin.ModelAdmin[CrossingChange]):
    """The change log is written by saves, never by hand."""

    list_display = ["crossing", "at", "by"]
    list_filter = ["crossing"]
    readonly_fields = ["crossing", "at", "by", "entries"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CurrencyRate)
class CurrencyRateAdmin(admin.ModelAdmin[CurrencyRate]):
    list_display = ["base", "currency", "rate", "updated_at"]
