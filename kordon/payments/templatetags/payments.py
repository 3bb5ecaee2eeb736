"""The payment parts of other apps' pages: the traveller's notice page and the post console."""

import uuid
from typing import Any

from django import template

from kordon.crossings import rates
from kordon.notices.models import Notice
from kordon.payments import balance, services
from kordon.payments.models import Kind

register = template.Library()


@register.inclusion_tag("payments/_panel.html", takes_context=True)
def payment_panel(context: template.Context, notice: Notice) -> dict[str, Any]:
    """What the party owes, how to pay it, an estimate in local money, and the receipts so far."""
    owed = balance.outstanding(notice)
    crossing = notice.crossing
    return {
        "notice": notice, "owed": owed, "csrf_token": context.get("csrf_token"),
        "estimates": rates.estimates(owed or notice.fee_total, notice.fee_currency, crossing),
        "providers": services.online_providers(crossing) if notice.is_active and owed else [],
        "cash": "cash" in crossing.providers(),
        "payments": notice.payments.select_related("receipt").order_by("created_at", "pk"),
        "refund_kind": Kind.REFUND,
        "last_refund_day": crossing.last_refund_day(notice.expected_date),
        "required_before_entry": crossing.payment_required_before_entry,
    }


@register.simple_tag
def new_idempotency_key() -> str:
    """A fresh key for a form that records money: a double-submitted form sends the same key twice."""
    return str(uuid.uuid4())
