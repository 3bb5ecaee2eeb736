"""The agencies app reacts to what the apps below announce: each event of an agency's notice is a webhook."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from kordon.agencies.models import AgencyNotice, WebhookDelivery
from kordon.agencies.webhooks import announce
from kordon.notices.models import Notice, NoticeStatus
from kordon.notices.signals import notice_amended, notice_cancelled, notice_filed
from kordon.posts.models import Refusal, Stamp, StampKind
from kordon.review.signals import review_decided


@receiver(notice_filed, dispatch_uid="agencies.notice_filed")
def _filed(sender: Any, notice: Any, **kwargs: Any) -> None:
    announce(notice, "filed")
    if notice.status == NoticeStatus.ACCEPTED:
        announce(notice, "accepted")


@receiver(notice_amended, dispatch_uid="agencies.notice_amended")
def _amended(sender: Any, notice: Any, **kwargs: Any) -> None:
    announce(notice, "amended")


@receiver(notice_cancelled, dispatch_uid="agencies.notice_cancelled")
def _cancelled(sender: Any, notice: Any, **kwargs: Any) -> None:
    announce(notice, "cancelled")


@receiver(review_decided, dispatch_uid="agencies.review_decided")
def _decided(sender: Any, review: Any, **kwargs: Any) -> None:
    announce(review.notice, "accepted" if review.decision == "accepted" else "refused")


@receiver(post_save, sender=Stamp, dispatch_uid="agencies.stamp")
def _stamped(sender: Any, instance: Stamp, created: bool, **kwargs: Any) -> None:
    """The notice is marked entered after its last stamp is inserted: look once the stamp is committed
    (and only for an agency's notice with a webhook: the stamp's path stays as it was for the others)."""
    if not created or instance.kind != StampKind.ENTRY:
        return
    notice_id = instance.notice_id
    transaction.on_commit(lambda: _entered(notice_id))


def _entered(notice_id: int) -> None:
    if not AgencyNotice.objects.filter(notice_id=notice_id).exclude(agency__webhook_url="").exists():
        return
    notice = Notice.objects.get(pk=notice_id)
    if notice.status == NoticeStatus.ENTERED and not WebhookDelivery.objects.filter(
            notice=notice, event="entered").exists():
        with transaction.atomic():
            announce(notice, "entered")


@receiver(post_save, sender=Refusal, dispatch_uid="agencies.refusal")
def _refused_at_the_post(sender: Any, instance: Refusal, created: bool, **kwargs: Any) -> None:
    if created and instance.notice is not None:
        announce(instance.notice, "refused")
