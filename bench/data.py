"""Bulk data for the benchmarks: a million notices, and a fresh party list for today."""

import random
import secrets
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction

from kordon.crossings.models import Crossing, Direction
from kordon.notices.models import Notice, Traveller
from kordon.notices.references import new_reference
from kordon.text import compact, fold

SURNAMES = ["Janssen", "de Vries", "Müller", "Öztürk", "Ivanova", "Smith", "Rossi", "Nowak", "Tanaka", "Dubois"]
GIVEN = ["Anna", "Lars", "Gül", "Vincent", "Kirstin", "Aigerim", "Timur", "Maria", "John", "Olga"]
BATCH = 10_000


def ensure_notices(total: int, prefix: str = "B") -> int:
    """Make sure `total` background notices exist (one traveller each); return how many were added."""
    have = Traveller.objects.filter(document_number__startswith=prefix).count()
    crossing = Crossing.objects.get(slug="kyzyl-art")
    directions = list(crossing.directions.all())
    today = date.today()

    def spread() -> tuple[Direction, date]:
        return random.choice(directions), today + timedelta(days=random.randint(-365, 365))

    for start in range(have, total, BATCH):
        _add_batch(crossing, spread, prefix, start, min(BATCH, total - start))
    if total > have:
        with connection.cursor() as cursor:  # fresh statistics, as autovacuum would give a live system
            cursor.execute("ANALYZE")
    return max(0, total - have)


def todays_party_list(count: int, day: date) -> list[tuple[str, str]]:
    """`count` new single-traveller notices arriving at kg-bordobo on `day`: (reference, document)."""
    crossing = Crossing.objects.get(slug="kyzyl-art")
    direction = crossing.directions.get(code="TJ-KG")
    prefix = "T" + secrets.token_hex(3).upper()
    made: list[tuple[str, str]] = []
    for start in range(0, count, BATCH):
        batch = _add_batch(crossing, lambda: (direction, day), prefix, start, min(BATCH, count - start))
        made += [(t.notice.reference, t.document_number) for t in batch]
    return made


def _add_batch(crossing: Crossing, where: Callable[[], tuple[Direction, date]], prefix: str, start: int,
               count: int) -> list[Traveller]:
    with transaction.atomic():
        notices = []
        for _ in range(count):
            direction, day = where()
            notices.append(Notice(
                reference=new_reference(), access_token_hash=secrets.token_hex(32), crossing=crossing,
                direction=direction, expected_date=day, fee_total=Decimal("15.00"), fee_currency="USD",
                fee_lines=[{"item": "person", "quantity": 1, "unit_amount": "15.00", "amount": "15.00"}]))
        notices = Notice.objects.bulk_create(notices)
        travellers = []
        for i, notice in enumerate(notices):
            surname, given, number = random.choice(SURNAMES), random.choice(GIVEN), f"{prefix}{start + i:08d}"
            travellers.append(Traveller(
                notice=notice, surname=surname, given_names=given, nationality="NLD", sex="F",
                date_of_birth=date(1980, 1, 31), document_number=number, document_expiry=date(2035, 1, 1),
                document_key=compact(number), name_key=fold(f"{surname} {given}")))
        return Traveller.objects.bulk_create(travellers)
