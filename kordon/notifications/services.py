"""What kordon tells travellers, each once: `notify` records it, a task delivers it after commit.

`notify` is called inside the transaction of what it announces (a seal, a receipt, a cancellation):
the row and the queued delivery live or die with it. Delivery claims the row with a conditional
UPDATE and a lease, so two workers never send one notification, and a worker killed mid-send leaves
a row that `resume_due` hands to the next worker once the lease has run out.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from kordon.crossings.models import Post
from kordon.notices import services as notice_services
from kordon.notices.links import notice_link
from kordon.notices.models import Notice, NoticeStatus
from kordon.notifications.channels import Undelivered, channel
from kordon.notifications.compose import after_sent, compose, compose_link
from kordon.notifications.models import Channel, Kind, NoticeRecipient, Notification, Recipient, Status

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
WINDOW = timedelta(hours=24)  # WhatsApp's customer-service window
ACTIVE = [NoticeStatus.ACCEPTED, NoticeStatus.UNDER_REVIEW]


def notify(notice: Notice, kind: Kind, *, occasion: str = "", subject_id: int | None = None) -> Notification | None:
    """Record that `notice`'s traveller is to be told `kind` (once per occasion); deliver after commit."""
    row, created = Notification.objects.get_or_create(
        notice=notice, kind=kind, occasion=occasion, defaults={"subject_id": subject_id})
    if not created:
        return None
    from kordon.notifications.tasks import deliver

    transaction.on_commit(lambda: deliver.enqueue(row.pk))
    return row


# --- who hears it ------------------------------------------------------------------------------


def heard_from(channel_name: str, address: str, language: str = "") -> Recipient:
    """Someone wrote to us: their 24-hour window opens now; remember their language."""
    recipient, _ = Recipient.objects.get_or_create(channel=channel_name, address=address)
    recipient.last_heard_at = timezone.now()
    if language:
        recipient.language = language
    recipient.save(update_fields=["last_heard_at", "language"])
    return recipient


def route_to(notice: Notice, recipient: Recipient) -> None:
    """Send `notice`'s notifications to `recipient` (the channel the traveller filed through)."""
    NoticeRecipient.objects.update_or_create(notice=notice, defaults={"recipient": recipient})


def stop(channel_name: str, address: str) -> bool:
    """The person asked for no more notifications; True when they were receiving them."""
    recipient, _ = Recipient.objects.get_or_create(channel=channel_name, address=address)
    was_on = recipient.stopped_at is None
    recipient.stopped_at = recipient.stopped_at or timezone.now()
    recipient.save(update_fields=["stopped_at"])
    Notification.objects.filter(
        Q(notice__notification_route__recipient=recipient) | Q(channel=channel_name, address=address),
        status__in=[Status.PENDING, Status.RETRYING]).update(status=Status.SKIPPED, last_error="stopped on request")
    return was_on


def resume(channel_name: str, address: str) -> None:
    Recipient.objects.filter(channel=channel_name, address=address).update(stopped_at=None)


@dataclass(frozen=True)
class Route:
    channel: str
    address: str
    language: str
    window_open: bool
    stopped: bool


def route_of(notice: Notice) -> Route | None:
    """Where `notice`'s notifications go: the chosen channel, else its email address; None if nowhere."""
    language = getattr(notice, "language", "") or ""
    chosen = NoticeRecipient.objects.select_related("recipient").filter(notice=notice).first()
    if chosen is not None:
        r = chosen.recipient
        window_open = r.last_heard_at is not None and timezone.now() - r.last_heard_at < WINDOW
        return Route(r.channel, r.address, language or r.language or "en", window_open, r.stopped_at is not None)
    if notice.contact_email:
        stopped = Recipient.objects.filter(channel=Channel.EMAIL, address=notice.contact_email,
                                           stopped_at__isnull=False).exists()
        return Route(Channel.EMAIL, notice.contact_email, language or "en", True, stopped)
    return None


# --- the link again ------------------------------------------------------------------------------


def send_link(notice_pk: int, site_url: str) -> str:
    """Mail the notice's email address a new link. The token is made here, never stored in the task
    queue; the mail is sent inside the transaction that stores its hash, so if sending fails the old
    link stays valid and nothing half-happened (the task fails and is recorded)."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("crossing").filter(pk=notice_pk).first()
        if notice is None or not notice.contact_email:
            return "skipped: no email address"
        token = notice_services.renew_link(notice)
        message = compose_link(notice, site_url.rstrip("/") + notice_link(notice.reference, token),
                               getattr(notice, "language", "") or "en")
        channel(Channel.EMAIL).send(message.to(notice.contact_email), window_open=True)
    return "sent"


# --- delivering --------------------------------------------------------------------------------


def lease() -> timedelta:
    return timedelta(seconds=settings.KORDON_NOTIFY_LEASE_SECONDS)


def claim(notification_id: int) -> Notification | None:
    """Take the row for sending if it is due and nobody holds it; None otherwise (sent, or held)."""
    now = timezone.now()
    due = Q(status__in=[Status.PENDING, Status.RETRYING]) | Q(status=Status.SENDING, claimed_until__lt=now)
    taken = (Notification.objects.filter(due, pk=notification_id)
             .exclude(next_attempt_at__gt=now)
             .update(status=Status.SENDING, claimed_until=now + lease(), attempts=F("attempts") + 1))
    if not taken:
        return None
    return Notification.objects.select_related("notice__crossing", "notice__direction__to_post").get(pk=notification_id)


def deliver_now(notification_id: int) -> str:
    """Send one notification if it is due; return what happened (for the task log)."""
    row = claim(notification_id)
    if row is None:
        return "not due"
    route = route_of(row.notice)
    if route is None or route.stopped:
        return _finish(row, Status.SKIPPED, "no address" if route is None else "stopped on request")
    row.channel, row.address, row.language = route.channel, route.address, route.language
    draft = compose(row, route.language)
    if draft is None:
        return _finish(row, Status.SKIPPED, "nothing to tell any more")
    try:
        channel(route.channel).send(draft.to(route.address), window_open=route.window_open)
    except Undelivered as exc:
        return _failed(row, exc)
    after_sent(row)
    return _finish(row, Status.SENT, "")


def _finish(row: Notification, status: str, why: str) -> str:
    Notification.objects.filter(pk=row.pk).update(
        status=status, last_error=why, channel=row.channel, address=row.address, language=row.language,
        sent_at=timezone.now() if status == Status.SENT else None, claimed_until=None)
    return f"{status}{': ' + why if why else ''}"


def _failed(row: Notification, exc: Undelivered) -> str:
    give_up = not exc.retry or row.attempts >= MAX_ATTEMPTS
    later = timezone.now() + timedelta(minutes=2 ** row.attempts)  # 2, 4, 8 … 64 minutes
    logger.warning("Notification %s not delivered (attempt %s): %s", row.pk, row.attempts, exc)
    Notification.objects.filter(pk=row.pk).update(
        status=Status.FAILED if give_up else Status.RETRYING, last_error=str(exc)[:1000], claimed_until=None,
        next_attempt_at=None if give_up else later, channel=row.channel, address=row.address)
    if not give_up:
        from kordon.notifications.tasks import deliver

        if deliver.get_backend().supports_defer:
            deliver.using(run_after=later).enqueue(row.pk)
    return f"{'failed' if give_up else 'retrying'}: {exc}"


def resume_due() -> int:
    """Queue every notification that is due and not being sent: new, retrying, or left by a killed worker."""
    from kordon.notifications.tasks import deliver

    now = timezone.now()
    due = (Notification.objects
           .filter(Q(status=Status.PENDING) | Q(status=Status.RETRYING, next_attempt_at__lte=now)
                   | Q(status=Status.SENDING, claimed_until__lt=now))
           .values_list("pk", flat=True))
    count = 0
    for pk in due:
        deliver.enqueue(pk)
        count += 1
    return count


def daily_round() -> dict[str, int]:
    """Queue the day's reminders (two days ahead) and "on today's list" notices, per post's own date."""
    counts = {"reminders": 0, "todays_list": 0, "resumed": 0}
    for post in Post.objects.select_related("crossing"):
        today = post.local_today()
        crossing = post.crossing
        active = Notice.objects.filter(direction__to_post=post, status__in=ACTIVE)
        with transaction.atomic():
            for notice in active.filter(expected_date=today + timedelta(days=2)):
                counts["reminders"] += notify(notice, Kind.REMINDER, occasion=str(notice.expected_date)) is not None
            listed = active.filter(expected_date__gte=today - timedelta(days=crossing.arrival_days_late),
                                   expected_date__lte=today + timedelta(days=crossing.arrival_days_early))
            for notice in listed:
                told = notify(notice, Kind.TODAYS_LIST, occasion=str(notice.expected_date))
                counts["todays_list"] += told is not None
    counts["resumed"] = resume_due()
    return counts
