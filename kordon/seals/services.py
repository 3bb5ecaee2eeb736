"""Seals of notices: issue one when a notice is accepted, replace it when the notice changes, revoke
it when the notice is cancelled, and check one scanned at a post.

Who signs: the authority of the state that admits the party (the receiving post's country), with
its barcode signer in use that vouches longest. Without such a signer a notice is still filed and
accepted; its seal is issued as soon as a signer exists (current_seal issues it when first asked).
Without KORDON_DEBUG, demo signers never sign.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kordon.audit.services import SYSTEM, Actor, record
from kordon.crossings.models import Post
from kordon.notices.models import Notice, NoticeStatus, Traveller
from kordon.posts.models import Officer
from kordon.posts.services import arriving
from kordon.seals import content, keys, trust
from kordon.seals.authority import KeyFileError
from kordon.seals.models import RevokedSeals, RevokeReason, Seal, Signer, SignerStatus
from kordon.seals.qr import decode_qr_image, looks_like_image, qr_payload
from kordon.seals.signals import seal_issued
from kordon.seals.vdsnc import SEAL_TYPE, SealMalformed, Verdict, seal_id, sign_revoked_seals, sign_seal, verify_seal

logger = logging.getLogger(__name__)

# A withdrawn seal stays on the published list until this long after its window ended.
KEEP_REVOKED = timedelta(days=30)


class SealsNotConfigured(Exception):
    """No signer can sign this seal now; the message says what an administrator must do."""


def how_to_configure(country: str) -> str:
    """What an administrator does so that seals of ``country`` are issued."""
    if settings.DEBUG:
        return f"No seal signer for {country}. Run `kordon seals demo` (development) to create one."
    return (
        f"Seals are not configured for {country}: no barcode signer of a real (non-demo) authority of "
        f"{country} is in use. An administrator runs `kordon seals init-authority --country {country} ...` "
        "once, then `kordon seals new-signer --authority-key FILE` (and again before the signer's usage "
        "period ends); see `kordon seals status`."
    )


# ---------------------------------------------------------------------------------------------
# Signers


def usable_signers() -> QuerySet[Signer]:
    """Signers that may sign now, longest-vouching first; demo ones only with KORDON_DEBUG."""
    now = timezone.now()
    signers = Signer.objects.select_related("authority").filter(
        status=SignerStatus.ACTIVE, not_before__lte=now, use_until__gte=now, not_after__gt=now
    )
    if not settings.DEBUG:
        signers = signers.filter(authority__is_demo=False)
    return signers.order_by("-not_after", "-pk")


def signer_for(country: str) -> Signer:
    """The signer for a new seal of ``country``; raises SealsNotConfigured when there is none."""
    signer = usable_signers().filter(authority__country=country).first()
    if signer is None:
        raise SealsNotConfigured(how_to_configure(country))
    return signer


def _sign(signer: Signer, header: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    try:
        key = keys.open_key(signer.encrypted_key)
    except KeyFileError as exc:
        raise SealsNotConfigured(f"The key of {signer} cannot be used: {exc}.") from exc
    return sign_seal(header, message, key, signer.cert)


def _compact(document: dict[str, Any]) -> str:
    return qr_payload(document).decode("utf-8")


# ---------------------------------------------------------------------------------------------
# Issuing and revoking


def _current(notice: Notice) -> Seal | None:
    return notice.seals.select_related("signer", "signer__authority").filter(revoked_at__isnull=True).first()


def _issue_new(notice: Notice, number: int) -> Seal:
    signer = signer_for(content.issuing_country(notice))
    message = content.message(notice, number)
    document = _sign(signer, content.header(notice), message)
    seal = Seal.objects.create(
        notice=notice, number=number, seal_id=seal_id(document), document=_compact(document), signer=signer,
        valid_from=date.fromisoformat(message["vf"]), valid_until=date.fromisoformat(message["vu"]),
    )
    record(SYSTEM, "seal.issued", reference=notice.reference, obj=seal, seal_id=seal.seal_id, signer=signer.serial)
    seal_issued.send(sender=Seal, seal=seal)
    return seal


def issue_seal(notice: Notice) -> Seal:
    """Give an accepted notice a seal that says what the notice says now; one transaction.

    Returns the current seal when it already matches. Otherwise the current seal (if any) is revoked,
    even when no new one can be signed, and a new seal with the next number is issued. Raises
    SealsNotConfigured when no signer can sign it (the revocation then still stands).
    """
    with transaction.atomic():
        current = _current(notice)
        last = notice.seals.aggregate(last=Max("number"))["last"] or 0
        if current is not None:
            if content.same_content(json.loads(current.document)["data"]["msg"], content.message(notice, last)):
                return current
            _revoke(current, RevokeReason.REPLACED)
        try:
            return _issue_new(notice, last + 1)
        except SealsNotConfigured as exc:
            # Raised outside the block, so that the outdated seal's revocation is kept.
            unconfigured = exc
    raise unconfigured


def revoke_seal(notice: Notice, reason: str, actor: Actor = SYSTEM) -> Seal | None:
    """Withdraw the notice's current seal and publish the new list of withdrawn seals; one transaction.

    Returns the revoked seal, or None when the notice had no current seal.
    """
    with transaction.atomic():
        current = _current(notice)
        if current is not None:
            _revoke(current, reason, actor)
        return current


def _revoke(seal: Seal, reason: str, actor: Actor = SYSTEM) -> None:
    seal.revoked_at, seal.revoke_reason = timezone.now(), reason
    seal.save(update_fields=["revoked_at", "revoke_reason"])
    record(actor, "seal.revoked", reference=seal.notice.reference, obj=seal, seal_id=seal.seal_id, reason=reason)
    publish_revoked_seals()


def issue_for(notice: Notice) -> Seal | None:
    """Hook for notice services, inside their transaction: keep an accepted notice's seal current.

    Never raises for missing seal configuration (the notice must still be filed or amended); that is
    logged, and the seal is issued when first asked for once a signer exists.
    """
    if notice.status != NoticeStatus.ACCEPTED:
        return None
    try:
        return issue_seal(notice)
    except SealsNotConfigured as exc:
        logger.warning("Notice %s has no seal: %s", notice.reference, exc)
        return None


def revoke_for(notice: Notice, reason: str) -> Seal | None:
    """Hook for notice services, inside their transaction: withdraw the notice's current seal."""
    return revoke_seal(notice, reason)


# ---------------------------------------------------------------------------------------------
# The seal shown to the traveller


def _vouches(seal: Seal, notice: Notice) -> bool:
    """Whether the seal's signer still vouches for it until the end of its window."""
    signer = seal.signer
    return not _must_be_replaced(signer) and signer.not_after >= seal.expires_at(notice.receiving_post.timezone)


def _must_be_replaced(signer: Signer) -> bool:
    """A revoked signer's seals are invalid everywhere; a demo signer's are refused in production."""
    return signer.status == SignerStatus.REVOKED or (signer.authority.is_demo and not settings.DEBUG)


def _resign(seal: Seal) -> Seal:
    """Sign the same data again with the longest-vouching signer; the seal id does not change.

    A seal that merely expires early is kept when no signer vouches longer; one whose signer must be
    replaced raises SealsNotConfigured when there is no other signer.
    """
    old = seal.signer
    try:
        signer = signer_for(old.authority.country)
    except SealsNotConfigured:
        if _must_be_replaced(old):
            raise
        return seal
    if not _must_be_replaced(old) and signer.not_after <= old.not_after:
        return seal  # nothing better to sign with
    data = json.loads(seal.document)["data"]
    seal.document = _compact(_sign(signer, data["hdr"], data["msg"]))
    seal.signer, seal.signed_at = signer, timezone.now()
    seal.save(update_fields=["document", "signer", "signed_at"])
    record(SYSTEM, "seal.resigned", reference=seal.notice.reference, obj=seal, signer=signer.serial)
    return seal


def current_seal(notice: Notice) -> Seal | None:
    """The seal to show for ``notice`` now, or None when it has none to show (not accepted, cancelled).

    An accepted notice without a seal gets one (seals configured after it was filed); a seal whose
    signer no longer vouches for its whole window (revoked, rotated out) is signed again, with the
    same seal id. Raises SealsNotConfigured when a seal is due but nobody can sign it.
    """
    seal = _current(notice)
    if notice.status == NoticeStatus.ENTERED or (seal is not None and _vouches(seal, notice)):
        return seal
    if notice.status != NoticeStatus.ACCEPTED:
        return None
    with transaction.atomic():
        locked = Notice.objects.select_for_update().select_related("direction__to_post").get(pk=notice.pk)
        seal = _current(locked)
        if seal is None:
            return issue_seal(locked) if locked.status == NoticeStatus.ACCEPTED else None
        return seal if _vouches(seal, locked) else _resign(seal)


# ---------------------------------------------------------------------------------------------
# The signed list of withdrawn seals


def _list_signer() -> Signer | None:
    """A signer for the withdrawn-seals list: one in use, else one whose certificate is still valid."""
    signer = usable_signers().first()
    if signer is not None:
        return signer
    valid = Signer.objects.select_related("authority").exclude(status=SignerStatus.REVOKED).filter(
        not_before__lte=timezone.now(), not_after__gt=timezone.now()
    )
    if not settings.DEBUG:
        valid = valid.filter(authority__is_demo=False)
    return valid.order_by("-not_after").first()


def _signed_list(ids: list[str]) -> str:
    signer = _list_signer()
    if signer is None:
        if ids:
            logger.warning("The list of withdrawn seals is published unsigned: no signer can sign it.")
        return ""
    try:
        document = sign_revoked_seals(ids, keys.open_key(signer.encrypted_key), signer.cert)
    except KeyFileError as exc:
        logger.error("The list of withdrawn seals is published unsigned: %s", exc)
        return ""
    return _compact(document)


def publish_revoked_seals() -> RevokedSeals:
    """Re-sign the list of withdrawn seals whose window has not long passed; one transaction.

    The list's row is locked first, so that concurrent revocations publish one after the other and
    the last list names every seal.
    """
    with transaction.atomic():
        row, _created = RevokedSeals.objects.select_for_update().get_or_create(pk=1)
        cutoff = datetime.now(UTC).date() - KEEP_REVOKED
        revoked = Seal.objects.filter(revoked_at__isnull=False, valid_until__gte=cutoff)
        expiries = dict(row.expiries)
        expiries.update((sid, day.isoformat()) for sid, day in revoked.values_list("seal_id", "valid_until"))
        row.expiries = {sid: day for sid, day in expiries.items() if day >= cutoff.isoformat()}
        row.ids = sorted(row.expiries)
        row.document, row.issued_at = _signed_list(row.ids), timezone.now()
        row.save()
        return row


# ---------------------------------------------------------------------------------------------
# A seal scanned at a post

# Whole sentences (translated when shown): "{detail}" is filled in by the caller.
CONSOLE_MESSAGES = {
    "bad_signature": gettext_lazy(
        "Forged or altered: the seal's contents do not match its signature. Do not admit on this seal: search "
        "the traveller by passport number."),
    "seal_revoked": gettext_lazy(
        "Revoked: this notice was moved to another date or cancelled. Search by passport number for the "
        "traveller's current notice; do not admit on this seal."),
    # The parser's reason ("not JSON: Expecting value…") is for the audit trail, not for the officer.
    "malformed": gettext_lazy(
        "This is not a kordon seal: it may be another code, or a partial scan. Scan the QR code on the "
        "traveller's confirmation again, or search by passport number."),
    "wrong_type": gettext_lazy(
        "This is a genuine seal, but not a crossing confirmation ({detail}). Do not admit on this seal: search "
        "the traveller by passport number."),
    "not_for_this_post": gettext_lazy(
        "Not for this post: this seal is for {detail}. Do not stamp here; tell the traveller where to go."),
    "unknown_notice": gettext_lazy(
        "Genuine seal, but notice {detail} is not in this post's records. Search by passport number, "
        "or sync the list if this post was offline."),
}


@dataclass(frozen=True)
class ScanResult:
    """What the console shows after a scan.

    ``outcome``: ``verified`` (genuine, for this post, party found), ``rejected`` (not to be admitted
    on), ``malformed`` (not a seal). ``reason`` is a vdsnc reason code or one of CONSOLE_MESSAGES'
    keys. ``fields`` is the seal's message, only when genuine. ``travellers`` are the party's rows
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
    return list(arriving(post).filter(notice__reference=reference).prefetch_related("stamps"))


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
        message = str(CONSOLE_MESSAGES.get(verdict.reason, verdict.message))
        return ScanResult("rejected", verdict.reason, message, identifier, warnings=verdict.warnings)
    data = verdict.data or {}
    if data["hdr"]["t"] != SEAL_TYPE:
        message = str(CONSOLE_MESSAGES["wrong_type"]).format(detail=f"type {data['hdr']['t']!r}")
        return ScanResult("rejected", "wrong_type", message, identifier, warnings=verdict.warnings)
    fields, post = data["msg"], officer.post
    elsewhere = _destination(post.country.upper(), fields, post.crossing.slug)
    if elsewhere:
        message = str(CONSOLE_MESSAGES["not_for_this_post"]).format(detail=elsewhere)
        return ScanResult("rejected", "not_for_this_post", message, identifier, fields, warnings=verdict.warnings)
    travellers = party_at(post, str(fields.get("ref", "")))
    if not travellers:
        message = str(CONSOLE_MESSAGES["unknown_notice"]).format(detail=fields.get("ref"))
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
        result = ScanResult("malformed", "malformed", str(CONSOLE_MESSAGES["malformed"]).format(detail=exc.reason))
    result.warnings.extend(material.warnings)
    reference = str((result.fields or {}).get("ref", ""))[:10]
    with transaction.atomic():
        record(Actor.of_user(officer.user), "seal.scanned", reference=reference, outcome=result.outcome,
               reason=result.reason, seal_id=result.seal_id or "")
    return result
