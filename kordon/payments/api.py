"""Payments over JSON (see /api/v1/openapi.json): cash at a post, online payments, webhooks, receipt checks."""

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, WithJsonSchema

from kordon.notices.access import owned_notice, readable_notice
from kordon.notices.owners import PAY
from kordon.payments import balance, receipts, services
from kordon.payments.models import Payment, Receipt
from kordon.payments.providers.interface import Evidence
from kordon.payments.schemas import CashReceiptOut, CheckedReceiptOut, CheckoutOut, NotificationOut, PaymentsOut
from kordon.posts.access import officer_at
from kordon.problems import Refused

router = Router()

_MONEY = re.compile(r"(0|[1-9][0-9]{0,7})(\.[0-9]{1,2})?")


def _money(value: object) -> Decimal:
    """Money arrives as a decimal string ("15.00"): a JSON number could already have lost cents."""
    if not isinstance(value, str) or not _MONEY.fullmatch(value.strip()):
        raise ValueError(_('Send the amount as a decimal string with at most two decimals, e.g. "15.00"'))
    amount = Decimal(value.strip())
    if amount <= 0:
        raise ValueError(_("The amount must be more than zero"))
    return amount


Money = Annotated[Decimal, BeforeValidator(_money),
                  WithJsonSchema({"type": "string", "pattern": r"^\d{1,8}(\.\d{1,2})?$", "example": "15.00"})]
Currency = Field(pattern=r"^[A-Za-z]{3}$", description="ISO 4217, e.g. USD")


class CashPaymentIn(Schema):
    reference: str = Field(min_length=1, max_length=20)
    amount: Money
    currency: str = Currency
    method: Literal["cash"]
    idempotency_key: str = Field(min_length=1, max_length=200)
    payer: str = Field("", max_length=200, description="Who paid; the first traveller if not given")


class StartPaymentIn(Schema):
    provider: str = Field(min_length=1, max_length=30, description="e.g. stripe, bank_transfer, sandbox")


class ReceiptQuery(Schema):
    reference: str = Field(min_length=1, max_length=20, description="The notice reference printed on the receipt")


def receipt_json(receipt: Receipt) -> dict[str, Any]:
    return {
        "receipt_number": receipt.number, "kind": receipt.kind, "amount": f"{receipt.amount:.2f}",
        "currency": receipt.currency, "reference": receipt.notice.reference, "method": receipt.provider,
        "method_label": receipt.method, "payer": receipt.payer, "office": receipt.office,
        "office_name": receipt.office_name, "issued_at": receipt.issued_at.isoformat(), "lines": receipt.lines,
    }


def payment_json(payment: Payment) -> dict[str, Any]:
    receipt = getattr(payment, "receipt", None)
    return {
        "id": payment.public_id, "kind": payment.kind, "provider": payment.provider, "status": payment.status,
        "amount": f"{payment.amount:.2f}", "currency": payment.currency,
        "receipt_number": receipt.number if receipt else None, "created_at": payment.created_at.isoformat(),
    }


def _site_url(request: HttpRequest) -> str:
    return settings.KORDON_BASE_URL or request.build_absolute_uri("/").rstrip("/")


@router.post("/posts/{code}/payments", summary="Record a cash payment at the post, with its receipt",
             response={200: CashReceiptOut, 201: CashReceiptOut}, exclude_unset=True)
def record_cash_payment(request: HttpRequest, code: str, payload: CashPaymentIn) -> Status[dict[str, Any]]:
    officer, post = officer_at(request, code)
    result = services.record_cash_payment(officer, post, payload.reference, payload.amount, payload.currency,
                                          payload.idempotency_key, payload.payer)
    body = receipt_json(result.receipt) | {"payment_status": result.payment.notice.payment_status}
    return Status(201 if result.created else 200, body)


@router.post("/notices/{reference}/payments", summary="Start paying a notice online (access token)",
             response={200: CheckoutOut, 201: CheckoutOut}, exclude_unset=True)
def start_payment(request: HttpRequest, reference: str, payload: StartPaymentIn) -> Status[dict[str, Any]]:
    notice = owned_notice(request, reference, scope=PAY)
    checkout = services.start_online_payment(notice, payload.provider, _site_url(request))
    url = checkout.redirect_url
    body = payment_json(checkout.payment) | {
        "redirect_url": request.build_absolute_uri(url) if url else None,
        "instructions": checkout.instructions or None,
    }
    return Status(201 if checkout.created else 200, body)


@router.get("/notices/{reference}/payments", summary="A notice's payments, refunds and receipt numbers",
            response=PaymentsOut, exclude_unset=True)
def list_payments(request: HttpRequest, reference: str) -> dict[str, Any]:
    notice = readable_notice(request, reference)
    payments = notice.payments.select_related("receipt").order_by("created_at", "pk")
    return {"reference": notice.reference, "payment_status": notice.payment_status,
            "outstanding": f"{balance.outstanding(notice):.2f}", "currency": notice.fee_currency,
            "payments": [payment_json(p) for p in payments]}


@router.post("/payments/{provider}/webhook", summary="A payment provider's notification (e.g. Stripe's webhook)",
             response=NotificationOut)
def webhook(request: HttpRequest, provider: str) -> dict[str, str]:
    # The raw bytes, exactly as received: the signature is computed over them.
    outcome = services.receive_notification(provider, Evidence(body=request.body, headers=request.headers))
    return {"outcome": outcome}


@router.get("/receipts/{number}", summary="Check a receipt: anyone holding its number and notice reference",
            response=CheckedReceiptOut, exclude_unset=True)
def verify_receipt(request: HttpRequest, number: str, query: Query[ReceiptQuery]) -> dict[str, Any]:
    receipt = receipts.find(number, query.reference)
    if receipt is None:
        raise Refused.one(None, "not_found", _("No receipt with this number for this notice reference. Check "
                                               "both as printed on the receipt."))
    return receipt_json(receipt) | {"valid": True, "refunded": receipts.is_refunded(receipt)}
