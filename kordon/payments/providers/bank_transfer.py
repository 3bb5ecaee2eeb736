"""Bank transfer: the payer transfers with the notice's reference; an administrator confirms receipt."""

from django.conf import settings

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
    label = "Bank transfer"
    online = True

    def available(self) -> bool:
        return bool(settings.KORDON_BANK_TRANSFER_ACCOUNT)

    def start(self, order: Order) -> Started:
        return Started(order.payment_id, instructions=(
            f"Transfer {order.currency} {order.amount:.2f} to {settings.KORDON_BANK_TRANSFER_ACCOUNT}. "
            f"Payment reference: {order.reference} (exactly this, so that we can match your transfer). "
            "Your receipt is issued when the border service has seen the money arrive, usually within "
            "two working days; pay at least a week before your date."))

    def confirm(self, evidence: Evidence) -> Confirmation:
        return counted(evidence)  # an administrator read the bank statement; the caller authorised them

    def refund(self, order: RefundOrder) -> Refunded:
        return Refunded(order.idempotency_key, done=order.in_person)
