"""`/api/v1/intake/whatsapp`: the WhatsApp Cloud API's webhook (API.md, "Intake by WhatsApp and email")."""

import json

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router

from kordon.intake import whatsapp

router = Router()


def _forbidden(code: str, message: str) -> JsonResponse:
    return JsonResponse({"errors": [{"field": None, "code": code, "message": message}]}, status=403)


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
    from kordon.intake.tasks import handle_whatsapp

    with transaction.atomic():
        for pk in whatsapp.keep(payload):
            transaction.on_commit(lambda pk=pk: handle_whatsapp.enqueue(pk))  # type: ignore[misc]
    return HttpResponse("ok", content_type="text/plain")
