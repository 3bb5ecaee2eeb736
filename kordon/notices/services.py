"""What travellers do with a notice: file it, change its date, cancel it. Each is one transaction."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kordon import throttle
from kordon.audit.services import ANONYMOUS, SYSTEM, TRAVELLER, Actor, record
from kordon.crossings.models import Crossing, Direction
from kordon.notices import fees, rules
from kordon.notices.inputs import NoticeInput, TravellerInput
from kordon.notices.models import Notice, NoticeStatus, PaymentStatus, Traveller, Vehicle
from kordon.notices.owners import Owner
from kordon.notices.references import new_reference, normalize
from kordon.notices.signals import link_requested, notice_amended, notice_cancelled, notice_filed
from kordon.payments.balance import refresh_payment_status
from kordon.payments.services import RefundOutcome, refund_on_cancellation
from kordon.problems import Refused
from kordon.review import rules as review
from kordon.seals import services as seals
from kordon.seals.models import RevokeReason
from kordon.text import compact
from kordon.tokens import hash_token, new_token

MAX_PARTY = 30  # travellers on one notice, on every path (API, pages, adding a newcomer)


@dataclass(frozen=True)
class Filed:
    notice: Notice
    access_token: str | None  # None for a replay: the token was shown once, when filed
    created: bool


def file_notice(data: NoticeInput, token: str | None = None, owner: Owner | None = None) -> Filed:
    """Check a notice and store it with its frozen fee; raise Refused with every problem found.

    The same idempotency key with the same content returns the notice filed before, without an
    access token: minting one would let whoever replays the request take the notice over. A caller
    that derives the token from a secret key of its own (the web form, `form_token`) passes it as
    `token` and gets it back on a replay: proving the same secret is proving to be the same client.
    An `owner` (an agency, kordon.notices.owners) claims the notice in the same transaction.
    """
    with transaction.atomic():
        # Lock the crossing so two filings for the same passport cannot both pass the duplicate check.
        crossing = Crossing.objects.select_for_update().get(pk=data.crossing.pk)
        replay = _replay(data, token)
        if replay is not None:
            if owner is not None and not owner.owns(replay.notice):
                raise Refused.one("idempotency_key", "idempotency_conflict", _(
                    "This idempotency key was used for a different notice. Use a new key for a new notice."))
            return replay
        direction = _direction(crossing, data.direction)
        problems = rules.check_notice(crossing, direction, data)
        if problems:
            raise Refused(problems)
        token = token or new_token()
        notice = create_notice(crossing, direction, data, token)
        if owner is not None:
            owner.claim(notice)
        record(owner.actor if owner else TRAVELLER, "notice.filed", reference=notice.reference, obj=notice,
               expected_date=str(notice.expected_date), travellers=len(data.travellers))
        _note_clashes(notice)
        reasons = review.reasons_for(crossing, data)
        if reasons:  # a person looks first: under review, no seal until a reviewer accepts it
            review.open_review(notice, reasons)
        else:
            seals.issue_for(notice)
        notice_filed.send(sender=Notice, notice=notice)
        return Filed(notice, token, created=True)


def _note_clashes(notice: Notice) -> None:
    """Another notice names one of this party's documents on the same day, under another name or
    birth date: filed all the same (refusing would let a stranger block the traveller, and say so
    would tell the date), recorded for headquarters and shown to officers on the list."""
    for other in rules.document_clashes(notice):
        record(SYSTEM, "notice.document_clash", reference=notice.reference, obj=notice,
               other=other.notice.reference, document=other.document_key)


def _replay(data: NoticeInput, token: str | None) -> Filed | None:
    if not data.idempotency_key:
        return None
    key_hash = hash_token(data.idempotency_key)
    notice = Notice.objects.filter(idempotency_key_hash=key_hash).first()
    if notice is None:
        return None
    if notice.request_fingerprint != data.fingerprint():
        raise Refused.one("idempotency_key", "idempotency_conflict",
                          _("This idempotency key was used for a different notice. Use a new key for a new notice."))
    held = token if token and hash_token(token) == notice.access_token_hash else None
    return Filed(notice, held, created=False)


def form_token(form_key: str) -> str:
    """The access token of a notice filed from the web form whose (random, server-issued) key is
    `form_key`: derived under the secret key, so a double submit leads both answers to one link."""
    return hmac.new(settings.SECRET_KEY.encode(), f"kordon-form-token:{form_key}".encode(),
                    hashlib.sha256).hexdigest()


def _direction(crossing: Crossing, code: str) -> Direction:
    direction = crossing.directions.select_related("to_post", "from_post").filter(code=code.upper()).first()
    if direction is None:
        codes = ", ".join(crossing.directions.values_list("code", flat=True))
        raise Refused.one("direction", "invalid", _("Choose the direction of travel: %(codes)s.") % {"codes": codes})
    return direction


def create_notice(crossing: Crossing, direction: Direction, data: NoticeInput, token: str, *,
                  is_demo: bool = False) -> Notice:
    """Store a notice that passed the filing rules (or a demo notice, which skips them), with its frozen fee."""
    fee = fees.compute(crossing, data.travellers, data.vehicle.kind if data.vehicle else None, data.expected_date)
    for _attempt in range(5):  # a reference collision is astronomically rare; retry rather than fail
        try:
            with transaction.atomic():
                notice = Notice.objects.create(
                    reference=new_reference(), access_token_hash=hash_token(token), crossing=crossing,
                    direction=direction, expected_date=data.expected_date, contact_email=data.email,
                    contact_phone=data.phone, fee_total=fee.total, fee_currency=fee.currency,
                    fee_lines=fee.lines_json(), payment_status=_initial_payment_status(fee.total),
                    idempotency_key_hash=hash_token(data.idempotency_key) if data.idempotency_key else None,
                    request_fingerprint=data.fingerprint(),
                    language=translation.get_language() or Notice.DEFAULT_LANGUAGE, is_demo=is_demo,
                )
            break
        except IntegrityError:
            continue
    else:
        raise RuntimeError("Could not allocate a unique notice reference.")
    _add_party(notice, data)
    return notice


def _initial_payment_status(total: Decimal) -> str:
    return PaymentStatus.PAID if total == 0 else PaymentStatus.UNPAID


def _add_party(notice: Notice, data: NoticeInput) -> None:
    for position, t in enumerate(data.travellers):
        _add_traveller(notice, t, position)
    if data.vehicle:
        v = data.vehicle
        Vehicle.objects.create(notice=notice, plate=v.plate.strip().upper(), country=v.country.upper(),
                               kind=v.kind, make=v.make.strip(), model=v.model.strip())


def _add_traveller(notice: Notice, t: TravellerInput, position: int) -> Traveller:
    return Traveller.objects.create(
        notice=notice, position=position, surname=t.surname.strip(), given_names=t.given_names.strip(),
        nationality=t.nationality.upper(), sex=t.sex.upper(), date_of_birth=t.date_of_birth,
        document_number=t.document_number.strip().upper(), document_expiry=t.document_expiry,
        mrz="\n".join(t.mrz),
    )


def amend_date(notice: Notice, new_date: date, actor: Actor = TRAVELLER) -> Notice:
    """Move a notice to another date; the same checks as filing apply to the new date."""
    with transaction.atomic():
        Crossing.objects.select_for_update().get(pk=notice.crossing_id)
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        _require_changeable(notice)
        problems = rules.check_new_date(notice, new_date)
        if problems:
            raise Refused(problems)
        old = notice.expected_date
        notice.expected_date = new_date
        notice.updated_at = timezone.now()
        notice.save(update_fields=["expected_date", "updated_at"])
        record(actor, "notice.amended", reference=notice.reference, obj=notice,
               expected_date={"from": str(old), "to": str(new_date)})
        _note_clashes(notice)
        seals.issue_for(notice)  # the new date needs a new seal; the old one is withdrawn
        notice_amended.send(sender=Notice, notice=notice)
        return notice


def add_traveller(notice: Notice, data: TravellerInput, actor: Actor = TRAVELLER) -> Notice:
    """Add someone to a filed party: the same checks as filing, the fee grows by the newcomer's share
    (what was filed stays frozen), the payment status follows, and the seal is issued anew."""
    with transaction.atomic():
        Crossing.objects.select_for_update().get(pk=notice.crossing_id)
        notice = Notice.objects.select_for_update().select_related("crossing", "direction__to_post").get(pk=notice.pk)
        _require_changeable(notice)
        if notice.travellers.count() >= MAX_PARTY:
            raise Refused.one(None, "party_full", _("A notice holds at most %(count)d travellers: file a second "
                                                    "notice for the others.") % {"count": MAX_PARTY})
        problems = rules.check_newcomer(notice, data)
        if problems:
            raise Refused(problems)
        traveller = _add_traveller(notice, data, position=notice.travellers.count())
        notice.fee_lines, added = fees.with_newcomer(notice.fee_lines, notice.crossing, traveller, notice.expected_date)
        notice.fee_total += added
        notice.updated_at = timezone.now()
        notice.save(update_fields=["fee_lines", "fee_total", "updated_at"])
        refresh_payment_status(notice)
        record(actor, "notice.traveller_added", reference=notice.reference, obj=notice, traveller=traveller.pk,
               fee_added=f"{added:.2f}")
        _note_clashes(notice)
        seals.issue_for(notice)  # the party changed: a new seal, the old one withdrawn
        notice_amended.send(sender=Notice, notice=notice)
        return notice


def cancel_notice(notice: Notice, actor: Actor = TRAVELLER) -> Notice:
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        _require_changeable(notice)
        notice.status = NoticeStatus.CANCELLED
        notice.cancelled_at = notice.updated_at = timezone.now()
        notice.save(update_fields=["status", "cancelled_at", "updated_at"])
        record(actor, "notice.cancelled", reference=notice.reference, obj=notice)
        seals.revoke_for(notice, RevokeReason.CANCELLED)
        notice_cancelled.send(sender=Notice, notice=notice)
        return notice


@dataclass(frozen=True)
class Cancelled:
    notice: Notice
    refund: RefundOutcome


def cancel(notice: Notice, actor: Actor = TRAVELLER) -> Cancelled:
    """Cancel a notice, then pay back what it paid per the crossing's rule.

    The cancellation is committed first and stands whatever the refund's outcome: a provider is
    never called while the notice is locked, and a refund that fails is tried again later.
    """
    notice = cancel_notice(notice, actor)
    refund = refund_on_cancellation(notice, actor)
    notice.refresh_from_db(fields=["payment_status"])
    return Cancelled(notice, refund)


def _require_changeable(notice: Notice) -> None:
    if notice.status == NoticeStatus.CANCELLED:
        raise Refused.one(None, "cancelled", _("This notice is cancelled. File a new notice instead."))
    if notice.stamps.exists():
        raise Refused.one(None, "already_entered",
                          _("A traveller of this party has already been stamped, so the notice can no longer "
                            "change."))


# One answer for every mismatch: it never says which of the three answers was wrong.
LOOKUP_MISMATCH = gettext_lazy(
    "No notice matches these answers. Check the reference, and the passport number and date of birth of one "
    "traveller as written on the notice."
)


def look_up(reference: str, document_number: str, date_of_birth: date) -> Notice | None:
    """The notice if one of its travellers has this document number and date of birth, else None.

    Whatever is wrong (no such reference, another passport, another birth date, a malformed
    reference), the cost is the same single query, so wrong answers cannot be told apart by time.
    """
    found = Notice.objects.select_related("crossing", "direction__to_post").filter(
        reference=normalize(reference) or "", travellers__document_key=compact(document_number),
        travellers__date_of_birth=date_of_birth,
    )
    return next(iter(found.order_by()[:1]), None)


def status_json(notice: Notice) -> dict[str, Any]:
    """What anyone who knows the three answers may learn: nothing personal (/api/v1/openapi.json)."""
    listed_from, listed_until = notice.arrival_window()
    return {
        "reference": notice.reference, "status": notice.status, "expected_date": notice.expected_date.isoformat(),
        "payment_status": notice.payment_status, "listed_from": listed_from.isoformat(),
        "listed_until": listed_until.isoformat(),
    }


def as_json(notice: Notice) -> dict[str, Any]:
    """The notice in the API's shape (see /api/v1/openapi.json); the access token is never part of it."""
    vehicle = getattr(notice, "vehicle", None)
    return {
        "reference": notice.reference,
        "display_reference": notice.display_reference,
        "status": notice.status,
        "payment_status": notice.payment_status,
        "crossing": notice.crossing.slug,
        "direction": notice.direction.code,
        "expected_date": notice.expected_date.isoformat(),
        "arrival_window": [d.isoformat() for d in notice.arrival_window()],
        "receiving_post": notice.direction.to_post.code,
        "contact": {"email": notice.contact_email, "phone": notice.contact_phone},
        "fee": notice.fee_dict(),
        "travellers": [_traveller_json(t) for t in notice.travellers.all()],
        "vehicle": _vehicle_json(vehicle) if vehicle else None,
    }


def _traveller_json(t: Traveller) -> dict[str, Any]:
    stamp = next((s for s in t.stamps.all() if s.kind == "entry"), None)  # an exit is a stamp of kind "exit"
    return {
        "id": t.pk, "surname": t.surname, "given_names": t.given_names, "nationality": t.nationality,
        "sex": t.sex, "date_of_birth": t.date_of_birth.isoformat(), "document_number": t.document_number,
        "document_expiry": t.document_expiry.isoformat(), "stamped": stamp is not None,
        "stamped_at": stamp.at.isoformat() if stamp else None,
    }


def _vehicle_json(v: Vehicle) -> dict[str, str]:
    return {"plate": v.plate, "country": v.country, "kind": v.kind, "make": v.make, "model": v.model}


def hold_for_review(notice: Notice, actor: Actor, reason: str) -> Notice:
    """Headquarters holds a notice back: it leaves the entry list and its seal is withdrawn."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        _require_changeable(notice)
        if notice.status == NoticeStatus.UNDER_REVIEW:
            return notice
        notice.status = NoticeStatus.UNDER_REVIEW
        notice.updated_at = timezone.now()
        notice.save(update_fields=["status", "updated_at"])
        record(actor, "notice.held_for_review", reference=notice.reference, obj=notice, reason=reason)
        seals.revoke_for(notice, RevokeReason.WITHDRAWN)
        review.open_review(notice, [{"code": review.HELD, "traveller": None, "detail": reason}])
        return notice


def release_review(notice: Notice, actor: Actor) -> Notice:
    """The review found nothing: the notice is accepted again, with a new seal."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.status != NoticeStatus.UNDER_REVIEW:
            raise Refused.one(None, "not_under_review", _("This notice is not under review."), status=409)
        notice.status = NoticeStatus.ACCEPTED
        notice.updated_at = timezone.now()
        notice.save(update_fields=["status", "updated_at"])
        record(actor, "notice.review_released", reference=notice.reference, obj=notice)
        seals.issue_for(notice)
        return notice
def ask_for_link(reference: str, contact: str, site_url: str) -> None:
    """Someone asks for a notice's link: it goes to the notice's email address if `contact` is the
    notice's email or phone. Returns nothing either way, so the answer never tells whether a
    reference exists or whose it is.

    The requests for one reference are limited (throttle scope `link_again`, counted in the shared
    cache, so every app server agrees); more are recorded and ignored. The message itself is
    kordon.notifications' (it reacts to `link_requested`), as everything sent to people.
    """
    ref = normalize(reference)
    if ref is None:
        return
    with transaction.atomic():
        try:
            throttle.check(HttpRequest(), "link_again", key=ref)
            throttled = False
        except throttle.Throttled:
            throttled = True
        notice = Notice.objects.filter(reference=ref).first()
        matched = notice is not None and _is_contact(notice, contact)
        record(ANONYMOUS, "notice.link_requested", reference=ref, matched=matched, throttled=throttled)
        if matched and not throttled and notice is not None and notice.contact_email:
            link_requested.send(sender=Notice, notice=notice, site_url=site_url)


def renew_link(notice: Notice) -> str:
    """A new token for `notice` (its old link stops working); inside the caller's transaction, so a
    message that cannot be sent leaves the old link valid."""
    token = new_token()
    notice.access_token_hash = hash_token(token)
    notice.save(update_fields=["access_token_hash"])
    record(SYSTEM, "notice.link_sent", reference=notice.reference, obj=notice)
    return token


def _is_contact(notice: Notice, contact: str) -> bool:
    """`contact` is the notice's email (any case) or its phone (digits compared, spaces and + ignored)."""
    typed = contact.strip()
    if "@" in typed:
        return bool(notice.contact_email) and typed.casefold() == notice.contact_email.casefold()
    digits = "".join(c for c in typed if c.isdigit())
    return len(digits) >= 6 and digits == "".join(c for c in notice.contact_phone if c.isdigit())
