"""Which notices a person should look at before they are accepted (a crossing's `ReviewRules`).

Called by filing once every check has passed: a notice with reasons is stored `under_review`, with
its `Review`, and gets no seal until a reviewer accepts it.
"""

from datetime import timedelta
from typing import Any

from kordon.audit.services import SYSTEM, record
from kordon.crossings.models import Crossing
from kordon.notices import mrz
from kordon.notices.inputs import NoticeInput, TravellerInput
from kordon.notices.models import Notice, NoticeStatus
from kordon.review.models import Review, ReviewRules
from kordon.review.signals import notice_held

DOCUMENT_EXPIRING, NO_MRZ, MRZ_NAME, LARGE_PARTY, NATIONALITY, HELD = (
    "document_expiring", "no_mrz", "mrz_name_inexact", "large_party", "nationality", "held")


def reasons_for(crossing: Crossing, data: NoticeInput) -> list[dict[str, Any]]:
    rules = ReviewRules.objects.filter(crossing=crossing).first()
    if rules is None:
        return []
    reasons: list[dict[str, Any]] = []
    if rules.party_larger_than is not None and len(data.travellers) > rules.party_larger_than:
        reasons.append(_reason(LARGE_PARTY, None, f"{len(data.travellers)} > {rules.party_larger_than}"))
    codes = rules.nationality_codes()
    for position, t in enumerate(data.travellers):
        reasons += _traveller_reasons(rules, crossing, data, position, t, codes)
    return reasons


def _traveller_reasons(rules: ReviewRules, crossing: Crossing, data: NoticeInput, position: int,
                       t: TravellerInput, codes: set[str]) -> list[dict[str, Any]]:
    found = []
    if rules.expiry_margin_days:
        needed = data.expected_date + timedelta(days=crossing.document_validity_days)
        if t.document_expiry < needed + timedelta(days=rules.expiry_margin_days):
            found.append(_reason(DOCUMENT_EXPIRING, position, t.document_expiry.isoformat()))
    if rules.require_mrz and not t.mrz:
        found.append(_reason(NO_MRZ, position, ""))
    if rules.exact_mrz_names and t.mrz:
        detail = _inexact_names(t)
        if detail:
            found.append(_reason(MRZ_NAME, position, detail))
    if t.nationality.upper() in codes:
        found.append(_reason(NATIONALITY, position, t.nationality.upper()))
    return found


def _inexact_names(t: TravellerInput) -> str:
    """The names as typed and as in the MRZ when they are not exactly its transliteration, else ""."""
    try:
        parsed = mrz.parse_mrz(t.mrz)
    except mrz.MrzError:
        return ""  # the filing checks refuse a bad MRZ before this is asked
    cut = mrz.name_may_be_truncated(parsed)
    pairs = [(mrz.transliterate(t.surname), parsed.surname), (mrz.transliterate(t.given_names), parsed.given_names)]
    if all(typed == in_mrz or (cut and typed.startswith(in_mrz)) for typed, in_mrz in pairs):
        return ""
    return f"{t.surname} {t.given_names} / {parsed.surname} {parsed.given_names}".strip()


def _reason(code: str, traveller: int | None, detail: str) -> dict[str, Any]:
    return {"code": code, "traveller": traveller, "detail": detail}


def open_review(notice: Notice, reasons: list[dict[str, Any]]) -> Review:
    """Send a notice (being filed, or held by headquarters) to the reviewers' queue. Call inside the
    transaction that stores it; the caller withholds (or withdraws) its seal."""
    if notice.status != NoticeStatus.UNDER_REVIEW:
        Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.UNDER_REVIEW)
        notice.status = NoticeStatus.UNDER_REVIEW
    review, created = Review.objects.get_or_create(notice=notice, decided_at=None, defaults={"reasons": reasons})
    if not created:
        review.reasons = review.reasons + reasons
        review.save(update_fields=["reasons"])
    record(SYSTEM, "notice.sent_to_review", reference=notice.reference, obj=review,
           reasons=[r["code"] for r in reasons])
    notice_held.send(sender=Review, review=review)
    return review
