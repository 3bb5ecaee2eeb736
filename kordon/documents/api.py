"""Documents over the API: send, list, read (OpenAPI document: /api/v1/openapi.json).

Who may: the notice's access token, or an officer token of one of the notice's two posts; anyone
else gets 404, as for the notice itself. Every read and upload is recorded in the audit trail.
"""

import uuid
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from kordon.answers import binary_answer
from kordon.audit.services import TRAVELLER, Actor
from kordon.documents import services
from kordon.documents.models import Document
from kordon.documents.responses import document_response
from kordon.documents.schemas import DocumentsOut, StoredDocumentOut
from kordon.notices.access import readable_notice
from kordon.notices.models import Notice
from kordon.posts.auth import officer_for
from kordon.problems import Refused

router = Router()

Kind = Literal["passport", "vehicle_registration", "vehicle_photo"]


def _caller(request: HttpRequest, reference: str) -> tuple[Notice, Actor]:
    """The notice and who is asking; 404 for anyone who may not see it."""
    notice = readable_notice(request, reference)
    officer = officer_for(request)  # None for the access token: readable_notice let one of them in
    return notice, Actor.of_user(officer.user) if officer else TRAVELLER


@router.post("/{reference}/documents", response={201: StoredDocumentOut}, exclude_unset=True,
             summary="Send a passport copy, vehicle papers or photo")
def upload_document(request: HttpRequest, reference: str, kind: Form[Kind], file: File[UploadedFile],
                    traveller_id: Form[int | None] = None) -> Status[dict[str, Any]]:
    """Multipart form. A refused file is a 422 with `file_too_large`, `unsupported_type` or `corrupt_file`."""
    notice, actor = _caller(request, reference)
    document = services.store_document(notice, kind=kind, upload=file, actor=actor, traveller_id=traveller_id)
    missing = [services.slot_json(slot) for slot in services.missing_documents(notice)]
    return Status(201, services.document_json(document) | {"missing": missing})


@router.get("/{reference}/documents", summary="The notice's documents, and which are still missing",
            response=DocumentsOut, exclude_unset=True)
def list_documents(request: HttpRequest, reference: str) -> dict[str, Any]:
    notice, _caller_actor = _caller(request, reference)
    slots = services.document_slots(notice)
    return {
        "documents": [services.document_json(d) for d in notice.documents.all()],
        "missing": [services.slot_json(slot) for slot in slots if not slot.documents],
    }


@router.get("/{reference}/documents/{document_id}",
            summary="The stored, sanitized bytes (?preview=1: a small JPEG); every read is recorded",
            openapi_extra=binary_answer("The document's bytes", "image/jpeg", "image/png", "application/pdf"))
def read_document(request: HttpRequest, reference: str, document_id: str, preview: bool = False) -> HttpResponse:
    notice, actor = _caller(request, reference)
    document = _document(notice, document_id)
    return document_response(request, document, actor, "preview" if preview else "full")


def _document(notice: Notice, document_id: str) -> Document:
    try:
        pk = uuid.UUID(document_id)
    except ValueError:
        pk = None
    document = Document.objects.filter(notice=notice, pk=pk).select_related("notice").first() if pk else None
    if document is None:
        raise Refused.one(None, "not_found", _("No such document on this notice."))
    return document
