"""What a traveller asks for, checked by the filing rules and stored by the services."""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date

from kordon.crossings.models import Crossing


@dataclass
class TravellerInput:
    surname: str
    given_names: str
    nationality: str
    sex: str
    date_of_birth: date
    document_number: str
    document_expiry: date
    mrz: list[str] = field(default_factory=list)


@dataclass
class VehicleInput:
    plate: str
    country: str
    kind: str
    make: str = ""
    model: str = ""


@dataclass
class NoticeInput:
    crossing: Crossing
    direction: str
    expected_date: date
    travellers: list[TravellerInput]
    email: str = ""
    phone: str = ""
    vehicle: VehicleInput | None = None
    idempotency_key: str = ""

    def fingerprint(self) -> str:
        """Hash of what was asked, so a replayed idempotency key with another body is refused."""
        body = asdict(self) | {"crossing": self.crossing.slug, "idempotency_key": ""}
        return hashlib.sha256(json.dumps(body, default=str, sort_keys=True).encode()).hexdigest()
