"""The one small interface behind which every way of paying sits (cash, card gateways, transfers).

Notices and services never talk to a provider's API directly: they hand an `Order` to `start`,
turn a provider's notification into a `Confirmation` with `confirm`, and pay back with `refund`.
A local gateway is added by writing one more implementation and naming it in settings.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar


@dataclass(frozen=True)
class OrderLine:
    description: str
    quantity: int
    unit_amount: Decimal


@dataclass(frozen=True)
class Order:
    """What a provider is asked to collect for one payment of one notice."""

    payment_id: str  # our payment's public id: the provider echoes it back in its notifications
    reference: str  # the notice's reference as printed (KX7F-3M9Q-PA), shown to the payer
    amount: Decimal
    currency: str
    lines: list[OrderLine]
    idempotency_key: str
    email: str = ""
    return_url: str = ""  # where the payer comes back after paying
    cancel_url: str = ""  # where the payer comes back after giving up


@dataclass(frozen=True)
class Started:
    """Where the payer goes next: a provider's page, or instructions to follow elsewhere."""

    provider_reference: str
    redirect_url: str = ""
    instructions: str = ""


@dataclass(frozen=True)
class Evidence:
    """What a provider (its signed notification) or a person (the amount they counted) says happened."""

    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Confirmation:
    """An authenticated statement that a started payment succeeded (or failed), with what was collected."""

    provider_reference: str
    paid: bool
    amount: Decimal
    currency: str
    event_id: str = ""  # the provider's id of this notification; empty when a person confirms
    event_type: str = ""
    details: dict[str, str] = field(default_factory=dict)  # kept on the payment, e.g. a payment intent id


@dataclass(frozen=True)
class RefundOrder:
    original_reference: str
    original_details: Mapping[str, Any]
    amount: Decimal
    currency: str
    idempotency_key: str
    in_person: bool  # a person records this refund as they hand (or send) the money back


@dataclass(frozen=True)
class Refunded:
    provider_reference: str
    done: bool  # False: the money is owed, and a person still has to hand it back


class NotAuthentic(Exception):
    """A notification that cannot be shown to come from the provider. Nothing may be changed."""


class ProviderError(Exception):
    """The provider could not be reached or refused the request; nothing was charged by us."""


class PaymentProvider(ABC):
    """A way of paying. The contract every implementation keeps:

    Implementations MUST
    - in `start`, ask for exactly `order.amount` in `order.currency`, and be idempotent for the same
      `order.idempotency_key`: the same key gives the same provider object, never a second charge;
      starting never means paid;
    - in `confirm`, accept only evidence they can authenticate (a signature over the exact bytes
      received, or a person already authorised by the caller) and raise `NotAuthentic` otherwise;
      report the amount and currency actually collected, as Decimal and upper-case ISO 4217, not
      the amount asked for; give each notification a stable `event_id` so a repeat is recognised;
    - in `refund`, pay back exactly `order.amount` of the payment they collected, idempotently;
    - raise `ProviderError`, never return a half result, when the provider cannot be reached;
    - keep no state of their own: the database is written only by kordon.payments.services.

    Implementations MAY
    - return no `redirect_url` when the payer acts elsewhere (cash at the post, a bank transfer);
    - return None from `confirm` for a notification that says nothing about a payment's outcome;
    - report a refund as not `done` when a person must still hand the money back;
    - override `available` to say they are not configured here (no keys, switched off).
    """

    name: ClassVar[str]
    label: ClassVar[str]
    online: ClassVar[bool]  # the traveller pays on the web, without an officer or administrator

    def available(self) -> bool:
        return True

    @abstractmethod
    def start(self, order: Order) -> Started: ...

    @abstractmethod
    def confirm(self, evidence: Evidence) -> Confirmation | None: ...

    @abstractmethod
    def refund(self, order: RefundOrder) -> Refunded: ...


def counted(evidence: Evidence) -> Confirmation:
    """A confirmation given by a person the caller has authorised (an officer counting cash, an
    administrator reading a bank statement): the fields say what was received. A notification from
    outside (a webhook) carries no such fields and is refused."""
    if not evidence.fields:
        raise NotAuthentic("This provider is confirmed by a person in kordon, not by a notification.")
    return Confirmation(
        provider_reference=evidence.fields["provider_reference"], paid=True,
        amount=Decimal(evidence.fields["amount"]), currency=evidence.fields["currency"].upper(),
    )
