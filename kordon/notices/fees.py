"""The fee of a notice, computed from its crossing's fee lines. Money is Decimal, never float."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from kordon.crossings.models import Crossing, FeeExemption
from kordon.crossings.rates import Estimate, estimates  # noqa: F401 - used by the payment panel


class Payer(Protocol):
    """What the fee needs to know about a traveller: exemptions go by age and nationality."""

    date_of_birth: date
    nationality: str


@dataclass(frozen=True)
class FeeLine:
    item: str
    quantity: int
    unit_amount: Decimal
    exemption: str = ""  # the exemption's label when these travellers pay nothing

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
        return [_line_json(x) for x in self.lines]


def _line_json(line: FeeLine) -> dict[str, object]:
    data: dict[str, object] = {"item": line.item, "quantity": line.quantity,
                               "unit_amount": f"{line.unit_amount:.2f}", "amount": f"{line.amount:.2f}"}
    if line.exemption:
        data["exemption"] = line.exemption
    return data


def compute(crossing: Crossing, travellers: Sequence[Payer], vehicle_kind: str | None, on: date) -> Fee:
    """Per-person lines for the travellers who are not exempt, plus the line for the vehicle's kind.

    Exemptions are judged on the crossing date `on` (a child's age then, not when filing); exempt
    travellers appear as their own line at 0.00 with the exemption's label, so the receipt shows why.
    A crossing with no fee lines charges nothing. All lines of a crossing share one currency
    (the admin refuses to save mixed ones), so the first line's currency is the notice's.
    """
    configured = {line.item: line for line in crossing.fee_lines.all()}
    lines: list[FeeLine] = []
    person = configured.get("person")
    if person is not None:
        exempt = _exemptions(list(crossing.fee_exemptions.all()), travellers, on)
        paying = len(travellers) - sum(exempt.values())
        if paying:
            lines.append(FeeLine("person", paying, person.amount))
        lines += [FeeLine("person", count, Decimal("0.00"), label) for label, count in exempt.items()]
    if vehicle_kind and f"vehicle:{vehicle_kind}" in configured:
        lines.append(FeeLine(f"vehicle:{vehicle_kind}", 1, configured[f"vehicle:{vehicle_kind}"].amount))
    currency = next(iter(configured.values())).currency if configured else "USD"
    return Fee(currency, lines)


def _exemptions(rules: list[FeeExemption], travellers: Sequence[Payer], on: date) -> Counter[str]:
    """How many travellers each exemption covers; a traveller counts once, under the first rule that fits."""
    counts: Counter[str] = Counter()
    for traveller in travellers:
        rule = next((r for r in rules if r.applies(traveller.date_of_birth, traveller.nationality, on)), None)
        if rule is not None:
            counts[rule.label] += 1
    return counts


def with_newcomer(frozen_lines: list[dict[str, object]], crossing: Crossing, traveller: Payer,
                  on: date) -> tuple[list[dict[str, object]], Decimal]:
    """A filed fee plus one traveller added later: the lines filed stay as they were (frozen);
    the newcomer is priced by today's schedule. Returns the new lines and the amount added."""
    added = compute(crossing, [traveller], None, on).lines
    lines = [dict(line) for line in frozen_lines]
    for new in added:
        same = next((x for x in lines if (x["item"], x["unit_amount"], x.get("exemption", ""))
                     == (new.item, f"{new.unit_amount:.2f}", new.exemption)), None)
        if same is None:
            lines.append(_line_json(new))
            continue
        same["quantity"] = int(str(same["quantity"])) + new.quantity
        same["amount"] = f"{Decimal(str(same['unit_amount'])) * int(str(same['quantity'])):.2f}"
    return lines, sum((line.amount for line in added), Decimal("0.00"))


