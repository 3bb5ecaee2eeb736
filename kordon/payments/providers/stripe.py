"""Card payments through Stripe Checkout.

`start` creates a Checkout Session (with an idempotency key, so a retried request never makes a
second one) and sends the payer to Stripe's page; Stripe then posts a signed
`checkout.session.completed` event to our webhook, which `confirm` verifies over the exact bytes
received (Stripe-Signature: HMAC-SHA256 of "{t}.{body}" with the endpoint's secret, t within
five minutes). Amounts cross the wire in minor units (cents): converted here, never through float.
"""

import json
from decimal import Decimal
from typing import Any

import stripe
from django.conf import settings
from django.utils.translation import gettext_noop

from kordon.payments.providers.interface import (
    Confirmation,
    Evidence,
    NotAuthentic,
    Order,
    PaymentProvider,
    ProviderError,
    Refunded,
    RefundOrder,
    Started,
)

TOLERANCE_SECONDS = 300
# Currencies Stripe counts in whole units (https://docs.stripe.com/currencies#zero-decimal).
ZERO_DECIMAL = {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
                "XAF", "XOF", "XPF"}
PAID_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
FAILED_EVENTS = {"checkout.session.async_payment_failed", "checkout.session.expired"}


def to_minor(amount: Decimal, currency: str) -> int:
    exponent = 0 if currency.upper() in ZERO_DECIMAL else 2
    return int(amount.scaleb(exponent).to_integral_exact())


def from_minor(value: int, currency: str) -> Decimal:
    exponent = 0 if currency.upper() in ZERO_DECIMAL else 2
    return Decimal(value).scaleb(-exponent).quantize(Decimal("0.01"))


class StripeProvider(PaymentProvider):
    name = "stripe"
    label = gettext_noop("Card (Stripe)")
    online = True

    def available(self) -> bool:
        # Without the webhook secret no payment could ever be confirmed: do not offer it.
        return bool(settings.KORDON_STRIPE_SECRET_KEY and settings.KORDON_STRIPE_WEBHOOK_SECRET)

    def start(self, order: Order) -> Started:
        try:
            session = stripe.checkout.Session.create(**_session_params(order))
        except stripe.StripeError as exc:
            raise ProviderError(f"Stripe did not create the checkout: {exc.user_message or exc}") from exc
        return Started(session["id"], redirect_url=session["url"])

    def confirm(self, evidence: Evidence) -> Confirmation | None:
        try:
            stripe.WebhookSignature.verify_header(evidence.body, evidence.headers.get("Stripe-Signature"),
                                                  settings.KORDON_STRIPE_WEBHOOK_SECRET, TOLERANCE_SECONDS)
            event = json.loads(evidence.body)
        except (stripe.SignatureVerificationError, ValueError) as exc:
            raise NotAuthentic(f"The Stripe signature does not match: {exc}") from exc
        kind = event.get("type", "")
        session: dict[str, Any] = event.get("data", {}).get("object", {})
        if kind not in PAID_EVENTS | FAILED_EVENTS or session.get("object") != "checkout.session":
            return None
        if kind == "checkout.session.completed" and session.get("payment_status") == "unpaid":
            return None  # a delayed method (a bank debit): the outcome comes in a later event
        return _confirmation(event, session)

    def refund(self, order: RefundOrder) -> Refunded:
        try:
            refund = stripe.Refund.create(
                api_key=settings.KORDON_STRIPE_SECRET_KEY, idempotency_key=order.idempotency_key,
                payment_intent=order.original_details["payment_intent"],
                amount=to_minor(order.amount, order.currency), metadata={"refund_of": order.original_reference},
            )
        except (stripe.StripeError, KeyError) as exc:
            raise ProviderError(f"Stripe did not refund: {exc}") from exc
        if refund["status"] in ("failed", "canceled"):
            raise ProviderError(f"Stripe refused the refund ({refund['status']}).")
        return Refunded(refund["id"], done=True)


def _session_params(order: Order) -> dict[str, Any]:
    currency = order.currency.lower()
    ours = {"payment_id": order.payment_id, "reference": order.reference}
    params: dict[str, Any] = {
        "api_key": settings.KORDON_STRIPE_SECRET_KEY, "idempotency_key": order.idempotency_key,
        "mode": "payment", "client_reference_id": order.reference, "metadata": ours,
        "payment_intent_data": {"metadata": ours}, "success_url": order.return_url, "cancel_url": order.cancel_url,
        "line_items": [{"quantity": line.quantity, "price_data": {
            "currency": currency, "unit_amount": to_minor(line.unit_amount, currency),
            "product_data": {"name": line.description}}} for line in order.lines if line.unit_amount],
    }
    if order.email:
        params["customer_email"] = order.email
    return params


def _confirmation(event: dict[str, Any], session: dict[str, Any]) -> Confirmation:
    currency = str(session.get("currency") or "").upper()
    customer = session.get("customer_details") or {}
    details = {"payment_intent": str(session.get("payment_intent") or ""),
               "payer_name": str(customer.get("name") or ""), "payer_email": str(customer.get("email") or "")}
    return Confirmation(
        provider_reference=str(session.get("id", "")),
        paid=event["type"] in PAID_EVENTS and session.get("payment_status") == "paid",
        amount=from_minor(int(session.get("amount_total") or 0), currency), currency=currency,
        event_id=str(event.get("id", "")), event_type=event["type"], details=details,
    )
