"""A seal holds the travellers' names and passport numbers: it goes when their notice is anonymized.

Anonymization comes long after the seal's arrival window, so no post can still need it; the
revoked-seal list keeps its own copy of the ids it lists, not the seals.
"""

from kordon.seals.models import Seal
from kordon.shredding import Shredder, register


@register
class Seals(Shredder):
    name = "seals"

    def shred(self, notice_ids: list[int]) -> None:
        Seal.objects.filter(notice_id__in=notice_ids).delete()
