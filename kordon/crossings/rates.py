"""Amounts in local money at the administrators' rates: shown to travellers, never charged."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from kordon.crossings.models import Crossing, CurrencyRate


@dataclass(frozen=True)
class Estimate:
    """An amount in another currency at an administrator's rate: never what is charged."""

    amount: Decimal
    currency: str
    rate_date: date


def estimates(amount: Decimal, currency: str, crossing: Crossing) -> list[Estimate]:
    """`amount` in the crossing's local currencies, rounded to whole units (it is only an estimate)."""
    wanted = crossing.local_currencies()
    if not wanted or not amount:
        return []
    rates = {r.currency: r for r in CurrencyRate.objects.filter(base=currency, currency__in=wanted)}
    return [
        Estimate((amount * rates[code].rate).quantize(Decimal("1"), ROUND_HALF_UP), code,
                 rates[code].updated_at.date())
        for code in wanted if code in rates
    ]
