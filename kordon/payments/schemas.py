"""The shapes of the payments' answers (kordon.answers says how schemas and builders meet)."""

from pydantic import Field

from kordon.answers import IsoMoment, MoneyText, Out


class ReceiptLineOut(Out):
    description: str
    quantity: int
    amount: MoneyText


class ReceiptOut(Out):
    receipt_number: str
    kind: str
    amount: MoneyText
    currency: str
    reference: str
    method: str = Field(description="The provider: cash, stripe, bank_transfer…")
    method_label: str
    payer: str
    office: str
    office_name: str
    issued_at: IsoMoment
    lines: list[ReceiptLineOut]


class CashReceiptOut(ReceiptOut):
    payment_status: str


class CheckedReceiptOut(ReceiptOut):
    valid: bool
    refunded: bool


class PaymentOut(Out):
    id: str
    kind: str = Field(description="`payment` or `refund`")
    provider: str
    status: str
    amount: MoneyText
    currency: str
    receipt_number: str | None
    created_at: IsoMoment


class CheckoutOut(PaymentOut):
    redirect_url: str | None = Field(description="Where the payer goes next, or null")
    instructions: str | None = Field(description="What to do instead (a bank transfer), or null")


class PaymentsOut(Out):
    reference: str
    payment_status: str
    outstanding: MoneyText
    currency: str
    payments: list[PaymentOut]


class NotificationOut(Out):
    outcome: str
