"""Payments fixtures: Stripe's API answered by a local HTTP server, webhooks signed as Stripe signs them."""

import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest
import stripe

STRIPE_SECRET_KEY = "sk_test_51Kordon0000000000000000000000"
WEBHOOK_SECRET = "whsec_test_kordon_0000000000000000000000"


@dataclass
class StripeRequest:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str]


@dataclass
class FakeStripe:
    """Answers the two calls kordon makes (create a Checkout Session, create a Refund) with bodies in
    Stripe's shape, replaying the first answer for a repeated Idempotency-Key as Stripe does."""

    url: str = ""
    requests: list[StripeRequest] = field(default_factory=list)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail_with: int | None = None  # answer every call with this HTTP status (an outage)

    def answer(self, request: StripeRequest) -> tuple[int, dict[str, Any]]:
        if self.fail_with:
            return self.fail_with, {"error": {"type": "api_error", "message": "Stripe is having a bad day."}}
        key = request.headers.get("Idempotency-Key", str(uuid.uuid4()))
        if key not in self.answers:
            make = checkout_session if request.path == "/v1/checkout/sessions" else refund
            self.answers[key] = make(request.form, key)
        return 200, self.answers[key]


def checkout_session(form: dict[str, str], key: str) -> dict[str, Any]:
    index, total = 0, 0
    while f"line_items[{index}][quantity]" in form:
        quantity, unit = form[f"line_items[{index}][quantity]"], form[f"line_items[{index}][price_data][unit_amount]"]
        total += int(quantity) * int(unit)
        index += 1
    session_id = "cs_test_a1" + hashlib.sha256(key.encode()).hexdigest()[:56]
    return {
        "id": session_id, "object": "checkout.session", "amount_subtotal": total, "amount_total": total,
        "cancel_url": form.get("cancel_url"), "client_reference_id": form.get("client_reference_id"),
        "currency": form.get("line_items[0][price_data][currency]"), "customer_details": None,
        "customer_email": form.get("customer_email"), "expires_at": int(time.time()) + 86400, "livemode": False,
        "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")}, "mode": "payment",
        "payment_intent": None, "payment_status": "unpaid", "status": "open",
        "success_url": form.get("success_url"), "url": f"https://checkout.stripe.com/c/pay/{session_id}#fidkdWxOYHwnPyd1",
    }


def refund(form: dict[str, str], key: str) -> dict[str, Any]:
    return {
        "id": "re_3Kordon" + hashlib.sha256(key.encode()).hexdigest()[:16], "object": "refund",
        "amount": int(form["amount"]), "currency": "usd", "payment_intent": form["payment_intent"],
        "status": "succeeded", "created": int(time.time()), "metadata": {},
    }


def _handler(fake: FakeStripe) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            request = StripeRequest("POST", self.path, dict(self.headers.items()), dict(parse_qsl(body)))
            fake.requests.append(request)
            status, answer = fake.answer(request)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Request-Id", "req_" + uuid.uuid4().hex[:14])
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def stripe_keys(settings: Any) -> None:
    settings.KORDON_STRIPE_SECRET_KEY = STRIPE_SECRET_KEY
    settings.KORDON_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


@pytest.fixture
def fake_stripe(stripe_keys: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeStripe]:
    """Stripe's API on 127.0.0.1: the stripe library is pointed at it, so nothing leaves the machine."""
    fake = FakeStripe()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setattr(stripe, "api_base", fake.url)
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def sandbox(settings: Any, crossing: Any) -> None:
    settings.KORDON_SANDBOX_PAYMENTS = True
    crossing.payment_providers = "cash,stripe,bank_transfer,sandbox"
    crossing.save()


def stripe_event(session: dict[str, Any], kind: str = "checkout.session.completed", **changes: Any) -> dict[str, Any]:
    """A webhook event as Stripe sends it, wrapping the session as it is once paid."""
    paid = {**session, "payment_status": "paid", "status": "complete", "url": None,
            "payment_intent": "pi_3Kordon" + session["id"][-12:],
            "customer_details": {"email": "anna@example.org", "name": "Anna Maria Eriksson", "phone": None}}
    return {
        "id": "evt_1Kordon" + uuid.uuid4().hex[:14], "object": "event", "api_version": "2025-03-31.basil",
        "created": int(time.time()), "data": {"object": paid | changes}, "livemode": False,
        "pending_webhooks": 1, "request": {"id": None, "idempotency_key": None}, "type": kind,
    }


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header: t=<unix time>,v1=<hex HMAC-SHA256 of "t.payload" with the endpoint secret>."""
    t = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={signature}"


def deliver(api: Any, event: dict[str, Any], signature: str | None = None) -> Any:
    """POST an event to the webhook as Stripe does: pretty-printed JSON, signed over the exact bytes."""
    payload = json.dumps(event, indent=2)
    headers = {"HTTP_STRIPE_SIGNATURE": signature if signature is not None else sign(payload)}
    return api.client.post("/api/v1/payments/stripe/webhook", payload, content_type="application/json; charset=utf-8",
                           **headers)
