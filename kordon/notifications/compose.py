"""What each notification says, in the traveller's language; built when it is sent, from what is true then.

A seal withdrawn before its confirmation went out is not announced (its successor is); the words
are rendered once per attempt from the notice, the seal or the receipt the row names.
"""

from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kordon.notices.models import Notice
from kordon.notifications.channels import Attachment, Message
from kordon.notifications.models import Kind, Notification
from kordon.payments.models import Receipt
from kordon.review.models import Decision, Review
from kordon.seals.models import Seal
from kordon.seals.qr import phone_png


@dataclass(frozen=True)
class Draft:
    """A message before its address is known."""

    message: Message

    def to(self, address: str) -> Message:
        return replace(self.message, address=address)


def compose(row: Notification, language: str) -> Draft | None:
    """The message for `row` in `language`, or None when there is nothing to tell any more."""
    with translation.override(language or "en"):
        builder = _BUILDERS[Kind(row.kind)]
        message = builder(row, row.notice)
    if message is None:
        return None
    return Draft(replace(message, language=language or "en", key=f"kordon-notification-{row.pk}"))


def after_sent(row: Notification) -> None:
    """Remember on the receipt that it was mailed (shown to officers and administrators)."""
    if row.kind in (Kind.RECEIPT, Kind.REFUND) and row.subject_id:
        Receipt.objects.filter(pk=row.subject_id, emailed_at__isnull=True).update(emailed_at=timezone.now())


def _day(value: date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _template(notice: Notice, summary: str) -> tuple[str, list[str]]:
    """The approved WhatsApp template (outside the 24-hour window): reference and one line of news."""
    return settings.KORDON_WHATSAPP_TEMPLATE, [notice.display_reference, summary[:1000]]


def _window(notice: Notice) -> str:
    first, last = notice.arrival_window()
    if first == last:
        return _("on %(day)s") % {"day": _day(first)}
    return _("from %(first)s to %(last)s") % {"first": _day(first), "last": _day(last)}


def _seal(row: Notification, notice: Notice) -> Message | None:
    seal = Seal.objects.filter(pk=row.subject_id or 0).first()
    if seal is None or seal.revoked_at is not None:
        return None  # withdrawn before we told anyone: its successor has its own notification
    context = {"notice": notice, "seal": seal, "travellers": notice.travellers.all(),
               "post": notice.direction.to_post, "window": notice.arrival_window()}
    if row.kind == Kind.AMENDMENT:
        subject = _("Crossing notice %(reference)s changed: your new seal for %(crossing)s")
        summary = _("your notice changed; the new seal replaces the old one.")
    else:
        subject = _("Crossing notice %(reference)s: your seal for %(crossing)s")
        summary = _("your notice is accepted; arrive %(window)s.") % {"window": _window(notice)}
    return Message(
        address="", subject=subject % {"reference": notice.display_reference, "crossing": notice.crossing.name},
        body=render_to_string("seals/email.txt", context),
        attachments=[Attachment(f"seal-{notice.display_reference}.png", phone_png(seal), "image/png")],
        template=_template(notice, summary))


def _receipt(row: Notification, notice: Notice) -> Message | None:
    receipt = Receipt.objects.filter(pk=row.subject_id or 0).first()
    if receipt is None:
        return None
    context = {"receipt": receipt, "notice": notice, "base_url": settings.KORDON_BASE_URL}
    if receipt.kind == "refund":
        subject = _("Refund receipt %(number)s for crossing notice %(reference)s")
        summary = _("refunded %(currency)s %(amount)s, receipt %(number)s.")
    else:
        subject = _("Receipt %(number)s for crossing notice %(reference)s")
        summary = _("paid %(currency)s %(amount)s, receipt %(number)s.")
    values = {"number": receipt.number, "reference": notice.display_reference,
              "currency": receipt.currency, "amount": f"{receipt.amount:.2f}"}
    return Message(address="", subject=subject % values, body=render_to_string("payments/receipt_email.txt", context),
                   template=_template(notice, summary % values))


def _bring(notice: Notice) -> list[str]:
    things = [_("the passport of each traveller named on the notice"), _("this notice's reference")]
    if getattr(notice, "vehicle", None) is not None:
        things.append(_("the vehicle's registration papers"))
    things += [str(text) for text in notice.crossing.requirements().values() if text]
    return things


def _opening_hours(notice: Notice) -> str:
    """The receiving post's weekly hours, local time ("Monday 08:00-17:00, ..."), as the authority keeps them."""
    hours = [str(row) for row in notice.direction.to_post.opening_hours.all()]
    return ", ".join(hours) if hours else _("every day (the post has not published its hours)")


def _reminder(row: Notification, notice: Notice) -> Message | None:
    if not notice.is_active:
        return None
    post = notice.direction.to_post
    lines = [
        _("Your crossing at %(post)s is in two days: arrive %(window)s.") % {"post": post.name,
                                                                           "window": _window(notice)},
        _("Opening hours: %(hours)s.") % {"hours": _opening_hours(notice)},
        _("Bring:"), *[f"  - {thing}" for thing in _bring(notice)],
    ]
    subject = _("Crossing notice %(reference)s: your crossing is in two days") % {
        "reference": notice.display_reference}
    return Message(address="", subject=subject, body="\n".join(lines) + "\n",
                   template=_template(notice, _("your crossing at %(post)s is in two days.") % {"post": post.name}))


def _todays_list(row: Notification, notice: Notice) -> Message | None:
    if not notice.is_active:
        return None
    post = notice.direction.to_post
    body = _("You are on today's entry list at %(post)s. Show your seal or your reference %(reference)s "
             "to the officer.") % {"post": post.name, "reference": notice.display_reference}
    subject = _("Crossing notice %(reference)s: you are on today's list") % {"reference": notice.display_reference}
    return Message(address="", subject=subject, body=body + "\n",
                   template=_template(notice, _("you are on today's list at %(post)s.") % {"post": post.name}))


def _cancellation(row: Notification, notice: Notice) -> Message | None:
    body = _("Your crossing notice %(reference)s is cancelled; its seal is no longer valid. "
             "A refund, if one is due, is sent separately.") % {"reference": notice.display_reference}
    refused = Review.objects.filter(notice=notice, decision=Decision.REFUSED).order_by("-decided_at").first()
    if refused is not None:
        body = _("Your crossing notice %(reference)s was refused after review: %(reason)s. Its seal is no longer "
                 "valid. A refund, if one is due, is sent separately.") % {
            "reference": notice.display_reference, "reason": refused.note}
    subject = _("Crossing notice %(reference)s is cancelled") % {"reference": notice.display_reference}
    return Message(address="", subject=subject, body=body + "\n",
                   template=_template(notice, _("your notice is cancelled.")))


def _under_review(row: Notification, notice: Notice) -> Message | None:
    if notice.status != "under_review":
        return None  # decided before we told anyone: the decision has its own message
    body = _("Your crossing notice %(reference)s was received and is being checked by a person before it is "
             "accepted. You will get your seal, or the reason it is refused, in a further message.") % {
        "reference": notice.display_reference}
    subject = _("Crossing notice %(reference)s is being checked") % {"reference": notice.display_reference}
    return Message(address="", subject=subject, body=body + "\n",
                   template=_template(notice, _("your notice is being checked by a person.")))


_BUILDERS = {
    Kind.CONFIRMATION: _seal, Kind.AMENDMENT: _seal, Kind.RECEIPT: _receipt, Kind.REFUND: _receipt,
    Kind.REMINDER: _reminder, Kind.TODAYS_LIST: _todays_list, Kind.CANCELLATION: _cancellation,
    Kind.UNDER_REVIEW: _under_review,
}


def compose_link(notice: Notice, url: str, language: str) -> Draft:
    """"Send me my link again": the notice's new link, by email only (the link is the notice's key)."""
    with translation.override(language):
        subject = _("Crossing notice %(reference)s: your link") % {"reference": notice.display_reference}
        body = render_to_string("notices/link_email.txt", {"notice": notice, "url": url})
    return Draft(Message(address="", subject=subject, body=body, language=language,
                         key=f"kordon-link-{notice.pk}-{timezone.now().timestamp():.0f}"))
