"""The alternative to replying "yes": a link to the web form, filled in with the conversation's draft.

The link carries the conversation's id signed under the secret key (Django's `signing`, its own
salt) and its date; it works for FORM_LINK_HOURS and only while the draft is not filed. The
traveller reviews the form and files it there: the filing is the form's own, nothing is filed by
opening the link.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from kordon.intake.models import Channel, Conversation, State
from kordon.notices.mrz import MrzError, parse_mrz

FORM_LINK_HOURS = 72
SALT = "kordon.intake.prefilled-form"


class LinkInvalid(Exception):
    """The link was altered, has expired, or its draft is filed or in a person's hands."""


def form_link(conv: Conversation) -> str:
    """The absolute link to the form prefilled with `conv`'s draft, in the conversation's language."""
    token = signing.dumps({"c": conv.pk}, salt=SALT, compress=True)
    with translation.override(conv.language or "en"):
        return f"{settings.KORDON_BASE_URL}{reverse('intake:prefilled_form', args=[token])}"


def conversation_of(token: str) -> Conversation:
    """The conversation a form link names; raise LinkInvalid when the link cannot be used."""
    try:
        data = signing.loads(token, salt=SALT, max_age=FORM_LINK_HOURS * 3600)
    except signing.BadSignature as exc:  # SignatureExpired is one
        raise LinkInvalid(str(exc)) from exc
    pk = data.get("c") if isinstance(data, dict) else None
    conv = Conversation.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if conv is None or conv.state == State.TAKEN_OVER:
        raise LinkInvalid("no such draft")
    return conv


def initial(conv: Conversation) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The notice form's and each traveller's initial values, from what the draft holds."""
    draft = conv.draft
    notice: dict[str, Any] = {"direction": draft.get("direction", ""),
                              "email": conv.address if conv.channel == Channel.EMAIL else "",
                              "phone": f"+{conv.address}" if conv.channel == Channel.WHATSAPP else ""}
    from kordon.intake.conversation import crossing

    notice["crossing"] = crossing().slug
    if draft.get("date"):
        notice["expected_date"] = date.fromisoformat(draft["date"])
    if draft.get("plate"):
        notice |= {"has_vehicle": True, "plate": draft["plate"], "vehicle_country": draft.get("vehicle_country", ""),
                   "vehicle_kind": draft.get("vehicle_kind") or "car"}
    travellers = []
    for traveller in draft.get("travellers", []):
        try:
            data = parse_mrz(list(traveller["mrz"]))
        except (MrzError, KeyError, TypeError):
            continue
        travellers.append({"mrz": "\n".join(traveller["mrz"]), "surname": data.surname,
                           "given_names": data.given_names, "nationality": data.nationality, "sex": data.sex or "X",
                           "date_of_birth": data.date_of_birth, "document_number": data.document_number,
                           "document_expiry": data.document_expiry})
    return notice, travellers
