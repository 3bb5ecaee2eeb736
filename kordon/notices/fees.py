"""The fee of a notice, computed from its crossing's fee lines. Money is Decimal, never float."""

from dataclasses import dataclass
from decimal import Decimal

from kordon.crossings.models import Crossing


@dataclass(frozen=True)
class FeeLine:
    item: str
    quantity: int
    unit_amount: Decimal

    @property
    def amount(self) -> Decimal:
        return self.unit_amount * self.quantity


@dataclass(frozen=True)
class Fee:
    currency: str
    lines: list[FeeLine]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    def lines_json(self) -> list[dict[str, object]]:
        return [
            {"item": x.item, "quantity": x.quantity, "unit_amount": f"{x.unit_amount:.2f}", "amount": f"{x.amount:.2f}"}
            for x in self.lines
        ]


def compute(crossing: Crossing, travellers: int, vehicle_kind: str | None) -> Fee:
    """Per-person lines times the party's size, plus the line for the vehicle's kind if any.

    A crossing with no fee lines charges nothing. All lines of a crossing share one currency
    (the admin refuses to save mixed ones), so the first line's currency is the notice's.
    """
    configured = {line.item: line for line in crossing.fee_lines.all()}
    wanted = [("person", travellers)]
    if vehicle_kind:
        wanted.append((f"vehicle:{vehicle_kind}", 1))
    lines = [FeeLine(item, qty, configured[item].amount) for item, qty in wanted if item in configured and qty]
    currency = next(iter(configured.values())).currency if configured else "USD"
    return Fee(currency, lines)
