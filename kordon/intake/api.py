"""`/api/v1/intake`: reading a passport photo (see /api/v1/openapi.json), and the WhatsApp Cloud API's webhook
(outside the OpenAPI document: Meta's format, docs/architecture.md)."""

import json

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router

from kordon import throttle
from kordon.intake import whatsapp
from kordon.intake.conversation import passport_lines
from kordon.intake.schemas import PassportOut
from kordon.notices.mrz import parse_mrz
from kordon.problems import Refused
from kordon.statuses import status_of

router = Router()


def _forbidden(code: str, message: str) -> JsonResponse:
    return JsonResponse({"errors": [{"field": None, "code": code, "message": message}]}, status=403)


@router.post("/passport", auth=None, summary="Read a passport's MRZ from a photo (fills the notice form)",
             response=PassportOut)
def read_passport_photo(request: HttpRequest) -> HttpResponse:
    """multipart `file`: a photo of the data page → the checked MRZ lines and what they say; 422 otherwise."""
    throttle.check(request, "passport_photo")
    upload = request.FILES.get("file")
    try:
        lines = passport_lines(upload.read() if upload is not None else None)
    except Refused as refused:
        return JsonResponse(refused.body(), status=status_of(refused))
    data = parse_mrz(lines)
    return JsonResponse({"mrz": lines, "surname": data.surname, "given_names": data.given_names,
                         "nationality": data.nationality, "sex": data.sex, "document_number": data.document_number,
                         "date_of_birth": data.date_of_birth.isoformat() if data.date_of_birth else None,
                         "document_expiry": data.document_expiry.isoformat() if data.document_expiry else None})


@router.get("/whatsapp", include_in_schema=False, auth=None)
def verify_subscription(request: HttpRequest) -> HttpResponse:
    """Meta's subscription check: echo hub.challenge when hub.verify_token is ours."""
    params = request.GET
    if not whatsapp.subscription_ok(params.get("hub.mode", ""), params.get("hub.verify_token", "")):
        return _forbidden("bad_verify_token", "hub.verify_token does not match KORDON_WHATSAPP_VERIFY_TOKEN.")
    return HttpResponse(params.get("hub.challenge", ""), content_type="text/plain")


@router.post("/whatsapp", include_in_schema=False, auth=None)
def receive(request: HttpRequest) -> HttpResponse:
    """A signed delivery: keep each new message once and queue its handling; answer at once."""
    if not whatsapp.signature_ok(request.body, request.headers.get("X-Hub-Signature-256", "")):
        return _forbidden("bad_signature", "X-Hub-Signature-256 is missing or does not match the body.")
    try:
        payload = json.loads(request.body)
    except ValueError:
        return JsonResponse({"errors": [{"field": None, "code": "invalid", "message": "The body is not JSON."}]},
                            status=400)
    from kordon.intake.tasks import enqueue_with, handle_whatsapp

    with transaction.atomic():  # one commit: the messages and their queued handling live or die together
        for pk in whatsapp.keep(payload):
            enqueue_with(handle_whatsapp, pk)
    return HttpResponse("ok", content_type="text/plain")
