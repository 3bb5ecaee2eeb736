"""Template pieces for documents: the traveller's panel on the notice page, thumbnails in the console."""

from typing import Any

from django import template

from kordon.documents import services
from kordon.documents.models import Document, DocumentKind
from kordon.notices.models import Notice, Traveller

register = template.Library()


@register.inclusion_tag("documents/_panel.html", takes_context=True)
def documents_panel(context: template.Context, notice: Notice) -> dict[str, Any]:
    """What is needed and what arrived, with a form per document while the notice takes them.

    A refused plain-form upload comes back as the same page; the upload view leaves the slot and
    its messages on the request, and they are shown beside that slot's form.
    """
    request = context.get("request")
    refused_slot, refused_messages = getattr(request, "document_refusal", ("", []))
    slots = services.document_slots(notice)
    rows: list[tuple[services.Slot, list[str]]] = [
        (slot, refused_messages if slot.key == refused_slot else []) for slot in slots]
    return {
        "notice": notice, "rows": rows, "missing": [s for s in slots if not s.documents],
        "accepting": notice.is_active, "filed": context.get("filed", False), "csrf_token": context.get("csrf_token"),
        "request": request,
    }


@register.inclusion_tag("documents/_thumbs_row.html", takes_context=True)
def document_thumbs(context: template.Context, traveller: Traveller) -> dict[str, Any]:
    """The traveller's passport copy and the party's vehicle photo, as links around small thumbnails.

    Documents are fetched once per notice per page (a party's travellers share one query).
    """
    request = context.get("request")
    cache: dict[int, list[Document]] = getattr(request, "_notice_documents", {})
    if request is not None:
        request._notice_documents = cache
    if traveller.notice_id not in cache:
        cache[traveller.notice_id] = list(Document.objects.filter(notice_id=traveller.notice_id).defer(
            "wrapped_key", "nonce", "preview_wrapped_key", "preview_nonce"))
    documents = cache[traveller.notice_id]
    passport = next((d for d in reversed(documents) if d.kind == DocumentKind.PASSPORT
                     and d.traveller_id == traveller.pk), None)
    photo = next((d for d in documents if d.kind == DocumentKind.VEHICLE_PHOTO), None)
    return {"shown": [d for d in (passport, photo) if d], "traveller": traveller}
