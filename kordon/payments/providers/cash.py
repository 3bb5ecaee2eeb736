"""Cash at the post: an officer counts the money and records it; the receipt is printed or shown."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kordon.payments.providers.interface import (
    Confirmation,
    Evidence,
    Order,
    PaymentProvider,
    Refunded,
    RefundOrder,
    Started,
    counted,
)


class CashProvider(PaymentProvider):
    name = "cash"
    label = gettext_noop("Cash at the post")
    online = False

    def start(self, order: Order) -> Started:
        return Started(order.payment_id, instructions=_(
            "Pay %(amount)s in cash at the border post; the officer gives you a receipt."
        ) % {"amount": f"{order.currency} {order.amount:.2f}"})

    def confirm(self, evidence: Evidence) -> Confirmation:
        return counted(evidence)  # the officer's count, authorised by the caller

    def refund(self, order: RefundOrder) -> Refunded:
        # Cash goes back hand to hand: the refund is done only when an officer records handing it over.
        return Refunded(order.idempotency_key, done=order.in_person)
