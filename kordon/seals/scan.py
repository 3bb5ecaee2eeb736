"""A seal scanned at a post's console: the verdict, then the party to stamp.

The verdict rests only on the published trust material, exactly as at a post that works offline;
every sentence comes from the one table of seal verdicts (``verdicts.MESSAGES``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kordon.audit.services import Actor, record
from kordon.crossings.models import Post
from kordon.notices.models import Traveller
from kordon.posts.models import Officer
from kordon.posts.services import STAMPS, arriving
from kordon.seals import trust, verdicts
from kordon.seals.qr import decode_qr_image, looks_like_image
from kordon.seals.vdsnc import SEAL_TYPE, SealMalformed, Verdict, seal_id, verify_seal


@dataclass(frozen=True)
class ScanResult:
    """What the console shows after a scan.

    ``outcome``: ``verified`` (genuine, for this post, party found), ``rejected`` (not to be admitted
    on), ``malformed`` (not a seal). ``reason`` is a key of
    ``verdicts.MESSAGES``. ``fields`` is the seal's message, only when genuine. ``travellers`` are the party's rows
    at this post, to stamp.
    """

    outcome: str
    reason: str
    message: str
    seal_id: str | None = None
    fields: dict[str, Any] | None = None
    travellers: list[Traveller] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return self.outcome == "verified"


def _destination(post_country: str, fields: dict[str, Any], crossing_slug: str) -> str | None:
    """None if the seal is for this post's crossing and country, else what it is for, in words."""
    direction = str(fields.get("dir", ""))
    if fields.get("cx") == crossing_slug and direction[-2:] == post_country:
        return None
    return _("crossing “%(crossing)s”, direction %(direction)s (into %(country)s)") % {
        "crossing": fields.get("cx"), "direction": direction, "country": direction[-2:] or "?"}


def party_at(post: Post, reference: str) -> list[Traveller]:
    """The travellers of notice ``reference`` arriving at ``post``, with their stamps."""
    return list(arriving(post).filter(notice__reference=reference).prefetch_related(STAMPS))


def _window_note(fields: dict[str, Any], today: date) -> list[str]:
    try:
        first, last = date.fromisoformat(fields["vf"]), date.fromisoformat(fields["vu"])
    except (KeyError, TypeError, ValueError):
        return [_("The seal names no valid dates: check the party's listing below.")]
    if today < first:
        days = (first - today).days
        return [ngettext("The seal is valid from %(weekday)s %(date)s: the party is %(days)d day early.",
                         "The seal is valid from %(weekday)s %(date)s: the party is %(days)d days early.", days)
                % {"weekday": date_format(first, "l"), "date": first.isoformat(), "days": days}]
    if today > last:
        days = (today - last).days
        return [ngettext("The seal was valid until %(weekday)s %(date)s: the party is %(days)d day late.",
                         "The seal was valid until %(weekday)s %(date)s: the party is %(days)d days late.", days)
                % {"weekday": date_format(last, "l"), "date": last.isoformat(), "days": days}]
    return []


def _judge(verdict: Verdict, officer: Officer) -> ScanResult:
    identifier = seal_id({"data": verdict.data}) if verdict.data else None
    if not verdict.valid:
        return ScanResult("rejected", verdict.reason, verdict.message, identifier, warnings=verdict.warnings)
    data = verdict.data or {}
    if data["hdr"]["t"] != SEAL_TYPE:
        message = verdicts.say("wrong_type", f"type {data['hdr']['t']!r}")
        return ScanResult("rejected", "wrong_type", message, identifier, warnings=verdict.warnings)
    fields, post = data["msg"], officer.post
    elsewhere = _destination(post.country.upper(), fields, post.crossing.slug)
    if elsewhere:
        message = verdicts.say("not_for_this_post", elsewhere)
        return ScanResult("rejected", "not_for_this_post", message, identifier, fields, warnings=verdict.warnings)
    travellers = party_at(post, str(fields.get("ref", "")))
    if not travellers:
        message = verdicts.say("unknown_notice", fields.get("ref"))
        return ScanResult("rejected", "unknown_notice", message, identifier, fields, warnings=verdict.warnings)
    notes = _window_note(fields, post.local_today())
    return ScanResult("verified", "ok", verdict.message, identifier, fields, travellers, notes, verdict.warnings)


def _verdict(scanned: str | bytes | dict[str, Any], material: trust.TrustMaterial) -> Verdict:
    if isinstance(scanned, bytes) and looks_like_image(scanned):
        scanned = decode_qr_image(scanned)
    if isinstance(scanned, str):
        # Scanners may add a byte order mark or a trailing newline to what they type.
        scanned = scanned.strip().lstrip("\ufeff")
    return verify_seal(
        scanned, roots=material.roots, crls=material.crls, revoked_seal_ids=material.revoked_seal_ids
    )


def verify_scanned_seal(officer: Officer, scanned: str | bytes | dict[str, Any]) -> ScanResult:
    """Check a scanned seal (its text, a photo's bytes, or the parsed JSON) for ``officer``'s post; one transaction.

    The verdict rests only on the published trust material (roots, CRLs, the signed list of withdrawn
    seals), exactly as at a post that works offline; the party is then looked up to be stamped.
    The scan is recorded in the audit trail.
    """
    material = trust.current_material()
    try:
        result = _judge(_verdict(scanned, material), officer)
    except SealMalformed as exc:
        result = ScanResult("malformed", "malformed", verdicts.say("malformed", exc.reason))
    result.warnings.extend(material.warnings)
    reference = str((result.fields or {}).get("ref", ""))[:10]
    with transaction.atomic():
        record(Actor.of_user(officer.user), "seal.scanned", reference=reference, outcome=result.outcome,
               reason=result.reason, seal_id=result.seal_id or "")
    return result
