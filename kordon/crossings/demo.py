"""The Kyzyl-Art crossing as travellers describe it (see the traveller's account in the docs)."""

from datetime import date, time
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from kordon.crossings.models import (
    ClosedDate,
    Crossing,
    CurrencyRate,
    Direction,
    ExitPermit,
    FeeLine,
    NationalityRule,
    OpeningHours,
    Post,
)

# Public holidays on fixed dates (month, day, name): demonstration closed dates, not the authority's.
HOLIDAYS = {
    "KG": [(1, 1, "New Year's Day"), (1, 7, "Orthodox Christmas"), (2, 23, "Defender of the Fatherland Day"),
           (3, 8, "International Women's Day"), (3, 21, "Nooruz"), (5, 1, "Labour Day"),
           (5, 5, "Constitution Day"), (5, 9, "Victory Day"), (8, 31, "Independence Day"),
           (11, 7, "Days of History and Remembrance")],
    "TJ": [(1, 1, "New Year's Day"), (3, 8, "Mother's Day"), (3, 21, "Navruz"), (3, 22, "Navruz"),
           (5, 1, "Labour Day"), (5, 9, "Victory Day"), (6, 27, "National Unity Day"),
           (9, 9, "Independence Day"), (11, 6, "Constitution Day")],
}


@transaction.atomic
def load_kyzyl_art(holidays: bool = True) -> Crossing:
    """Create or refresh the demo crossing; safe to run again (it updates in place).

    `holidays=False` leaves out the closed dates (the test suite files for "in six days", whatever
    day that is; opening-day tests add their own).
    """
    crossing, _ = Crossing.objects.update_or_create(slug="kyzyl-art", defaults={
        "name": "Kyzyl-Art pass", "lead_time_days": 5, "document_validity_days": 0,
        "arrival_days_early": 0, "arrival_days_late": 1, "altitude_m": 4282, "transit_hours": 6,
        "visa": "", "car_tax": "", "car_insurance": "", "carnet": "",
        "notes": "The two posts are about 20 km apart. The Kyrgyz post stamps you in only when your name is on "
                 "its list for the day: travellers who came days early have waited a night outside the gate.",
        "what_to_bring": "Passport of every traveller (a copy goes with the notice)\n"
                         "Vehicle registration papers and the plate number (copies go with the notice)\n"
                         "A photo of the vehicle\n"
                         "The notice's reference, printed or on your phone\n"
                         "The entry fee in US dollars cash, unless you paid online\n"
                         "Permits issued when you entered Tajikistan: the Tajik post takes them back",
        "seasonal_notes": "The pass is at 4,282 m and can be snowy into June: at the end of May travellers met snow, "
                          "and a 3 km descent of wet clay track on the Tajik side. Nights are cold all year.",
        "services_nearby": "Nothing at the posts. Sary-Tash, the first village in Kyrgyzstan: SIM cards, money "
                           "exchange, diesel.",
        "transport_between_posts": "None. There is almost no traffic between the posts and citizens of Tajikistan "
                                   "may not cross here: come with your own vehicle or bicycle.",
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
    for post in (tj, kg):
        _opening_days(post, holidays)
    tj_kg, _ = Direction.objects.update_or_create(crossing=crossing, code="TJ-KG",
                                                  defaults={"from_post": tj, "to_post": kg})
    Direction.objects.update_or_create(crossing=crossing, code="KG-TJ", defaults={"from_post": kg, "to_post": tj})
    # What the Tajik post takes back from those leaving: the GBAO (Pamir) zone permit and the personal permit.
    for code, name in (("gbao", "GBAO special permit"), ("personal", "Personal permit")):
        ExitPermit.objects.update_or_create(crossing=crossing, direction=tj_kg, code=code, defaults={"name": name})
    FeeLine.objects.update_or_create(crossing=crossing, item="person",
                                     defaults={"amount": Decimal("15.00"), "currency": "USD"})
    # Demonstration rates, for the estimate shown to travellers; administrators keep the real ones.
    for currency, rate in (("KGS", "87.0"), ("TJS", "10.9")):
        CurrencyRate.objects.get_or_create(base="USD", currency=currency, defaults={"rate": Decimal(rate)})
    NationalityRule.objects.update_or_create(crossing=crossing, nationality="TJK", direction=None, defaults={
        "message": "Citizens of Tajikistan may not cross at Kyzyl-Art. Please use another crossing."})
    return crossing


def _opening_days(post: Post, holidays: bool) -> None:
    """Open every day 08:00-17:00 local time; closed on the country's public holidays this year and next."""
    for weekday in range(7):
        OpeningHours.objects.update_or_create(post=post, weekday=weekday,
                                              defaults={"opens": time(8), "closes": time(17)})
    if not holidays:
        return
    year = post.local_today().year
    for y in (year, year + 1):
        for month, day, name in HOLIDAYS[post.country]:
            ClosedDate.objects.get_or_create(post=post, date=date(y, month, day), defaults={"reason": name})
