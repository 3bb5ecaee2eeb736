"""A pretend card gateway for demonstrations: its checkout page takes no card and moves no money.

It behaves like a real gateway where it matters: the payer is sent to its page, and the outcome
comes back as a signed notification through the same path as any provider's (see `simulate`).
Only offered when KORDON_SANDBOX_PAYMENTS is on; a system check refuses that in production.
"""

import hashlib
import hmac
import json
import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_noop

from kordon.payments.providers.interface import (
    Confirmation,
    Evidence,
    NotAuthentic,
    Order,
    PaymentProvider,
    Refunded,
    RefundOrder,
    Started,
)

SIGNATURE_HEADER = "Sandbox-Signature"


def _signature(body: bytes) -> str:
    return salted_hmac("kordon.payments.sandbox", body, algorithm="sha256").hexdigest()


def simulate(provider_reference: str, amount: Decimal, currency: str, *, paid: bool = True) -> Evidence:
    """The notification the sandbox 'gateway' sends when its payer presses Pay (or Decline)."""
    body = json.dumps({
        "id": f"sbxevt_{secrets.token_hex(8)}", "type": "payment.succeeded" if paid else "payment.failed",
        "payment": {"reference": provider_reference, "amount": f"{amount:.2f}", "currency": currency},
    }).encode()
    return Evidence(body=body, headers={SIGNATURE_HEADER: _signature(body)})


class SandboxProvider(PaymentProvider):
    name = "sandbox"
    label = gettext_noop("Sandbox card payment (demonstration, no money moves)")
    online = True

    def available(self) -> bool:
        return bool(settings.KORDON_SANDBOX_PAYMENTS)

    def start(self, order: Order) -> Started:
        # Derived from the idempotency key, so starting twice gives the same checkout page.
        reference = "sbx_" + hashlib.sha256(order.idempotency_key.encode()).hexdigest()[:24]
        return Started(reference, redirect_url=reverse("payments:sandbox_checkout", args=[reference]))

    def confirm(self, evidence: Evidence) -> Confirmation:
        if not hmac.compare_digest(evidence.headers.get(SIGNATURE_HEADER, ""), _signature(evidence.body)):
            raise NotAuthentic("The sandbox signature does not match.")
        try:
            event = json.loads(evidence.body)
            payment = event["payment"]
            return Confirmation(
                provider_reference=payment["reference"], paid=event["type"] == "payment.succeeded",
                amount=Decimal(payment["amount"]), currency=payment["currency"].upper(),
                event_id=event["id"], event_type=event["type"],
            )
        except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
            raise NotAuthentic(f"Not a sandbox notification: {exc}") from exc

    def refund(self, order: RefundOrder) -> Refunded:
        return Refunded("sbxre_" + hashlib.sha256(order.idempotency_key.encode()).hexdigest()[:24], done=True)
