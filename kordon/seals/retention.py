"""A seal holds the travellers' names and passport numbers: it goes when their notice is anonymized.

Anonymization comes long after the seal's arrival window, so no post can still need it; the
revoked-seal list keeps its own copy of the ids it lists, not the seals.
"""

from typing import Any

from django.dispatch import receiver

from kordon.documents.signals import personal_data_anonymized
from kordon.seals.models import Seal


@receiver(personal_data_anonymized)
def delete_seals(sender: Any, notice_ids: list[int], **kwargs: Any) -> None:
    Seal.objects.filter(notice_id__in=notice_ids).delete()
