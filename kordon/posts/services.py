"""What officers do at a post: read the day's list, find a traveller, stamp, admit, refuse."""

import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kordon.audit.services import Actor, record
from kordon.crossings.models import Post
from kordon.crossings.opening import PostCalendar
from kordon.notices.models import Notice, NoticeStatus, PaymentStatus, Traveller
from kordon.notices.references import normalize
from kordon.payments.services import outstanding
from kordon.posts.access import require_post
from kordon.posts.models import Officer, Refusal, Stamp, StampKind
from kordon.problems import Refused
from kordon.text import compact, fold
from kordon.tokens import hash_token, new_token

LISTED_STATUSES = (NoticeStatus.ACCEPTED, NoticeStatus.ENTERED)


def arriving(post: Post) -> QuerySet[Traveller]:
    return Traveller.objects.filter(notice__direction__to_post=post).select_related(
        "notice", "notice__vehicle", "notice__crossing", "notice__direction"
    )


def entry_list(post: Post, day: date, calendar: PostCalendar | None = None) -> QuerySet[Traveller]:
    """Travellers who may be stamped at `post` on `day`: their arrival window covers the day.

    Nobody is listed on a day the post is closed; their windows reach the next open day instead.
    """
    crossing, calendar = post.crossing, calendar or PostCalendar.of(post)
    # Whoever was stamped here on the day is on that day's list, listed or admitted off the list:
    # an early admission counts where and when it happened.
    stamped = Q(pk__in=Stamp.objects.filter(post=post, local_date=day, kind=StampKind.ENTRY).values("traveller_id"))
    if not calendar.is_open(day):
        return arriving(post).filter(stamped).prefetch_related("stamps").order_by("notice__expected_date", "name_key")
    first, last = calendar.listed_dates(day, crossing.arrival_days_early, crossing.arrival_days_late)
    listed = Q(notice__status__in=LISTED_STATUSES, notice__expected_date__gte=first, notice__expected_date__lte=last)
    return arriving(post).filter(listed | stamped).prefetch_related("stamps").order_by("notice__expected_date",
                                                                                     "name_key")


def search(post: Post, query: str) -> QuerySet[Traveller]:
    """Find travellers arriving at `post` by reference, document number, plate or name.

    Each kind of key is looked up on its own index and the hits are combined: one OR across
    joined tables would make the database scan a million rows for a name search.
    """
    key, words = compact(query), fold(query)
    if not key:
        return arriving(post).none()
    reference = normalize(query)
    ids = set(arriving(post).filter(document_key=key).values_list("pk", flat=True)[:50])
    ids |= set(arriving(post).filter(notice__vehicle__plate_key=key).values_list("pk", flat=True)[:50])
    if reference:
        ids |= set(arriving(post).filter(notice__reference=reference).values_list("pk", flat=True)[:50])
    if len(words) >= 2 and not any(c.isdigit() for c in words):
        # Names are stored surname first; officers type either order. Digits mean a number, not a name.
        reversed_words = " ".join(reversed(words.split()))
        by_name = Q(name_key__startswith=words) | Q(name_key__startswith=reversed_words)
        ids |= set(arriving(post).filter(by_name).values_list("pk", flat=True)[:50])
    return arriving(post).filter(pk__in=ids).prefetch_related("stamps").order_by("-notice__expected_date")[:50]


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


def find_traveller(post: Post, reference: str, document_number: str) -> Traveller:
    """The traveller of notice `reference` arriving at `post` with `document_number`, in one query."""
    ref = normalize(reference)
    if ref is None:
        raise Refused.one("reference", "not_found", _("This is not a notice reference: check it for typing "
                                                      "mistakes, or search by passport number."), status=404)
    traveller = (
        Traveller.objects.select_related("notice__crossing", "notice__direction")
        .filter(notice__reference=ref, notice__direction__to_post=post, document_key=compact(document_number))
        .order_by()  # at most one matches: no sort needed
        .first()
    )
    if traveller is None:
        _explain_not_found(post, ref, document_number)
    return traveller  # type: ignore[return-value]  # _explain_not_found always raises


def _explain_not_found(post: Post, reference: str, document_number: str) -> None:
    notice = Notice.objects.filter(reference=reference, direction__to_post=post).first()
    if notice is None:
        raise Refused.one("reference", "not_found",
                          _("No notice with this reference arrives at this post. Check the reference, or "
                            "search by passport number."), status=404)
    raise Refused.one("document_number", "not_found",
                      _("No traveller with document %(document)s on notice %(reference)s.")
                      % {"document": document_number, "reference": notice.display_reference},
                      status=404)


@dataclass(frozen=True)
class Stamped:
    stamp: Stamp
    created: bool


def stamp_entry(officer: Officer, post: Post, traveller: Traveller, *, event_id: uuid.UUID | None = None,
                reason: str = "") -> Stamped:
    """Stamp a traveller into the country, once. A second stamp of the same traveller returns the first.

    The hot path (listed today, not yet stamped) is one insert: the unique constraint, not a prior
    read, is what guarantees one stamp when two officers press at the same moment.
    """
    require_post(officer, post)
    today = post.local_today()
    state = listing(traveller.notice, today)
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
                officer=officer, admission=admission, reason=reason.strip(), local_date=today,
            )
            _mark_entered_when_complete(traveller.notice, post)
            record(Actor.of_user(officer.user), "stamp.admitted" if admission else "stamp.entry",
                   reference=traveller.notice.reference, obj=stamp, traveller=traveller.pk, reason=reason.strip())
    except IntegrityError:
        # Someone stamped the same traveller a moment ago (or replayed the event): theirs stands.
        return Stamped(_existing_stamp(traveller, post, event_id), created=False)
    return Stamped(stamp, created=True)


def _existing_stamp(traveller: Traveller, post: Post, event_id: uuid.UUID | None) -> Stamp:
    stamp = Stamp.objects.filter(traveller=traveller, post=post, kind=StampKind.ENTRY).first()
    if stamp is None:  # the event id was taken by a stamp of another traveller
        raise Refused.one("event_id", "invalid",
                          _("This event id was already used for another stamp. Send a new one."), status=409)
    return stamp


def _require_admission(officer: Officer, state: Listing, reason: str) -> None:
    if officer.is_supervisor and reason.strip():
        return
    message = _("Not on today's list. %(why)s %(may_do)s") % {"why": state.why, "may_do": state.may_do}
    if officer.is_supervisor:
        message = _("Not on today's list. %(why)s To admit, give a reason.") % {"why": state.why}
    listed_for = state.listed_for.isoformat() if state.listed_for else None
    raise Refused.one(None, "not_on_list", message, status=409, listed_for=listed_for)


def _require_paid(notice: Notice) -> None:
    """Where the crossing requires it, the party pays before anyone of it is stamped (even when admitted)."""
    if not notice.crossing.payment_required_before_entry or notice.payment_status == PaymentStatus.PAID:
        return
    owed = outstanding(notice)
    raise Refused.one(None, "unpaid", _(
        "Not paid: %(currency)s %(amount)s of this party's fee is outstanding, and %(crossing)s requires payment "
        "before entry. Record the cash payment (the traveller gets a receipt), then stamp."
    ) % {"currency": notice.fee_currency, "amount": f"{owed:.2f}", "crossing": notice.crossing.name}, status=409,
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
                 document_number: str = "", name: str = "") -> Refusal:
    require_post(officer, post)
    if not reason.strip():
        raise Refused.one("reason", "invalid", _("Say why the traveller is refused: the reason is recorded."))
    with transaction.atomic():
        refusal = Refusal.objects.create(
            post=post, officer=officer, reason=reason.strip(), traveller=traveller,
            notice=traveller.notice if traveller else None,
            document_number=traveller.document_number if traveller else document_number.strip().upper(),
            name=traveller.full_name if traveller else name.strip(),
        )
        reference = refusal.notice.reference if refusal.notice else ""
        record(Actor.of_user(officer.user), "entry.refused", reference=reference,
               obj=refusal, reason=refusal.reason)
    return refusal


def choose_language(officer: Officer, language: str) -> None:
    """The officer's console language; an unknown code (or blank) means: follow the browser."""
    officer.language = language if language in dict(settings.LANGUAGES) else ""
    officer.save(update_fields=["language"])


def create_officer(username: str, post: Post, role: str, password: str | None, actor: Actor) -> tuple[Officer, str]:
    """An officer account at `post`, in one step; returns the officer and its API token, which is
    stored only as a hash and so can be shown this once. A password gives a console login."""
    token = new_token()
    with transaction.atomic():
        user = get_user_model().objects.create_user(username, password=password)
        officer = Officer.objects.create(user=user, post=post, role=role, token_hash=hash_token(token))
        record(actor, "officer.created", obj=officer, username=user.get_username(), post=post.code, role=role)
    return officer, token
