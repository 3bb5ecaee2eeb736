"""What officers do at a post: read the day's list, find a traveller, stamp, admit, refuse; at the
departing post, register exits and the permits handed back; at the receiving post, see who is between
the posts and who is overdue."""

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kordon.audit.services import SYSTEM, Actor, record
from kordon.crossings.models import ExitPermit, Post
from kordon.crossings.opening import PostCalendar
from kordon.notices.models import Notice, NoticeStatus, PaymentStatus, Traveller
from kordon.notices.references import normalize
from kordon.payments.balance import outstanding
from kordon.posts.access import require_post
from kordon.posts.auth import forget_officers
from kordon.posts.models import Journey, Officer, Refusal, Role, Stamp, StampKind
from kordon.problems import Refused
from kordon.text import compact, fold
from kordon.tokens import hash_token, new_token

logger = logging.getLogger(__name__)

LISTED_STATUSES = (NoticeStatus.ACCEPTED, NoticeStatus.ENTERED)
# A traveller's stamps with who stamped them (the console names the officer): no query per row.
STAMPS = Prefetch("stamps", queryset=Stamp.objects.select_related("officer__user"))
# How far ahead of the server a device's clock may be before its times are refused as impossible.
CLOCK_SKEW = timedelta(minutes=10)


def record_read(officer: Officer, action: str, **data: Any) -> None:
    """An officer saw personal data (a list, search results, a notice): who, what, how much."""
    record(Actor.of_user(officer.user), action, **data)


def document_clashes(travellers: list[Traveller]) -> set[int]:
    """Which of these travellers share their document (and nationality) with a traveller of another
    active notice for the same crossing and day: one of them is not its holder (docs/duplicates.md).
    One query for the whole list."""
    if not travellers:
        return set()
    rows = Traveller.objects.filter(
        document_key__in={t.document_key for t in travellers},
        notice__status__in=(NoticeStatus.ACCEPTED, NoticeStatus.UNDER_REVIEW, NoticeStatus.ENTERED),
    ).values_list("document_key", "nationality", "notice__crossing_id", "notice__expected_date", "notice_id")
    notices: dict[tuple[object, ...], set[int]] = {}
    for key, nationality, crossing, day, notice in rows:
        notices.setdefault((key, nationality, crossing, day), set()).add(notice)
    return {t.pk for t in travellers
            if len(notices.get((t.document_key, t.nationality, t.notice.crossing_id, t.notice.expected_date), ())) > 1}


def arriving(post: Post) -> QuerySet[Traveller]:
    return Traveller.objects.filter(notice__direction__to_post=post).select_related(
        "notice", "notice__vehicle", "notice__crossing", "notice__direction"
    )


def departing(post: Post) -> QuerySet[Traveller]:
    return Traveller.objects.filter(notice__direction__from_post=post).select_related(
        "notice", "notice__vehicle", "notice__crossing", "notice__direction"
    )


def passing(post: Post, kind: str) -> QuerySet[Traveller]:
    """Travellers who enter at `post` (kind entry) or leave through it (kind exit)."""
    return arriving(post) if kind == StampKind.ENTRY else departing(post)


def receiving_calendar(post: Post, kind: str) -> PostCalendar | None:
    """The calendar arrival windows are counted in: the receiving post's (for exits, the other post's)."""
    if kind == StampKind.ENTRY:
        return PostCalendar.of(post)
    other = Post.objects.filter(arrivals__from_post=post).select_related("crossing").first()
    return PostCalendar.of(other) if other else None


def listed(post: Post, kind: str, first: date, last: date, calendar: PostCalendar | None = None
           ) -> QuerySet[Traveller]:
    """Travellers who may be stamped (entry) or exited at `post` on some day from `first` to `last`:
    their arrival window (counted in the receiving post's open days) covers one of those days.

    Nobody is listed on a day the receiving post is closed; their windows reach the next open day instead.
    """
    condition = _listed_condition(post, kind, first, last, calendar)
    return passing(post, kind).filter(condition) if condition is not None else passing(post, kind).none()


def _listed_condition(post: Post, kind: str, first: date, last: date, calendar: PostCalendar | None = None
                      ) -> Q | None:
    """The filter of `listed`, or None when the receiving post opens on none of the days."""
    crossing, calendar = post.crossing, calendar or receiving_calendar(post, kind)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    ranges = [calendar.listed_dates(day, crossing.arrival_days_early, crossing.arrival_days_late)
              for day in days if calendar and calendar.is_open(day)]
    if not ranges:
        return None
    return Q(notice__status__in=LISTED_STATUSES, notice__expected_date__gte=min(low for low, _ in ranges),
             notice__expected_date__lte=max(high for _, high in ranges))


def entry_list(post: Post, day: date, calendar: PostCalendar | None = None) -> QuerySet[Traveller]:
    """Travellers who may be stamped at `post` on `day` (their arrival window covers the day), and
    whoever was stamped in here that day, listed or admitted off the list: an early admission counts
    where and when it happened."""
    # The ids first (a UNION of two look-ups, each on its own index), then the rows by primary key:
    # one OR across the notice and stamp tables would make the database scan every traveller
    # arriving at the post.
    stamped = Stamp.objects.filter(post=post, local_date=day, kind=StampKind.ENTRY).order_by().values_list(
        "traveller_id")
    condition = _listed_condition(post, StampKind.ENTRY, day, day, calendar)
    if condition is None:
        ids = [row[0] for row in stamped]
    else:
        ids = [row[0] for row in arriving(post).filter(condition).order_by().values_list("pk").union(stamped)]
    return arriving(post).filter(pk__in=ids).prefetch_related(STAMPS).order_by("notice__expected_date", "name_key")


def exit_list(post: Post, day: date) -> QuerySet[Traveller]:
    """Travellers who may leave through `post` on `day`."""
    return listed(post, StampKind.EXIT, day, day).prefetch_related("stamps").order_by("notice__expected_date",
                                                                                      "name_key")


def search(post: Post, query: str, kind: str = StampKind.ENTRY) -> QuerySet[Traveller]:
    """Find travellers arriving at (or, kind exit, leaving through) `post` by reference, document
    number, plate or name.

    Each kind of key is looked up on its own index and the hits are combined: one OR across
    joined tables would make the database scan a million rows for a name search.
    """
    key, words = compact(query), fold(query)
    here = passing(post, kind)
    if not key:
        return here.none()
    reference = normalize(query)
    ids = set(here.filter(document_key=key).values_list("pk", flat=True)[:50])
    ids |= set(here.filter(notice__vehicle__plate_key=key).values_list("pk", flat=True)[:50])
    if reference:
        ids |= set(here.filter(notice__reference=reference).values_list("pk", flat=True)[:50])
    if len(words) >= 2 and not any(c.isdigit() for c in words):
        # Names are stored surname first; officers type either order. Digits mean a number, not a name.
        reversed_words = " ".join(reversed(words.split()))
        by_name = Q(name_key__startswith=words) | Q(name_key__startswith=reversed_words)
        ids |= set(here.filter(by_name).values_list("pk", flat=True)[:50])
    return here.filter(pk__in=ids).prefetch_related(STAMPS).order_by("-notice__expected_date")[:50]


@dataclass(frozen=True)
class Listing:
    """Whether a traveller may be stamped today, and if not, why and what the officer may do."""

    listed: bool
    listed_for: date | None
    why: str
    may_do: str


def listing(notice: Notice, today: date) -> Listing:
    first, last = notice.crossing.arrival_window(notice.expected_date)
    if not first <= today <= last:
        # Counting only open days widens the plain window; most stamps need no calendar at all.
        first, last = notice.arrival_window()
    listed_for = notice.expected_date
    if notice.status == NoticeStatus.CANCELLED:
        return Listing(False, None, _("The traveller cancelled this notice."),
                       _("Refuse with a reason, or a supervisor may admit with a reason."))
    if notice.status == NoticeStatus.UNDER_REVIEW:
        return Listing(False, listed_for, _("This notice is still being reviewed by headquarters."),
                       _("A supervisor may admit with a reason, or refuse with a reason."))
    if first <= today <= last:
        return Listing(True, listed_for, _("On today's list."), _("Stamp."))
    values = {"weekday": date_format(listed_for, "l"), "date": listed_for.isoformat()}
    if today < first:
        days = (first - today).days
        why = ngettext("Listed for %(weekday)s %(date)s: %(days)d day early.",
                       "Listed for %(weekday)s %(date)s: %(days)d days early.", days) % (values | {"days": days})
    else:
        days = (today - last).days
        why = ngettext("Listed for %(weekday)s %(date)s: %(days)d day late.",
                       "Listed for %(weekday)s %(date)s: %(days)d days late.", days) % (values | {"days": days})
    return Listing(False, listed_for, why,
                   _("A supervisor may admit with a reason; otherwise refuse with a reason "
                     "(the traveller can move the date online)."))


def _side(kind: str) -> str:
    return "direction__to_post" if kind == StampKind.ENTRY else "direction__from_post"


def find_traveller(post: Post, reference: str, document_number: str, kind: str = StampKind.ENTRY) -> Traveller:
    """The traveller of notice `reference` arriving at (kind exit: leaving through) `post` with
    `document_number`, in one query."""
    ref = normalize(reference)
    if ref is None:
        raise Refused.one("reference", "not_found", _("This is not a notice reference: check it for typing "
                                                      "mistakes, or search by passport number."))
    traveller = (
        Traveller.objects.select_related("notice__crossing", "notice__direction")
        .filter(notice__reference=ref, document_key=compact(document_number), **{f"notice__{_side(kind)}": post})
        .order_by()  # at most one matches: no sort needed
        .first()
    )
    if traveller is None:
        _explain_not_found(post, ref, document_number, kind)
    return traveller  # type: ignore[return-value]  # _explain_not_found always raises


def _explain_not_found(post: Post, reference: str, document_number: str, kind: str) -> None:
    notice = Notice.objects.filter(reference=reference, **{_side(kind): post}).first()
    if notice is None:
        raise Refused.one("reference", "not_found",
                          _("No notice with this reference arrives at this post. Check the reference, or "
                            "search by passport number.") if kind == StampKind.ENTRY else
                          _("No notice with this reference leaves through this post. Check the reference, or "
                            "search by passport number."))
    raise Refused.one("document_number", "not_found",
                      _("No traveller with document %(document)s on notice %(reference)s.")
                      % {"document": document_number, "reference": notice.display_reference})


@dataclass(frozen=True)
class Stamped:
    stamp: Stamp
    created: bool


def _times(at: datetime | None) -> dict[str, str]:
    """What the audit keeps of an event recorded on a device: when it happened there, and when it arrived."""
    return {"device_at": at.isoformat(), "received_at": timezone.now().isoformat()} if at else {}


def device_time(at: datetime | None, field: str = "at") -> datetime | None:
    """A time sent by a device: it must carry its offset and cannot lie in the future."""
    if at is None:
        return None
    if at.tzinfo is None:
        raise Refused.one(field, "invalid", _("Give the time with its offset, e.g. 2026-12-02T10:15:00+05:00."))
    if at > timezone.now() + CLOCK_SKEW:
        raise Refused.one(field, "invalid", _("This time is in the future: check the device's clock."))
    return at


def stamp_entry(officer: Officer, post: Post, traveller: Traveller, *, event_id: uuid.UUID | None = None,
                reason: str = "", at: datetime | None = None) -> Stamped:
    """Stamp a traveller into the country, once. A second stamp of the same traveller returns the first.

    `at` is when an offline device stamped: the list of the post's date at that moment applies.
    The hot path (listed today, not yet stamped) is one insert: the unique constraint, not a prior
    read, is what guarantees one stamp when two officers press at the same moment.
    """
    require_post(officer, post)
    day = post.local_date(at) if at else post.local_today()
    state = listing(traveller.notice, day)
    admission = not state.listed
    if admission:
        existing = Stamp.objects.filter(traveller=traveller, post=post, kind=StampKind.ENTRY).first()
        if existing:
            return Stamped(existing, created=False)
        _require_admission(officer, state, reason)
    _require_paid(traveller.notice)
    try:
        with transaction.atomic():
            stamp = Stamp.objects.create(
                event_id=event_id or uuid.uuid4(), post=post, notice=traveller.notice, traveller=traveller,
                officer=officer, admission=admission, reason=reason.strip(), local_date=day,
                at=at or timezone.now(),
            )
            _mark_entered_when_complete(traveller.notice, post)
            _end_journey_when_complete(traveller.notice)
            record(Actor.of_user(officer.user), "stamp.admitted" if admission else "stamp.entry",
                   reference=traveller.notice.reference, obj=stamp, traveller=traveller.pk, reason=reason.strip(),
                   **_times(at))
    except IntegrityError:
        # Someone stamped the same traveller a moment ago (or replayed the event): theirs stands.
        return Stamped(_existing_stamp(traveller, post, event_id), created=False)
    return Stamped(stamp, created=True)


def exit_permits(notice: Notice) -> list[ExitPermit]:
    """The permits the departing post takes back from each traveller of `notice`."""
    return list(ExitPermit.objects.filter(direction_id=notice.direction_id).order_by("code"))


def register_exit(officer: Officer, post: Post, traveller: Traveller, *, permits_returned: list[str],
                  event_id: uuid.UUID | None = None, reason: str = "", at: datetime | None = None) -> Stamped:
    """Register that a traveller left through the departing post, once, with the permits handed back.

    Permits not handed back are stored as outstanding (and shown). The party's journey to the
    receiving post starts with its first exit.
    """
    require_post(officer, post)
    if traveller.notice.direction.from_post_id != post.pk:
        raise Refused.one(None, "forbidden", _("This party does not leave through %(post)s.") % {"post": post.name})
    day = post.local_date(at) if at else post.local_today()
    state = listing(traveller.notice, day)
    existing = Stamp.objects.filter(traveller=traveller, post=post, kind=StampKind.EXIT).first()
    if existing:
        return Stamped(existing, created=False)
    if not state.listed:
        _require_admission(officer, state, reason)
    required = [permit.code for permit in exit_permits(traveller.notice)]
    returned = _check_permits(required, permits_returned)
    try:
        with transaction.atomic():
            stamp = Stamp.objects.create(
                event_id=event_id or uuid.uuid4(), post=post, notice=traveller.notice, traveller=traveller,
                kind=StampKind.EXIT, officer=officer, admission=not state.listed, reason=reason.strip(),
                local_date=day, at=at or timezone.now(), permits_returned=returned,
                permits_outstanding=[code for code in required if code not in returned],
            )
            _start_journey(traveller.notice, stamp.at)
            _end_journey_when_complete(traveller.notice)  # an entry pushed from offline may have come first
            record(Actor.of_user(officer.user), "stamp.exit", reference=traveller.notice.reference, obj=stamp,
                   traveller=traveller.pk, permits_returned=returned, permits_outstanding=stamp.permits_outstanding,
                   reason=reason.strip(), **_times(at))
    except IntegrityError:
        return Stamped(_existing_stamp(traveller, post, event_id, StampKind.EXIT), created=False)
    return Stamped(stamp, created=True)


def _check_permits(required: list[str], returned: list[str]) -> list[str]:
    unknown = sorted(set(returned) - set(required))
    if unknown:
        known = ", ".join(required) or _("none")
        raise Refused.one("permits_returned", "invalid",
                          _("Unknown permit %(codes)s: this crossing takes back %(known)s.")
                          % {"codes": ", ".join(unknown), "known": known})
    return [code for code in required if code in returned]


def _start_journey(notice: Notice, exited_at: datetime) -> None:
    due_by = exited_at + timedelta(hours=notice.crossing.transit_hours)
    journey, created = Journey.objects.get_or_create(
        notice=notice, defaults={"to_post_id": notice.direction.to_post_id, "exited_at": exited_at, "due_by": due_by}
    )
    if not created and exited_at < journey.exited_at:  # an earlier exit pushed late from a device
        Journey.objects.filter(pk=journey.pk).update(exited_at=exited_at, due_by=due_by)


# The journey ends when everyone of the party who left has been stamped in, or refused, at the
# receiving post. One statement: it runs with every entry stamp and finds no journey for most.
_END_JOURNEY = """
    UPDATE posts_journey SET ended_at = %s
    WHERE notice_id = %s AND ended_at IS NULL AND NOT EXISTS (
        SELECT 1 FROM posts_stamp x WHERE x.notice_id = %s AND x.kind = %s
        AND NOT EXISTS (SELECT 1 FROM posts_stamp e WHERE e.traveller_id = x.traveller_id AND e.kind = %s
                        AND e.post_id = posts_journey.to_post_id)
        AND NOT EXISTS (SELECT 1 FROM posts_refusal r WHERE r.traveller_id = x.traveller_id
                        AND r.post_id = posts_journey.to_post_id))
"""


def _end_journey_when_complete(notice: Notice) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_END_JOURNEY, [timezone.now(), notice.pk, notice.pk, StampKind.EXIT, StampKind.ENTRY])


def _existing_stamp(traveller: Traveller, post: Post, event_id: uuid.UUID | None,
                    kind: str = StampKind.ENTRY) -> Stamp:
    stamp = Stamp.objects.filter(traveller=traveller, post=post, kind=kind).first()
    if stamp is None:  # the event id was taken by a stamp of another traveller
        raise Refused.one("event_id", "invalid",
                          _("This event id was already used for another stamp. Send a new one."))
    return stamp


def _require_admission(officer: Officer, state: Listing, reason: str) -> None:
    if officer.is_supervisor and reason.strip():
        return
    message = _("Not on today's list. %(why)s %(may_do)s") % {"why": state.why, "may_do": state.may_do}
    if officer.is_supervisor:
        message = _("Not on today's list. %(why)s To admit, give a reason.") % {"why": state.why}
    listed_for = state.listed_for.isoformat() if state.listed_for else None
    raise Refused.one(None, "not_on_list", message, listed_for=listed_for)


def _require_paid(notice: Notice) -> None:
    """Where the crossing requires it, the party pays before anyone of it is stamped (even when admitted)."""
    if not notice.crossing.payment_required_before_entry or notice.payment_status == PaymentStatus.PAID:
        return
    owed = outstanding(notice)
    raise Refused.one(None, "unpaid", _(
        "Not paid: %(currency)s %(amount)s of this party's fee is outstanding, and %(crossing)s requires payment "
        "before entry. Record the cash payment (the traveller gets a receipt), then stamp."
    ) % {"currency": notice.fee_currency, "amount": f"{owed:.2f}", "crossing": notice.crossing.name},
                      outstanding={"amount": f"{owed:.2f}", "currency": notice.fee_currency})


# The notice becomes `entered` when none of its travellers is left unstamped at the post. Written
# as SQL because it runs on every stamp: the ORM spends longer building this statement (two nested
# subqueries) than the database spends running it.
_MARK_ENTERED = """
    UPDATE notices_notice SET status = %s, updated_at = %s
    WHERE id = %s AND NOT EXISTS (
        SELECT 1 FROM notices_traveller t WHERE t.notice_id = %s AND NOT EXISTS (
            SELECT 1 FROM posts_stamp s WHERE s.traveller_id = t.id AND s.post_id = %s AND s.kind = %s))
"""


def _mark_entered_when_complete(notice: Notice, post: Post) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_MARK_ENTERED, [NoticeStatus.ENTERED, timezone.now(), notice.pk, notice.pk, post.pk,
                                       StampKind.ENTRY])


def refuse_entry(officer: Officer, post: Post, *, reason: str, traveller: Traveller | None = None,
                 document_number: str = "", name: str = "", at: datetime | None = None) -> Refusal:
    """Record that a traveller was turned away (`at`: when, on an offline device). A refusal at the
    receiving post ends the party's journey as a stamp does."""
    require_post(officer, post)
    if not reason.strip():
        raise Refused.one("reason", "invalid", _("Say why the traveller is refused: the reason is recorded."))
    with transaction.atomic():
        refusal = Refusal.objects.create(
            post=post, officer=officer, reason=reason.strip(), traveller=traveller,
            notice=traveller.notice if traveller else None,
            document_number=traveller.document_number if traveller else document_number.strip().upper(),
            name=traveller.full_name if traveller else name.strip(), at=at or timezone.now(),
        )
        if refusal.notice:
            _end_journey_when_complete(refusal.notice)
        reference = refusal.notice.reference if refusal.notice else ""
        record(Actor.of_user(officer.user), "entry.refused", reference=reference,
               obj=refusal, reason=refusal.reason, **_times(at))
    return refusal


def choose_language(officer: Officer, language: str) -> None:
    """The officer's console language; an unknown code (or blank) means: follow the browser."""
    officer.language = language if language in dict(settings.LANGUAGES) else ""
    officer.save(update_fields=["language"])


# ---------------------------------------------------------------------------------------------
# Between the posts


@dataclass(frozen=True)
class OnTheRoad:
    """A traveller who left the other post and has not been stamped (or refused) here yet."""

    traveller: Traveller
    exit: Stamp
    due_by: datetime
    overdue: bool


def entry_stamp(traveller: Traveller, post: Post) -> Stamp | None:
    """The traveller's entry stamp at `post`, from prefetched stamps (an exit is a stamp too)."""
    return next((s for s in traveller.stamps.all() if s.kind == StampKind.ENTRY and s.post_id == post.pk), None)


def exit_of(traveller: Traveller) -> Stamp | None:
    """The traveller's exit stamp, from prefetched stamps."""
    return next((s for s in traveller.stamps.all() if s.kind == StampKind.EXIT), None)


def due_by(traveller: Traveller, exit: Stamp) -> datetime:
    return exit.at + timedelta(hours=traveller.notice.crossing.transit_hours)


def between_posts(post: Post, now: datetime | None = None) -> list[OnTheRoad]:
    """Who is on the road to `post`: overdue ones first (longest overdue first), then by when due."""
    now = now or timezone.now()
    here = Q(post=post)
    travellers = (
        arriving(post)
        .filter(Exists(Stamp.objects.filter(traveller=OuterRef("pk"), kind=StampKind.EXIT)))
        .exclude(Exists(Stamp.objects.filter(here, traveller=OuterRef("pk"), kind=StampKind.ENTRY)))
        .exclude(Exists(Refusal.objects.filter(here, traveller=OuterRef("pk"))))
        .prefetch_related("stamps")
    )
    road = []
    for traveller in travellers:
        exit = exit_of(traveller)
        if exit is not None:
            due = due_by(traveller, exit)
            road.append(OnTheRoad(traveller, exit, due, now > due))
    return sorted(road, key=lambda r: (not r.overdue, r.due_by, r.traveller.pk))


def overdue_journeys(post: Post) -> QuerySet[Journey]:
    """Parties overdue at `post` whose supervisors were alerted and who have not arrived yet."""
    return Journey.objects.filter(to_post=post, ended_at__isnull=True, alerted_at__isnull=False).select_related(
        "notice").order_by("due_by")


def alert_overdue(now: datetime | None = None) -> int:
    """Alert the receiving post's supervisors of every party past due and not arrived; returns how
    many parties were alerted by this call. Safe to run from several workers at once."""
    now = now or timezone.now()
    due = Journey.objects.filter(ended_at__isnull=True, alerted_at__isnull=True, due_by__lt=now)
    return sum(1 for pk in list(due.values_list("pk", flat=True)) if _alert_once(pk, now))


def _alert_once(journey_pk: int, now: datetime) -> bool:
    # The conditional UPDATE is the claim: of several workers, exactly one changes the row (the
    # others wait for its lock, then find alerted_at set and change nothing).
    with transaction.atomic():
        claimed = Journey.objects.filter(pk=journey_pk, ended_at__isnull=True, alerted_at__isnull=True,
                                         due_by__lt=now).update(alerted_at=now)
        if not claimed:
            return False
        journey = Journey.objects.select_related("notice", "to_post__crossing").get(pk=journey_pk)
        supervisors = list(Officer.objects.select_related("user").filter(
            post=journey.to_post, role=Role.SUPERVISOR, user__is_active=True))
        addresses = [o.user.email for o in supervisors if o.user.email]
        record(SYSTEM, "journey.overdue", reference=journey.notice.reference, obj=journey,
               exited_at=journey.exited_at.isoformat(), due_by=journey.due_by.isoformat(), emailed=addresses)
    # Mail after the claim is committed: a mail server that is down must never make a second alert.
    if addresses:
        _mail_overdue(journey, addresses)
    return True


def _mail_overdue(journey: Journey, addresses: list[str]) -> None:
    travellers = list(journey.notice.travellers.all())
    context = {"journey": journey, "notice": journey.notice, "travellers": travellers, "post": journey.to_post}
    subject = ngettext("Overdue between the posts: party %(ref)s (%(n)d traveller)",
                       "Overdue between the posts: party %(ref)s (%(n)d travellers)",
                       len(travellers)) % {"ref": journey.notice.display_reference, "n": len(travellers)}
    try:
        EmailMessage(subject=subject, body=render_to_string("posts/overdue_email.txt", context),
                     to=addresses).send()
    except OSError as exc:
        logger.error("Overdue alert for %s could not be mailed: %s", journey.notice.reference, exc)
        record(SYSTEM, "journey.overdue_mail_failed", reference=journey.notice.reference, obj=journey,
               error=str(exc))


# ---------------------------------------------------------------------------------------------
# Lost devices


def report_device_lost(actor: Actor, officer: Officer) -> int:
    """A device of `officer` is lost: new device key, API token revoked, every session logged out.

    Returns how many sessions were ended. Data already on the lost device stays encrypted under the
    old key, which the server never hands out again (docs/offline.md says what else to do).
    """
    ended = 0
    with transaction.atomic():
        Officer.objects.filter(pk=officer.pk).update(device_key_epoch=F("device_key_epoch") + 1, token_hash=None)
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            if session.get_decoded().get("_auth_user_id") == str(officer.user_id):
                session.delete()
                ended += 1
        officer.refresh_from_db()
        record(actor, "officer.device_lost", obj=officer, officer=officer.user.get_username(),
               epoch=officer.device_key_epoch, sessions_ended=ended)
    forget_officers()
    return ended
def create_officer(username: str, post: Post, role: str, password: str | None, actor: Actor) -> tuple[Officer, str]:
    """An officer account at `post`, in one step; returns the officer and its API token, which is
    stored only as a hash and so can be shown this once. A password gives a console login."""
    token = new_token()
    with transaction.atomic():
        user = get_user_model().objects.create_user(username, password=password)
        officer = Officer.objects.create(user=user, post=post, role=role, token_hash=hash_token(token))
        record(actor, "officer.created", obj=officer, username=user.get_username(), post=post.code, role=role)
    return officer, token
