"""Notices in the admin: read-only. Changes go through the same operations as everywhere else
(amend, cancel, hold for review, release), so checks run, the audit trail records the
administrator, and seals are issued anew; nothing is edited or deleted around them."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from kordon.audit.services import Actor
from kordon.days import DayField
from kordon.notices import services
from kordon.notices.models import Notice, Traveller, Vehicle
from kordon.payments.services import refund_on_cancellation
from kordon.problems import Refused


class ReadOnlyInline:
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TravellerInline(ReadOnlyInline, admin.TabularInline):  # type: ignore[type-arg]
    model = Traveller
    fields = ["surname", "given_names", "nationality", "sex", "date_of_birth", "document_number", "document_expiry"]


class VehicleInline(ReadOnlyInline, admin.StackedInline):  # type: ignore[type-arg]
    model = Vehicle


class NoticeActionForm(ActionForm):
    expected_date = DayField(required=False, label=gettext_lazy("New date (for “Move to the new date”)"))
    reason = forms.CharField(required=False, max_length=200, label=gettext_lazy("Reason (for “Hold for review”)"))


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["display_reference", "crossing", "direction", "expected_date", "status", "payment_status",
                    "is_demo"]
    list_filter = ["crossing", "status", "payment_status", "expected_date", "is_demo"]
    search_fields = ["reference", "travellers__document_key", "travellers__name_key"]
    exclude = ["access_token_hash"]
    inlines = [TravellerInline, VehicleInline]
    action_form = NoticeActionForm
    actions = ["amend", "cancel", "hold_for_review", "release_review"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # notices are filed by travellers (pages, API), never typed in here

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a notice is cancelled, and personal data removed on schedule, never deleted

    def has_operate_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("notices.change_notice"))

    def _each(self, request: HttpRequest, notices: QuerySet[Notice], operate: Any, done: str) -> None:
        count = 0
        for notice in notices:
            try:
                operate(notice, Actor.of_user(request.user))
                count += 1
            except Refused as refused:
                messages.error(request, f"{notice}: " + " ".join(p.message for p in refused.problems))
        if count:
            messages.success(request, f"{done}: {count}.")

    @admin.action(description=gettext_lazy("Move to the new date (checked as a traveller's change)"),
                  permissions=["operate"])
    def amend(self, request: HttpRequest, notices: QuerySet[Notice]) -> None:
        field = DayField(required=True)
        try:
            day = field.clean(request.POST.get("expected_date", ""))
        except forms.ValidationError:
            messages.error(request, gettext("Enter the new date as YYYY-MM-DD beside the action."))
            return
        self._each(request, notices, lambda n, actor: services.amend_date(n, day, actor), "Moved")

    @admin.action(description=gettext_lazy("Cancel (refund per the crossing's rule)"), permissions=["operate"])
    def cancel(self, request: HttpRequest, notices: QuerySet[Notice]) -> None:
        def operate(notice: Notice, actor: Actor) -> None:
            refund_on_cancellation(services.cancel_notice(notice, actor), actor)

        self._each(request, notices, operate, "Cancelled")

    @admin.action(description=gettext_lazy("Hold for review (leaves the entry list)"), permissions=["operate"])
    def hold_for_review(self, request: HttpRequest, notices: QuerySet[Notice]) -> None:
        reason = request.POST.get("reason", "").strip()
        if not reason:
            messages.error(request,
                           gettext("Give a reason beside the action: officers and the traveller's record show it."))
            return
        self._each(request, notices, lambda n, actor: services.hold_for_review(n, actor, reason), "Held for review")

    @admin.action(description=gettext_lazy("Release from review"), permissions=["operate"])
    def release_review(self, request: HttpRequest, notices: QuerySet[Notice]) -> None:
        self._each(request, notices, services.release_review, "Released")
