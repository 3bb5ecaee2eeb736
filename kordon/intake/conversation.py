"""A conversation that ends in a notice: each message adds to the draft, each answer says what is missing.

Nothing is filed until the traveller confirms ("yes"); filing goes through the notices' own
`file_notice`, so the rules are the filing rules. The idempotency key is the conversation's, so a
second "yes" (or a redelivered one) returns the notice filed before: never two notices, never two fees.
"""

import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kordon import throttle
from kordon.audit.services import Actor, record
from kordon.crossings.models import Crossing
from kordon.documents import sanitize as documents_sanitize
from kordon.documents.encryption import Sealed, decrypt, encrypt
from kordon.documents.keys import key_ring
from kordon.documents.services import store_document
from kordon.intake import prefill
from kordon.intake.models import Attachment, Channel, Conversation, Message, State
from kordon.intake.passports import Unreadable, read_passport
from kordon.intake.reading import Reading, language_of, read_text
from kordon.notices.inputs import NoticeInput, TravellerInput, VehicleInput
from kordon.notices.links import notice_link
from kordon.notices.models import Notice
from kordon.notices.mrz import parse_mrz
from kordon.notices.services import file_notice
from kordon.notifications import services as notifications
from kordon.problems import Refused

logger = logging.getLogger(__name__)
INTAKE = Actor(label="intake (WhatsApp or email)")

PAPER_WORDS = ("regist", "papers", "техпаспорт", "свидетельств", "регистрац", "документ")
VEHICLE_WORDS = ("car", "vehicle", "camper", "truck", "motorbike", "motorcycle", "bike", "registration",
                 "машин", "авто", "техпаспорт", "мотоцикл", "регистрац")


@dataclass(frozen=True)
class Media:
    content: bytes
    mime_type: str
    caption: str = ""


@dataclass
class Incoming:
    message: Message
    media: list[Media] = field(default_factory=list)


def crossing() -> Crossing:
    slug = settings.KORDON_INTAKE_CROSSING
    found = Crossing.objects.filter(slug=slug).first() if slug else Crossing.objects.filter(is_open=True).first()
    if found is None:
        raise RuntimeError("No crossing takes notices by WhatsApp or email: set KORDON_INTAKE_CROSSING.")
    return found


def conversation_for(message: Message) -> Conversation:
    conv = (Conversation.objects.filter(channel=message.channel, address=message.sender)
            .exclude(state=State.FILED).order_by("-updated_at").first())
    if conv is None:
        conv = Conversation.objects.create(channel=message.channel, address=message.sender, name=message.sender_name,
                                           language=language_of(message.text) or "en")
    return conv


def handle(incoming: Incoming) -> str | None:
    """Add the message to its conversation and return the answer (None: a person has taken it over)."""
    message = incoming.message
    conv = conversation_for(message)
    Message.objects.filter(pk=message.pk).update(conversation=conv, handled_at=timezone.now())
    language = language_of(message.text)
    if language:
        conv.language = language
    notifications.heard_from(conv.channel, conv.address, conv.language)
    conv.last_subject, conv.last_message_id = message.subject or conv.last_subject, message.external_id
    conv.updated_at = timezone.now()
    if conv.state == State.TAKEN_OVER or _flooding(message):
        conv.save()
        return None
    with translation.override(conv.language):
        answer = _answer(conv, message, incoming.media)
    conv.save()
    return answer


def _flooding(message: Message) -> bool:
    """More messages from one sender than a person writes (throttle scope `intake_message`): keep, don't answer."""
    try:
        throttle.check(HttpRequest(), "intake_message", key=f"{message.channel}:{message.sender}")
    except throttle.Throttled:
        logger.warning("Intake messages from %s over their rate: kept, not answered", message.sender)
        return True
    return False


def _answer(conv: Conversation, message: Message, media: list[Media]) -> str:
    post = crossing().posts.first()
    reading = read_text(message.text, post.local_today() if post else timezone.now().date())
    if reading.stop:
        notifications.stop(conv.channel, conv.address)
        return _("You will get no more messages from us. Write again at any time to start over.")
    notes = [_take_media(conv, item, message.text) for item in media]
    _take_text(conv, reading)
    if reading.yes and conv.state == State.CONFIRMING:
        return _confirm(conv)
    missing = _missing(conv, asked_vague=reading.vague_date)
    parts = [note for note in notes if note]
    if missing:
        conv.state = State.COLLECTING
        parts.append(_("To announce your crossing we still need:") + "\n" + "\n".join(f"- {m}" for m in missing))
    else:
        conv.state = State.CONFIRMING
        parts.append(_summary(conv) + "\n\n" + _("Reply YES to file this notice, or tell us what to change.")
                     + "\n" + _("Or check it and file it on the web form, filled in with these details (the link "
                                "works for %(hours)s hours): %(link)s") % {"hours": prefill.FORM_LINK_HOURS,
                                                                          "link": prefill.form_link(conv)})
    return "\n\n".join(parts)


def _take_text(conv: Conversation, reading: Reading) -> None:
    draft = conv.draft
    if reading.expected_date:
        draft["date"] = reading.expected_date.isoformat()
    for key in ("direction", "people", "plate", "vehicle_kind", "vehicle_country"):
        value = getattr(reading, key)
        if value:
            draft[key] = value


def _take_media(conv: Conversation, item: Media, text: str) -> str:
    """Keep a photo or file (sanitized, encrypted); read a passport's MRZ. Returns a note for the answer."""
    try:
        clean = documents_sanitize.sanitize(item.content, max_bytes=settings.KORDON_UPLOAD_MAX_BYTES)
    except documents_sanitize.Refused as refused:
        return _("We could not use a file you sent: %(why)s") % {"why": refused.message}
    # What the photo shows: its caption (an email's file name) says best; the message's text may be
    # about several photos, so a passport is looked for in any photo whose caption does not rule it out.
    caption, said = item.caption.lower(), text.lower()
    captioned_papers = any(word in caption for word in PAPER_WORDS)
    captioned_vehicle = captioned_papers or any(word in caption for word in VEHICLE_WORDS)
    mrz = ""
    if clean.content_type.startswith("image/") and not captioned_vehicle:
        try:
            mrz = "\n".join(read_passport(clean.content).lines)
        except Unreadable as exc:
            if exc.problems:
                return _("We read the passport's machine-readable lines but they fail their check digits "
                         "(%(problem)s). Please send a sharper photo of the whole data page.") % {
                    "problem": exc.problems[0].message}
            if not any(word in said for word in VEHICLE_WORDS):
                return _("We could not read a passport in this photo. If it is a passport, photograph the whole "
                         "data page flat and in focus; if it shows the vehicle or its papers, say so in the "
                         "caption.")
    papers = clean.content_type == "application/pdf" or captioned_papers or (
        not captioned_vehicle and any(word in said for word in PAPER_WORDS))
    kind = "passport" if mrz else "vehicle_registration" if papers else "vehicle_photo"
    _keep(conv, kind, clean.content, clean.content_type, mrz)
    if mrz:
        data = parse_mrz(mrz.splitlines())
        travellers = conv.draft.setdefault("travellers", [])
        if all(t["document_number"] != data.document_number for t in travellers):
            travellers.append({"mrz": mrz.splitlines(), "document_number": data.document_number})
        return _("Passport of %(name)s read.") % {"name": f"{data.surname} {data.given_names}".strip()}
    return _("Vehicle document received.")


def passport_lines(content: bytes | None) -> list[str]:
    """The checked MRZ of a passport photo sent from the web form; raise Refused (field `file`) saying why not."""
    if not content:
        raise Refused.one("file", "invalid", _("Choose a photo of the passport's data page."))
    try:
        clean = documents_sanitize.sanitize(content, max_bytes=settings.KORDON_UPLOAD_MAX_BYTES)
        if not clean.content_type.startswith("image/"):
            raise Refused.one("file", "unsupported_type", _("Send a photo (JPEG, PNG or WebP) of the data page."))
        return read_passport(clean.content).lines
    except documents_sanitize.Refused as refused:
        raise Refused.one("file", refused.code, refused.message) from refused
    except Unreadable as exc:
        code = "mrz_check_digit" if exc.problems else "mrz_unreadable"
        message = exc.problems[0].message if exc.problems else _(
            "No machine-readable lines found: photograph the whole data page, flat and sharp.")
        raise Refused.one("file", code, message) from exc


def _keep(conv: Conversation, kind: str, content: bytes, content_type: str, mrz: str) -> None:
    attachment = Attachment(conversation=conv, kind=kind, content_type=content_type, mrz=mrz)
    sealed_bytes, sealed = encrypt(content, key_ring(), associated_data=attachment.associated_data())
    attachment.sealed, attachment.key_id = sealed_bytes, sealed.key_id
    attachment.wrapped_key, attachment.nonce = sealed.wrapped_key, sealed.nonce
    attachment.save()


def _opened(attachment: Attachment) -> bytes:
    sealed = Sealed(attachment.key_id, bytes(attachment.wrapped_key), bytes(attachment.nonce))
    return decrypt(bytes(attachment.sealed), sealed, key_ring(), associated_data=attachment.associated_data())


def _missing(conv: Conversation, *, asked_vague: bool) -> list[str]:
    draft, missing = conv.draft, []
    if "date" not in draft:
        missing.append(_("the exact date you will cross, e.g. 30 May (\"next week\" is not enough)") if asked_vague
                       else _("the date you will cross, e.g. 30 May"))
    if "direction" not in draft:
        missing.append(_("the direction: into Kyrgyzstan or into Tajikistan"))
    passports, people = len(draft.get("travellers", [])), draft.get("people")
    if passports == 0 or (people and passports < people):
        missing.append(_("a photo of each traveller's passport data page (%(have)s of %(need)s received)")
                       % {"have": passports, "need": people or "?"})
    if draft.get("plate") or draft.get("vehicle_kind"):
        kinds = set(conv.attachments.values_list("kind", flat=True))
        if not draft.get("plate"):
            missing.append(_("the vehicle's number plate"))
        if not draft.get("vehicle_country"):
            missing.append(_("the country the vehicle is registered in (e.g. \"registered in Germany\")"))
        if "vehicle_photo" not in kinds:
            missing.append(_("a photo of the vehicle"))
        if "vehicle_registration" not in kinds:
            missing.append(_("a photo of the vehicle's registration papers (say so in the caption)"))
    return missing


def _travellers(conv: Conversation) -> list[TravellerInput]:
    result = []
    for t in conv.draft.get("travellers", []):
        data = parse_mrz(t["mrz"])
        assert data.date_of_birth and data.document_expiry  # parse_mrz checked them
        result.append(TravellerInput(data.surname, data.given_names, data.nationality, data.sex or "X",
                                     data.date_of_birth, data.document_number, data.document_expiry, list(t["mrz"])))
    return result


def _summary(conv: Conversation) -> str:
    draft = conv.draft
    lines = [_("Your crossing notice:"),
             _("Date: %(date)s") % {"date": date.fromisoformat(draft["date"]).strftime("%d.%m.%Y")},
             _("Direction: %(direction)s") % {"direction": draft["direction"]}]
    lines += [f"- {t.surname} {t.given_names}, {t.nationality} {t.document_number}" for t in _travellers(conv)]
    if draft.get("plate"):
        lines.append(_("Vehicle: %(plate)s (%(country)s)") % {"plate": draft["plate"],
                                                              "country": draft.get("vehicle_country", "?")})
    return "\n".join(lines)


def notice_input(conv: Conversation) -> NoticeInput:
    draft, travellers = conv.draft, _travellers(conv)
    vehicle = None
    if draft.get("plate"):
        vehicle = VehicleInput(draft["plate"], draft.get("vehicle_country", ""), draft.get("vehicle_kind") or "car")
    return NoticeInput(crossing(), draft["direction"], date.fromisoformat(draft["date"]), travellers,
                       email=conv.address if conv.channel == Channel.EMAIL else "",
                       phone=f"+{conv.address}" if conv.channel == Channel.WHATSAPP else "",
                       vehicle=vehicle, idempotency_key=f"kordon-intake-{conv.pk}-{draft.get('version', 0)}")


def _confirm(conv: Conversation) -> str:
    try:
        filed = file_notice(notice_input(conv))
    except Refused as refused:
        conv.state = State.COLLECTING
        if any(p.code == "duplicate" for p in refused.problems):
            return _("A notice for this passport and date is already filed: nothing new was filed and nothing "
                     "is charged again.") + "\n" + "\n".join(p.message for p in refused.problems)
        return _("The notice cannot be filed yet:") + "\n" + "\n".join(f"- {p.message}" for p in refused.problems)
    notice = filed.notice
    conv.state, conv.notice = State.FILED, notice
    recipient = notifications.heard_from(conv.channel, conv.address, conv.language)
    notifications.route_to(notice, recipient)
    record(INTAKE, "intake.filed", reference=notice.reference, obj=notice, channel=conv.channel)
    transaction.on_commit(lambda: _store_documents(conv.pk, notice.pk))
    if not filed.created or filed.access_token is None:
        return _("This notice was filed already: %(reference)s. Nothing is charged twice.") % {
            "reference": notice.display_reference}
    link = f"{settings.KORDON_BASE_URL}{notice_link(notice.reference, filed.access_token)}"
    return _("Filed. Your reference is %(reference)s. Your notice: %(link)s\nYour confirmation with its seal "
             "follows.") % {"reference": notice.display_reference, "link": link}


def filed_on_form(conv: Conversation, notice: Notice) -> None:
    """The traveller filed the draft on the prefilled web form: the conversation ends in that notice,
    whose notifications go to the channel the traveller wrote from. Inside the filing's transaction."""
    conv.state, conv.notice, conv.updated_at = State.FILED, notice, timezone.now()
    conv.save(update_fields=["state", "notice", "updated_at"])
    notifications.route_to(notice, notifications.heard_from(conv.channel, conv.address, conv.language))
    record(INTAKE, "intake.filed", reference=notice.reference, obj=notice, channel=conv.channel, via="form")
    transaction.on_commit(lambda: _store_documents(conv.pk, notice.pk))


def _store_documents(conversation_id: int, notice_id: int) -> None:
    """The conversation's photos become the notice's documents (same sanitizing and encryption as uploads)."""
    conv = Conversation.objects.get(pk=conversation_id)
    notice = conv.notice
    if notice is None:
        return
    by_number = {t.document_number: t.pk for t in notice.travellers.all()}
    for attachment in conv.attachments.all():
        traveller_id = None
        if attachment.kind == "passport":
            traveller_id = by_number.get(parse_mrz(attachment.mrz.splitlines()).document_number)
            if traveller_id is None:
                continue
        elif getattr(notice, "vehicle", None) is None:
            continue
        try:
            store_document(notice, kind=attachment.kind, upload=_opened(attachment), actor=INTAKE,
                           traveller_id=traveller_id)
        except Refused as refused:
            logger.warning("Intake document of %s not stored: %s", notice.reference, refused)
            continue
        attachment.delete()
