"""Demo parties, so that anyone trying kordon finds people to stamp at both posts today and tomorrow.

Created only by `kordon demoparties` (run by `make run`), never by a migration, and refused
without DEBUG. Every demo notice is marked `is_demo` and its travellers' names say "Demo", so the
console and the admin show them for what they are.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from kordon.audit.services import SYSTEM, record
from kordon.crossings.models import Crossing, Direction
from kordon.notices import services
from kordon.notices.inputs import NoticeInput, TravellerInput, VehicleInput
from kordon.notices.models import Notice
from kordon.seals import services as seals
from kordon.tokens import new_token


@dataclass(frozen=True)
class DemoParty:
    travellers: list[tuple[str, str, str, str, date]]  # surname, given names, nationality, sex, birth date
    vehicle: tuple[str, str, str] | None = None  # plate, country, kind


# Who arrives at each post on each demo day ("today" is offset 0). Extend here for more posts or days.
DEMO_PARTIES: dict[int, list[DemoParty]] = {
    0: [
        DemoParty([("Demo-Janssen", "Kirstin", "NLD", "F", date(1984, 3, 14)),
                   ("Demo-de Vries", "Vincent", "NLD", "M", date(1982, 9, 2))], ("VX-123-B", "NL", "camper")),
        DemoParty([("Demo-Müller", "Jonas", "DEU", "M", date(1991, 6, 30))]),
    ],
    1: [
        DemoParty([("Demo-Tanaka", "Yui", "JPN", "F", date(1995, 1, 8))], ("KA 4471 B", "DE", "motorcycle")),
        DemoParty([("Demo-Moreau", "Camille", "FRA", "X", date(1978, 11, 21))]),
    ],
}


def create_demo_parties(crossing_slug: str = "kyzyl-art") -> list[Notice]:
    """Demo notices listed today and tomorrow (each post's own date) at every post of the crossing.

    Safe to run again: a post and day that has demo notices already gets no more. The lead time is
    skipped on purpose (a new notice needs days of notice, the demo needs people today).
    """
    crossing = Crossing.objects.get(slug=crossing_slug)
    created = []
    for direction in crossing.directions.select_related("to_post", "from_post"):
        today = direction.to_post.local_today()
        for offset, parties in DEMO_PARTIES.items():
            day = today + timedelta(days=offset)
            if Notice.objects.filter(direction=direction, expected_date=day, is_demo=True).exists():
                continue
            created += [_file(crossing, direction, day, party, index) for index, party in enumerate(parties)]
    return created


@transaction.atomic
def _file(crossing: Crossing, direction: Direction, day: date, party: DemoParty, index: int) -> Notice:
    travellers = [
        TravellerInput(surname=surname, given_names=given, nationality=nationality, sex=sex, date_of_birth=born,
                       document_number=_document_number(direction, day, index, position),
                       document_expiry=day + timedelta(days=3 * 365))
        for position, (surname, given, nationality, sex, born) in enumerate(party.travellers)
    ]
    vehicle = VehicleInput(*party.vehicle) if party.vehicle else None
    data = NoticeInput(crossing=crossing, direction=direction.code, expected_date=day, travellers=travellers,
                       email="demo-traveller@example.invalid", vehicle=vehicle)
    notice = services.create_notice(crossing, direction, data, new_token(), is_demo=True)
    record(SYSTEM, "notice.demo_created", reference=notice.reference, obj=notice, expected_date=str(day))
    seals.issue_for(notice)
    return notice


def _document_number(direction: Direction, day: date, index: int, position: int) -> str:
    """A number that says "demo" and differs per post, day and person (the duplicate rule stays meaningful)."""
    return f"DEMO{direction.to_post.country}{day:%m%d}{index}{position}"
