"""What a reviewer does: take the queue, read a notice (recorded), accept or refuse it with a reason."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kordon.audit.services import Actor, record
from kordon.notices import services as notices
from kordon.notices.models import NoticeStatus
from kordon.payments.services import refund_on_cancellation
from kordon.problems import Refused
from kordon.review.models import Decision, Review
from kordon.review.signals import review_decided


def queue() -> QuerySet[Review]:
    """The open reviews of notices still under review, oldest first."""
    return (Review.objects.filter(decided_at__isnull=True, notice__status=NoticeStatus.UNDER_REVIEW)
            .select_related("notice__crossing", "notice__direction__to_post").order_by("opened_at", "pk"))


@dataclass(frozen=True)
class QueueTimes:
    waiting: int
    oldest_opened_at: datetime | None
    decided_today: int
    median_minutes: int | None  # time in the queue of the reviews decided in the last 7 days


def times() -> QueueTimes:
    """How long notices wait for a person: now, and lately."""
    open_ = list(queue().values_list("opened_at", flat=True))
    now = timezone.now()
    recent = Review.objects.filter(decided_at__gte=now - timedelta(days=7))
    waits = [(r.decided_at - r.opened_at).total_seconds() for r in recent.only("opened_at", "decided_at")
             if r.decided_at]
    return QueueTimes(
        waiting=len(open_), oldest_opened_at=min(open_) if open_ else None,
        decided_today=recent.filter(decided_at__date=timezone.localdate()).count(),
        median_minutes=round(median(waits) / 60) if waits else None)


def open_review(pk: int, actor: Actor) -> Review:
    """The review to show a reviewer, its reading recorded (a reviewer sees a traveller's data)."""
    review = Review.objects.select_related("notice__crossing", "notice__direction__to_post").filter(pk=pk).first()
    if review is None:
        raise Refused.one(None, "not_found", _("No such review."))
    record(actor, "review.read", reference=review.notice.reference, obj=review)
    return review


def _decide(review: Review, actor: Actor, decision: str, note: str) -> Review:
    review = Review.objects.select_for_update().select_related("notice").get(pk=review.pk)
    if review.decided_at is not None or review.notice.status != NoticeStatus.UNDER_REVIEW:
        raise Refused.one(None, "already_decided", _("This notice was decided already; the queue shows what is "
                                                     "still open."))
    review.decided_at, review.decision, review.decided_by, review.note = timezone.now(), decision, actor.user, note
    review.save(update_fields=["decided_at", "decision", "decided_by", "note"])
    record(actor, f"review.{decision}", reference=review.notice.reference, obj=review, note=note,
           waited_seconds=round(review.waited))
    review_decided.send(sender=Review, review=review)
    return review


def accept(review: Review, actor: Actor, note: str = "") -> Review:
    """The notice is accepted: on the entry list again and sealed (the traveller's confirmation follows)."""
    with transaction.atomic():
        review = _decide(review, actor, Decision.ACCEPTED, note.strip())
        notices.release_review(review.notice, actor)
    return review


def refuse(review: Review, actor: Actor, reason: str) -> Review:
    """The notice is refused with a reason, which the traveller is told; it is cancelled, and what was
    paid is refunded per the crossing's rule (after the refusal is committed, like any cancellation)."""
    reason = reason.strip()
    if not reason:
        raise Refused.one("reason", "required", _("Say why the notice is refused: the traveller is told."))
    with transaction.atomic():
        review = _decide(review, actor, Decision.REFUSED, reason)
        notice = notices.cancel_notice(review.notice, actor)
    refund_on_cancellation(notice, actor)
    return review
