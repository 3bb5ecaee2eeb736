"""The filing rules: the automatic checks of a notice. Each returns problems a traveller can act on; none raises."""

import unicodedata
from collections.abc import Iterable
from datetime import date, timedelta

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kordon.crossings.countries import is_nationality, nationality_problem_message
from kordon.crossings.models import Crossing, Direction
from kordon.crossings.opening import PostCalendar
from kordon.notices import mrz
from kordon.notices.inputs import NoticeInput, TravellerInput
from kordon.notices.models import Notice, NoticeStatus, Traveller
from kordon.problems import Problem
from kordon.text import compact

ACTIVE = (NoticeStatus.ACCEPTED, NoticeStatus.UNDER_REVIEW)


def check_notice(crossing: Crossing, direction: Direction, data: NoticeInput) -> list[Problem]:
    if not crossing.is_open:
        return [Problem("crossing", "crossing_closed",
                        _("%(crossing)s is closed to notices at the moment. Choose another crossing.")
                        % {"crossing": crossing.name})]
    problems = check_lead_time(crossing, direction, data.expected_date) + check_contact(data.email, data.phone)
    problems += check_post_open(crossing, direction, data.expected_date)
    for index, traveller in enumerate(data.travellers):
        prefix = f"travellers[{index}]"
        problems += check_names(traveller, prefix)
        problems += check_document(crossing, traveller, data.expected_date, prefix)
        problems += check_nationality(crossing, direction, traveller.nationality, prefix)
        problems += check_mrz(traveller, prefix)
    problems += check_duplicates(crossing, data.expected_date, data.travellers)
    return problems


def check_new_date(notice: Notice, new_date: date) -> list[Problem]:
    crossing, direction = notice.crossing, notice.direction
    problems = [
        Problem("expected_date", p.code, p.message)
        for p in check_lead_time(crossing, direction, new_date) + check_post_open(crossing, direction, new_date)
    ]
    travellers = list(notice.travellers.all())
    for index, traveller in enumerate(travellers):
        problems += _check_expiry(crossing, traveller.document_expiry, new_date, f"travellers[{index}]")
    problems += _duplicates_in_db(crossing, new_date, travellers, exclude=notice)
    return problems


def check_newcomer(notice: Notice, t: TravellerInput) -> list[Problem]:
    """Checks for a traveller added to a filed notice; fields are named as in the traveller alone."""
    crossing, direction, day, prefix = notice.crossing, notice.direction, notice.expected_date, "travellers[0]"
    problems: list[Problem] = []
    if check_lead_time(crossing, direction, day):
        problems.append(Problem("traveller", "lead_time", ngettext(
            "%(crossing)s needs %(days)d day's notice for every traveller, and this party crosses on "
            "%(date)s: the newcomer cannot join it now. File a notice of their own for a later date, "
            "or move this notice's date first.",
            "%(crossing)s needs %(days)d days' notice for every traveller, and this party crosses on "
            "%(date)s: the newcomer cannot join it now. File a notice of their own for a later date, "
            "or move this notice's date first.",
            crossing.lead_time_days,
        ) % {"crossing": crossing.name, "days": crossing.lead_time_days, "date": day.isoformat()}))
    closed = check_post_open(crossing, direction, day)
    if closed:
        problems.append(Problem("traveller", "post_closed", _(
            "%(message)s Move this notice's date to an open day first, then add the traveller."
        ) % {"message": closed[0].message}))
    problems += check_names(t, prefix) + check_document(crossing, t, day, prefix)
    problems += check_nationality(crossing, direction, t.nationality, prefix)
    problems += check_mrz(t, prefix)
    key = (compact(t.document_number), t.nationality.upper())
    if any((x.document_key, x.nationality) == key for x in notice.travellers.all()):
        problems.append(Problem(f"{prefix}.document_number", "duplicate",
                                _("This traveller is on the notice already.")))
    else:
        problems += _duplicates_in_db(crossing, day, [t])
    return [Problem(p.field.removeprefix(f"{prefix}.") if p.field else None, p.code, p.message) for p in problems]


def check_lead_time(crossing: Crossing, direction: Direction, expected: date) -> list[Problem]:
    # Counted in the receiving post's calendar: that is where the list for the day is read.
    today = direction.to_post.local_today()
    earliest = today + timedelta(days=crossing.lead_time_days)
    if expected >= earliest:
        return []
    if expected < today:
        message = _("The date %(date)s has passed. The earliest date you can choose now is %(earliest)s.") % {
            "date": expected.isoformat(), "earliest": earliest.isoformat()}
    else:
        message = ngettext(
            "%(crossing)s needs %(days)d day's notice: the earliest date you can choose now is %(weekday)s "
            "%(earliest)s. Travellers who arrive before their date wait at the gate.",
            "%(crossing)s needs %(days)d days' notice: the earliest date you can choose now is %(weekday)s "
            "%(earliest)s. Travellers who arrive before their date wait at the gate.",
            crossing.lead_time_days,
        ) % {"crossing": crossing.name, "days": crossing.lead_time_days,
             "weekday": date_format(earliest, "l"), "earliest": earliest.isoformat()}
    return [Problem("expected_date", "lead_time", message)]


def check_post_open(crossing: Crossing, direction: Direction, expected: date) -> list[Problem]:
    """The receiving post must be open on the date: travellers are held at a closed gate."""
    post = direction.to_post
    calendar = PostCalendar.of(post)
    if calendar.is_open(expected):
        return []
    earliest = post.local_today() + timedelta(days=crossing.lead_time_days)
    suggestion = calendar.first_open(max(expected + timedelta(days=1), earliest))
    reason = calendar.why_closed(expected)
    args = {"post": post.name, "day": _day(expected), "reason": reason,
            "next": _day(suggestion) if suggestion else ""}
    if reason:
        closed = _("%(post)s is closed on %(day)s (%(reason)s).") % args
    else:
        closed = _("%(post)s does not open on %(day)s.") % args
    if suggestion is None:
        then = _("It has no open day in the coming year: choose another crossing.")
    else:
        then = _("The next day you can choose is %(next)s.") % args
    return [Problem("expected_date", "post_closed", f"{closed} {then}")]


def _day(day: date) -> str:
    """A weekday and date in the reader's language: 'Saturday 2026-12-12'."""
    return f"{date_format(day, 'l')} {day:%Y-%m-%d}"


def check_document(crossing: Crossing, t: TravellerInput, expected: date, prefix: str) -> list[Problem]:
    return _check_expiry(crossing, t.document_expiry, expected, prefix)


def _check_expiry(crossing: Crossing, expiry: date, expected: date, prefix: str) -> list[Problem]:
    needed = expected + timedelta(days=crossing.document_validity_days)
    if expiry >= needed:
        return []
    values = {"expiry": expiry.isoformat(), "needed": needed.isoformat(), "days": crossing.document_validity_days}
    if crossing.document_validity_days:
        message = ngettext(
            "The document expires on %(expiry)s, but must be valid until %(needed)s (the crossing date plus "
            "%(days)d day). Travel with a valid passport and enter its details.",
            "The document expires on %(expiry)s, but must be valid until %(needed)s (the crossing date plus "
            "%(days)d days). Travel with a valid passport and enter its details.",
            crossing.document_validity_days,
        ) % values
    else:
        message = _(
            "The document expires on %(expiry)s, but must be valid until %(needed)s (the crossing date). "
            "Travel with a valid passport and enter its details."
        ) % values
    return [Problem(f"{prefix}.document_expiry", "document_expired", message)]


def check_contact(email: str, phone: str) -> list[Problem]:
    # The border service must be able to reach the party (a closed pass, a changed rule), and the
    # "send me my link again" page needs someone to send the link to.
    if email.strip() or phone.strip():
        return []
    return [Problem("contact", "contact_missing",
                    _("Give an email address or a phone number (or both), so the border service can reach you "
                      "and you can get your notice's link again."))]


# Letters of any script, combining marks (accents), and the punctuation names carry: space, hyphen,
# apostrophe, full stop and comma. Emoji, symbols and digits are not names (the seal drops them).
_NAME_PUNCTUATION = frozenset(" -'’.,")


def _bad_name_character(text: str) -> str | None:
    for char in text:
        if char not in _NAME_PUNCTUATION and unicodedata.category(char)[0] not in "LM":
            return char
    return None


def check_names(t: "TravellerInput", prefix: str) -> list[Problem]:
    problems = []
    for name, label in (("surname", _("surname")), ("given_names", _("given names"))):
        bad = _bad_name_character(getattr(t, name))
        if bad is not None:
            shown = bad if bad.isprintable() and not bad.isspace() else f"U+{ord(bad):04X}"
            problems.append(Problem(f"{prefix}.{name}", "invalid", _(
                "The %(label)s may hold only letters, spaces, hyphens and apostrophes, not “%(char)s”. "
                "Type it as printed in the passport.") % {"label": label, "char": shown}))
    return problems


def check_nationality(crossing: Crossing, direction: Direction, nationality: str, prefix: str) -> list[Problem]:
    if not is_nationality(nationality):
        return [Problem(f"{prefix}.nationality", "invalid", nationality_problem_message(nationality.upper()))]
    for rule in crossing.nationality_rules.all():
        applies = rule.direction_id in (None, direction.pk)
        if applies and rule.nationality.upper() == nationality.upper():
            return [Problem(f"{prefix}.nationality", "nationality_not_allowed", rule.message)]
    return []


def check_mrz(t: TravellerInput, prefix: str) -> list[Problem]:
    if not t.mrz:
        return []
    try:
        parsed = mrz.parse_mrz(t.mrz)
    except mrz.MrzError as exc:
        return [Problem(f"{prefix}.mrz", p.code, p.message) for p in exc.problems]
    mismatches = mrz.compare_with_fields(
        parsed, surname=t.surname, given_names=t.given_names, nationality=t.nationality, sex=t.sex,
        date_of_birth=t.date_of_birth, document_number=t.document_number, document_expiry=t.document_expiry,
    )
    return [Problem(f"{prefix}.{p.field}", p.code, p.message) for p in mismatches]


def check_duplicates(crossing: Crossing, expected: date, travellers: list[TravellerInput]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for index, t in enumerate(travellers):
        key = (compact(t.document_number), t.nationality.upper())
        if key in seen:
            problems.append(Problem(f"travellers[{index}].document_number", "duplicate",
                                    _("This document is already in this notice once. Remove the second entry.")))
        seen.add(key)
    return problems + _duplicates_in_db(crossing, expected, travellers)


def _duplicates_in_db(
    crossing: Crossing, expected: date, travellers: Iterable[TravellerInput | Traveller],
    exclude: Notice | None = None,
) -> list[Problem]:
    problems = []
    for index, t in enumerate(travellers):
        found = Traveller.objects.filter(
            document_key=compact(t.document_number), nationality=t.nationality.upper(),
            notice__crossing=crossing, notice__expected_date=expected, notice__status__in=ACTIVE,
        )
        if exclude is not None:
            found = found.exclude(notice=exclude)
        if found.exists():
            problems.append(Problem(
                f"travellers[{index}].document_number", "duplicate",
                _("A notice for document %(document)s at %(crossing)s on %(date)s already exists, so this one "
                  "was not filed and nothing was charged. Use the link you received for that notice to check "
                  "or change it.") % {"document": t.document_number, "crossing": crossing.name,
                                      "date": expected.isoformat()},
            ))
    return problems
