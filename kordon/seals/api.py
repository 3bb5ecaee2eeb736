"""Seals over JSON (see /api/v1/openapi.json): a notice's seal, the public trust list, and verifying a scan."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from kordon.answers import binary_answer
from kordon.notices.access import readable_notice
from kordon.posts.access import officer_at
from kordon.posts.schemas import entry_json
from kordon.problems import Refused
from kordon.seals import qr, scan, services, trust
from kordon.seals.models import Seal
from kordon.seals.schemas import ScanOut, SealOut, TrustListOut

# Mounted at the API's root: its paths sit under /notices, /seals and /posts.
router = Router()


class ScanIn(Schema):
    seal: str | dict[str, Any] = Field(description="The scanned text (VDS-NC JSON), or the seal as an object.")


def _seal_of(request: HttpRequest, reference: str) -> Seal:
    notice = readable_notice(request, reference)
    try:
        seal = services.ensure_current_seal(notice)
    except services.SealsNotConfigured as exc:
        raise Refused.one(None, "seals_not_configured", str(exc)) from exc
    if seal is None:
        raise Refused.one(None, "not_found", _("This notice has no seal: seals are issued while a notice is "
                                               "accepted, and withdrawn when it is cancelled."))
    return seal


@router.get("/notices/{reference}/seal", summary="The notice's current seal (VDS-NC JSON)", response=SealOut)
def seal_json(request: HttpRequest, reference: str) -> HttpResponse:
    seal = _seal_of(request, reference)
    response = HttpResponse(seal.document, content_type="application/json")
    response["Cache-Control"] = "private, no-cache"
    return response


@router.get("/notices/{reference}/seal.png", summary="The notice's current seal as a QR code",
            openapi_extra=binary_answer("The seal as a QR code", "image/png"))
def seal_png(request: HttpRequest, reference: str) -> HttpResponse:
    seal = _seal_of(request, reference)
    try:
        image = qr.page_png(seal)
    except qr.TooLargeForQr as exc:
        raise Refused.one(None, "too_large_for_qr", _("%(why)s Use the JSON seal, or the reference at the post.")
                          % {"why": exc}) from exc
    response = HttpResponse(image, content_type="image/png")
    response["Cache-Control"] = "private, no-cache"
    return response


@router.get("/seals/trust-list", summary="What an offline verifier needs (public)", response=TrustListOut)
def trust_list(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(trust.trust_list())
    response["Cache-Control"] = "public, max-age=300"
    return response


def scan_json(result: scan.ScanResult, today: date) -> dict[str, Any]:
    return {
        "outcome": result.outcome, "valid": result.verified, "reason": result.reason, "message": result.message,
        "seal_id": result.seal_id, "seal": result.fields, "notes": result.notes, "warnings": result.warnings,
        "entries": [entry_json(t, today) for t in result.travellers],
    }


@router.post("/posts/{code}/seals/verify", summary="Verify a scanned seal and find the party to stamp",
             tags=["posts", "seals"], response=ScanOut, exclude_unset=True)
def verify(request: HttpRequest, code: str, payload: ScanIn) -> dict[str, Any]:
    officer, post = officer_at(request, code)
    result = scan.verify_scanned_seal(officer, payload.seal)
    return scan_json(result, post.local_today())
