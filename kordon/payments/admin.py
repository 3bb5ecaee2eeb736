"""Headquarters' view of money: payments, refunds, receipts, provider notifications. Records are not
edited by hand; what administrators do (confirm a transfer, refund) goes through the services."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kordon.audit.services import Actor
from kordon.payments import services
from kordon.payments.models import Kind, Payment, Receipt, Status, WebhookEvent
from kordon.problems import Refused


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _each(request: HttpRequest, payments: QuerySet[Payment], act: Any, done: Any) -> None:
    count = 0
    for payment in payments:
        try:
            act(payment)
            count += 1
        except Refused as refused:
            messages.error(request, f"{payment.notice}: {' '.join(p.message for p in refused.problems)}")
    if count:
        messages.success(request, _("%(done)s: %(count)d.") % {"done": done, "count": count})


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ["notice", "kind", "provider", "status", "amount", "currency", "office", "created_at", "receipt"]
    list_filter = ["kind", "provider", "status", "office"]
    search_fields = ["notice__reference", "provider_reference", "public_id", "receipt__number"]
    list_select_related = ["notice", "receipt"]
    actions = ["confirm_transfer", "refund", "refund_sent"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and request.user.has_perm("payments.change_payment")  # the list and its actions

    @admin.action(description=gettext_lazy("Confirm bank transfers received (the amount asked for)"),
                  permissions=["change"])
    def confirm_transfer(self, request: HttpRequest, queryset: QuerySet[Payment]) -> None:
        actor = Actor.of_user(request.user)
        pending = queryset.filter(provider="bank_transfer", kind=Kind.PAYMENT, status=Status.PENDING)
        _each(request, pending, lambda p: services.confirm_bank_transfer(p, actor, p.amount, p.currency),
              _("Transfers confirmed"))

    @admin.action(description=gettext_lazy("Refund (payments of cancelled notices, per the crossing's rule)"),
                  permissions=["change"])
    def refund(self, request: HttpRequest, queryset: QuerySet[Payment]) -> None:
        actor = Actor.of_user(request.user)
        _each(request, queryset.filter(kind=Kind.PAYMENT), lambda p: services.refund_payment(p, actor),
              _("Refunded"))

    @admin.action(description=gettext_lazy("Mark owed refunds as paid back (transfer sent)"), permissions=["change"])
    def refund_sent(self, request: HttpRequest, queryset: QuerySet[Payment]) -> None:
        actor = Actor.of_user(request.user)
        owed = queryset.filter(kind=Kind.REFUND, status=Status.PENDING)
        _each(request, owed, lambda r: services.hand_over_refund(r, actor), _("Refunds paid back"))


@admin.register(Receipt)
class ReceiptAdmin(ReadOnly):
    list_display = ["number", "kind", "notice", "amount", "currency", "method", "office", "issued_at"]
    list_filter = ["kind", "office", "provider", "year"]
    search_fields = ["number", "notice__reference"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnly):
    list_display = ["received_at", "provider", "type", "outcome", "event_id", "payment"]
    list_filter = ["provider", "outcome"]
