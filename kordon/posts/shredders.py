"""Refusals carry a typed name and document number, of a notice's traveller or of someone not in kordon."""

from datetime import datetime

from kordon.posts.models import Refusal
from kordon.shredding import Shredder, register


@register
class Refusals(Shredder):
    name = "refusals"

    def shred(self, notice_ids: list[int]) -> None:
        Refusal.objects.filter(notice_id__in=notice_ids).update(document_number="", name="")

    def shred_unlinked(self, crossing_id: int, before: datetime) -> int:
        return (Refusal.objects.filter(post__crossing_id=crossing_id, notice__isnull=True, at__lt=before)
                .exclude(name="", document_number="").update(name="", document_number=""))
