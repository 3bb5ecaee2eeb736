"""The notifications app reacts to what the domain apps announce; they never import it."""

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from kordon.notices.signals import link_requested, notice_cancelled
from kordon.notifications.models import Kind
from kordon.notifications.services import notify
from kordon.payments.signals import receipt_issued
from kordon.review.signals import notice_held
from kordon.seals.signals import seal_issued


@receiver(seal_issued, dispatch_uid="notifications.seal_issued")
def _seal_issued(sender: Any, seal: Any, **kwargs: Any) -> None:
    kind = Kind.CONFIRMATION if seal.number == 1 else Kind.AMENDMENT
    notify(seal.notice, kind, occasion=f"seal-{seal.number}", subject_id=seal.pk)


@receiver(receipt_issued, dispatch_uid="notifications.receipt_issued")
def _receipt_issued(sender: Any, receipt: Any, **kwargs: Any) -> None:
    kind = Kind.REFUND if receipt.kind == "refund" else Kind.RECEIPT
    notify(receipt.notice, kind, occasion=receipt.number, subject_id=receipt.pk)


@receiver(notice_cancelled, dispatch_uid="notifications.notice_cancelled")
def _notice_cancelled(sender: Any, notice: Any, **kwargs: Any) -> None:
    notify(notice, Kind.CANCELLATION)


@receiver(notice_held, dispatch_uid="notifications.notice_held")
def _notice_held(sender: Any, review: Any, **kwargs: Any) -> None:
    notify(review.notice, Kind.UNDER_REVIEW, occasion=f"review-{review.pk}", subject_id=review.pk)


@receiver(link_requested, dispatch_uid="notifications.link_requested")
def _link_requested(sender: Any, notice: Any, site_url: str, **kwargs: Any) -> None:
    from kordon.notifications.tasks import send_link

    notice_pk = notice.pk
    transaction.on_commit(lambda: send_link.enqueue(notice_pk, site_url))
