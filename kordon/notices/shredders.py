"""What a notice holds of its travellers: names, document numbers, MRZ, contacts and plates.

References, status, fees, stamps and nationalities stay, for statistics; the date of birth gets a
placeholder (the column cannot be empty).
"""

from datetime import date

from django.utils import timezone

from kordon.notices.models import Notice, Traveller, Vehicle
from kordon.shredding import Shredder, register

ANONYMIZED = "ANONYMIZED"
PLACEHOLDER_BIRTH_DATE = date(1900, 1, 1)


@register
class Travellers(Shredder):
    name = "travellers"

    def shred(self, notice_ids: list[int]) -> None:
        Traveller.objects.filter(notice_id__in=notice_ids).update(
            surname=ANONYMIZED, given_names="", document_number="", document_key="", name_key="", mrz="",
            date_of_birth=PLACEHOLDER_BIRTH_DATE)


@register
class Vehicles(Shredder):
    name = "vehicles"

    def shred(self, notice_ids: list[int]) -> None:
        Vehicle.objects.filter(notice_id__in=notice_ids).update(plate="", plate_key="", make="", model="")


@register
class Contacts(Shredder):
    name = "contacts"

    def shred(self, notice_ids: list[int]) -> None:
        Notice.objects.filter(pk__in=notice_ids).update(contact_email="", contact_phone="", updated_at=timezone.now())
