"""Seal pages: the traveller's QR (status page image, printable page, phone image) and the post
console's scan box."""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from kordon.notices.access import traveller_page
from kordon.notices.models import Notice
from kordon.posts.access import officer_required
from kordon.posts.models import Officer
from kordon.posts.services import document_clashes, entry_stamp, listing
from kordon.seals import qr, services
from kordon.seals import scan as scans
from kordon.seals.models import Seal

MAX_SCAN_CHARS = 16 * 1024  # a QR code holds under 3 KB; anything longer is not a seal
REMEMBERED_SCANS = 20  # verified scans kept in the officer's session, to stamp a party one by one


def _seal(notice: Notice) -> Seal:
    try:
        seal = services.ensure_current_seal(notice)
    except services.SealsNotConfigured as exc:
        raise Http404("Seals are not issued yet") from exc
    if seal is None:
        raise Http404("This notice has no seal")
    return seal


@traveller_page
def seal_page(request: HttpRequest, notice: Notice) -> HttpResponse:
    """The seal to print on A4 (or keep on the phone), with the party's details."""
    seal = _seal(notice)
    context = {"notice": notice, "seal": seal, "sealed": json.loads(seal.document)["data"]["msg"],
               "post": notice.direction.to_post, "window": notice.arrival_window(), "fits": _fits(seal)}
    return render(request, "seals/print.html", context)


def _fits(seal: Seal) -> bool:
    try:
        qr.version(seal)
    except qr.TooLargeForQr:
        return False
    return True


@traveller_page
def seal_image(request: HttpRequest, notice: Notice) -> HttpResponse:
    """The QR code as PNG: page size, or ``?size=phone`` to download a phone-screen image."""
    seal = _seal(notice)
    phone = request.GET.get("size") == "phone"
    try:
        image = qr.phone_png(seal) if phone else qr.page_png(seal)
    except qr.TooLargeForQr as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(image, content_type="image/png")
    response["Cache-Control"] = "private, no-cache"
    if phone:
        response["Content-Disposition"] = f'attachment; filename="seal-{notice.display_reference}.png"'
    return response


# ---------------------------------------------------------------------------------------------
# The post console


def _remember(request: HttpRequest, result: scans.ScanResult) -> str:
    reference = str((result.fields or {}).get("ref", ""))
    remembered = {k: v for k, v in request.session.get("seal_scans", {}).items() if k != reference}
    summary = {f.name: getattr(result, f.name) for f in fields(result) if f.name != "travellers"}
    request.session["seal_scans"] = dict(list(remembered.items())[-(REMEMBERED_SCANS - 1):]) | {reference: summary}
    return reference


def _recall(request: HttpRequest, officer: Officer, reference: str) -> scans.ScanResult | None:
    summary = request.session.get("seal_scans", {}).get(reference)
    if summary is None:
        return None
    try:
        return scans.ScanResult(**(summary | {"travellers": scans.party_at(officer.post, reference)}))
    except TypeError:  # remembered by an older version of this page: scan again
        return None


def _rows(officer: Officer, result: scans.ScanResult | None) -> list[dict[str, Any]]:
    if result is None:
        return []
    today = officer.post.local_today()
    clashes = document_clashes(result.travellers)
    return [{"t": t, "state": listing(t.notice, today), "stamp": entry_stamp(t, officer.post),
             "clash": t.pk in clashes} for t in result.travellers]


@officer_required
def scan(request: HttpRequest, officer: Officer) -> HttpResponse:
    """POST: check a scanned seal; a genuine one leads (redirect) to its party, ready to stamp."""
    result: scans.ScanResult | None
    if request.method == "POST":
        result = scans.verify_scanned_seal(officer, request.POST.get("seal", "")[:MAX_SCAN_CHARS])
        if result.verified:
            reference = _remember(request, result)
            return HttpResponseRedirect(f"{reverse('seals:scan')}?ref={reference}")
    else:
        result = _recall(request, officer, request.GET.get("ref", ""))
    context = {"officer": officer, "post": officer.post, "result": result, "rows": _rows(officer, result)}
    return render(request, "seals/scan.html", context)
