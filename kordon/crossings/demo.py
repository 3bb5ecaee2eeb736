"""The Kyzyl-Art crossing as travellers describe it (see the traveller's account in the docs)."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction

from kordon.crossings.models import Crossing, CurrencyRate, Direction, FeeLine, NationalityRule, Post


@transaction.atomic
def load_kyzyl_art() -> Crossing:
    """Create or refresh the demo crossing; safe to run again (it updates in place)."""
    crossing, _ = Crossing.objects.update_or_create(slug="kyzyl-art", defaults={
        "name": "Kyzyl-Art pass", "lead_time_days": 5, "document_validity_days": 0,
        "arrival_days_early": 0, "arrival_days_late": 1, "altitude_m": 4282,
        "visa": "", "car_tax": "", "car_insurance": "", "carnet": "",
        "notes": "The two posts are about 20 km apart, with no traffic or public transport between them. "
                 "Snow is possible in any month; the descent on the Tajik side is steep clay track.",
        "services_nearby": "Sary-Tash (Kyrgyzstan): SIM cards, money exchange, diesel.",
        # Cash at the post, card online (offered once Stripe keys are set), bank transfer (once an
        # account is set); the sandbox only where KORDON_SANDBOX_PAYMENTS is on (make run). The refund
        # rule and the rates below are demonstration values, not the authority's.
        "payment_providers": "cash,stripe,bank_transfer" + (",sandbox" if settings.KORDON_SANDBOX_PAYMENTS else ""),
        "payment_required_before_entry": False, "refund_until_days_before": 3, "display_currencies": "KGS,TJS",
    })
    tj, _ = Post.objects.update_or_create(code="tj-kyzyl-art", defaults={
        "crossing": crossing, "name": "Kyzyl-Art (Tajik post)", "country": "TJ",
        "timezone": "Asia/Dushanbe", "side": "Tajik side"})
    kg, _ = Post.objects.update_or_create(code="kg-bordobo", defaults={
        "crossing": crossing, "name": "Bordobo (Kyrgyz post)", "country": "KG",
        "timezone": "Asia/Bishkek", "side": "Kyrgyz side"})
    Direction.objects.update_or_create(crossing=crossing, code="TJ-KG", defaults={"from_post": tj, "to_post": kg})
    Direction.objects.update_or_create(crossing=crossing, code="KG-TJ", defaults={"from_post": kg, "to_post": tj})
    FeeLine.objects.update_or_create(crossing=crossing, item="person",
                                     defaults={"amount": Decimal("15.00"), "currency": "USD"})
    # Demonstration rates, for the estimate shown to travellers; administrators keep the real ones.
    for currency, rate in (("KGS", "87.0"), ("TJS", "10.9")):
        CurrencyRate.objects.get_or_create(base="USD", currency=currency, defaults={"rate": Decimal(rate)})
    NationalityRule.objects.update_or_create(crossing=crossing, nationality="TJK", direction=None, defaults={
        "message": "Citizens of Tajikistan may not cross at Kyzyl-Art. Please use another crossing."})
    return crossing
