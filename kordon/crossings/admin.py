from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from kordon.crossings.models import (
    Crossing,
    CurrencyRate,
    Direction,
    FeeExemption,
    FeeLine,
    NationalityRule,
    Post,
)


class PostInline(admin.StackedInline):
    model = Post
    extra = 0
    max_num = 2


class DirectionInline(admin.TabularInline):
    model = Direction
    extra = 0
    fk_name = "crossing"


class OneCurrencyFormSet(BaseInlineFormSet):
    """A notice's fee is one total in one currency, so a crossing's fee lines share a currency."""

    def clean(self) -> None:
        super().clean()
        kept = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        currencies = {line["currency"].upper() for line in kept if line.get("currency")}
        if len(currencies) > 1:
            raise ValidationError(
                f"All fee lines of a crossing must be in one currency (found {', '.join(sorted(currencies))}). "
                "Show other currencies as estimates with the crossing's display currencies instead."
            )


class FeeLineInline(admin.TabularInline):
    model = FeeLine
    formset = OneCurrencyFormSet
    extra = 0


class FeeExemptionInline(admin.TabularInline):
    model = FeeExemption
    extra = 0


class NationalityRuleInline(admin.TabularInline):
    model = NationalityRule
    extra = 0


@admin.register(Crossing)
class CrossingAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "lead_time_days", "altitude_m", "is_open"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PostInline, DirectionInline, FeeLineInline, FeeExemptionInline, NationalityRuleInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "is_open", "altitude_m"]}),
        ("Rules", {"fields": ["lead_time_days", "document_validity_days", "arrival_days_early", "arrival_days_late"]}),
        ("Requirements", {"fields": ["visa", "car_tax", "car_insurance", "carnet", "other_requirements"]}),
        ("For travellers", {"fields": ["notes", "services_nearby"]}),
        ("Payments", {"fields": ["payment_providers", "payment_required_before_entry", "refund_until_days_before",
                                 "display_currencies"]}),
        ("Documents and retention", {"fields": ["require_passport_copies", "require_vehicle_papers",
                                                "documents_keep_days_after_entry", "no_show_grace_days",
                                                "personal_data_keep_days"]}),
    ]


@admin.register(CurrencyRate)
class CurrencyRateAdmin(admin.ModelAdmin):
    list_display = ["base", "currency", "rate", "updated_at"]
