"""Bank transfer: the payer transfers with the notice's reference; an administrator confirms receipt."""

from django.conf import settings
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


class BankTransferProvider(PaymentProvider):
    name = "bank_transfer"
    label = gettext_noop("Bank transfer")
    online = True

    def available(self) -> bool:
        return bool(settings.KORDON_BANK_TRANSFER_ACCOUNT)

    def start(self, order: Order) -> Started:
        return Started(order.payment_id, instructions=_(
            "Transfer %(amount)s to %(account)s. Payment reference: %(reference)s (exactly this, so that we can "
            "match your transfer). Your receipt is issued when the border service has seen the money arrive, "
            "usually within two working days; pay at least a week before your date."
        ) % {"amount": f"{order.currency} {order.amount:.2f}", "account": settings.KORDON_BANK_TRANSFER_ACCOUNT,
             "reference": order.reference})

    def confirm(self, evidence: Evidence) -> Confirmation:
        return counted(evidence)  # an administrator read the bank statement; the caller authorised them

    def refund(self, order: RefundOrder) -> Refunded:
        return Refunded(order.idempotency_key, done=order.in_person)
