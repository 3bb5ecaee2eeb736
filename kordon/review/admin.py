from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kordon.review.models import Review, ReviewRules


@admin.register(ReviewRules)
class ReviewRulesAdmin(admin.ModelAdmin[ReviewRules]):
    list_display = ["crossing", "expiry_margin_days", "require_mrz", "exact_mrz_names", "party_larger_than",
                    "nationalities"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin[Review]):
    list_display = ["notice", "opened_at", "decision", "decided_at", "decided_by"]
    list_filter = ["decision"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # decided on the desk (/hq/review/), where the decision is recorded and told
