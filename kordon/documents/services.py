"""What people do with documents: a traveller sends one, an officer or reviewer opens one, everyone
sees what is still missing, an administrator rotates the master key.

Storing is careful about order. The upload is sanitized and encrypted first, with no transaction
open; both objects (content and preview) are written to storage; only then is the row inserted, in a
transaction of its own. If anything fails before that transaction commits, the objects just written
are deleted again, so no file is ever left without a row. (A worker killed at exactly that moment can
still leave ciphertext nobody can name; :func:`kordon.documents.retention.remove_orphans` sweeps it.)
"""

import hashlib
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, BinaryIO, Literal, cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AbstractUser, AnonymousUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image

from kordon.audit.services import SYSTEM, Actor, record
from kordon.documents.encryption import DecryptionFailed, KeyRing, decrypt, encrypt, rewrap
from kordon.documents.keys import KeyRingUnavailable, key_ring
from kordon.documents.limits import max_pixels
from kordon.documents.models import Document, DocumentKind
from kordon.documents.sanitize import CleanFile, sanitize
from kordon.documents.sanitize import Refused as FileRefused
from kordon.documents.storage import document_storage, new_name
from kordon.documents.uploads import OversizedUpload, too_large_message
from kordon.notices.models import Notice, Traveller
from kordon.posts.models import Officer
from kordon.problems import Refused

logger = logging.getLogger(__name__)

Variant = Literal["full", "preview", "thumb"]
VARIANTS: tuple[Variant, ...] = ("full", "preview", "thumb")
THUMB_PX = 160  # long side of the console's list thumbnails: a few KB each on a slow link
MAX_PER_KIND = 10  # vehicle papers and photos per notice: enough for every page, not a file store
PARTS = ("content", "preview")


# --- what is required ------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One document a notice needs: a kind, and for a passport copy, whose."""

    kind: str
    traveller: Traveller | None
    label: str
    documents: list[Document] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Names the slot in forms and pages: "passport-12", "vehicle_photo"."""
        return f"{self.kind}-{self.traveller.pk}" if self.traveller else self.kind

    @property
    def traveller_id(self) -> int | None:
        return self.traveller.pk if self.traveller else None


def document_slots(notice: Notice) -> list[Slot]:
    """Every document the notice's crossing requires of this party, each with what was received.

    The crossing decides: a passport copy per traveller, and registration papers plus a photo when
    the party brings a vehicle (Kyzyl-Art asks for all three).
    """
    crossing, vehicle = notice.crossing, getattr(notice, "vehicle", None)
    received = list(notice.documents.all())
    passports = [d for d in received if d.kind == DocumentKind.PASSPORT]
    slots = []
    if crossing.require_passport_copies:
        for traveller in notice.travellers.all():
            label = _("Passport copy of %(name)s") % {"name": traveller.full_name}
            slots.append(Slot(DocumentKind.PASSPORT, traveller, label,
                              [d for d in passports if d.traveller_id == traveller.pk]))
    if vehicle is not None and crossing.require_vehicle_papers:
        for kind in (DocumentKind.VEHICLE_REGISTRATION, DocumentKind.VEHICLE_PHOTO):
            label = f"{DocumentKind(kind).label} {vehicle.plate}"
            slots.append(Slot(kind, None, label, [d for d in received if d.kind == kind]))
    return slots


def missing_documents(notice: Notice) -> list[Slot]:
    """The required documents nobody has sent yet."""
    return [slot for slot in document_slots(notice) if not slot.documents]


def slot_json(slot: Slot) -> dict[str, object]:
    return {"kind": slot.kind, "traveller_id": slot.traveller_id, "label": slot.label}


def document_json(document: Document) -> dict[str, object]:
    return {
        "id": str(document.pk), "kind": document.kind, "traveller_id": document.traveller_id,
        "content_type": document.content_type, "size": document.size, "width": document.width,
        "height": document.height, "pages": document.pages, "uploaded_at": document.uploaded_at.isoformat(),
    }


# --- sending a document ----------------------------------------------------------------------


def store_document(notice: Notice, *, kind: str, upload: bytes | IO[bytes] | None, actor: Actor,
                   traveller_id: int | str | None = None) -> Document:
    """Check, clean, encrypt and keep one document of ``notice``; return its row.

    Raises Refused: 422 ``file_too_large``, ``unsupported_type`` or ``corrupt_file`` (field ``file``,
    a message the traveller understands), 422 ``invalid`` for a wrong kind or traveller, 409 when the
    notice takes no more documents, 503 ``documents_unavailable`` with no master key. A new passport
    copy replaces the traveller's earlier one. Either the row and both stored objects exist
    afterwards, or none of them; must not be called inside a transaction (its commit is this one's).
    """
    traveller = _slot_for(notice, kind, traveller_id)
    clean, received = _cleaned(upload)
    document = Document(notice=notice, traveller=traveller, kind=kind, content_type=clean.content_type,
                        size=len(clean.content), received_size=received, width=clean.width, height=clean.height,
                        pages=clean.pages, sha256=hashlib.sha256(clean.content).hexdigest(), uploaded_by=actor.label)
    _write_sealed(document, clean, _ring())
    try:
        with transaction.atomic(durable=True):
            _keep(document, actor)
    except BaseException:
        remove_stored([document.content_name, document.preview_name])
        raise
    return document


def _slot_for(notice: Notice, kind: str, traveller_id: int | str | None) -> Traveller | None:
    """The traveller a document of ``kind`` belongs to (None for vehicle documents); or refuse."""
    if not notice.is_active:
        raise Refused.one(None, "not_accepting", _("This notice is cancelled or the party has entered: "
                                                   "it takes no more documents."))
    if kind not in DocumentKind.values:
        raise Refused.one("kind", "invalid", _("Say which document this is: %(kinds)s.")
                          % {"kinds": ", ".join(DocumentKind.values)})
    if kind != DocumentKind.PASSPORT:
        if not Notice.objects.filter(pk=notice.pk, vehicle__isnull=False).exists():
            raise Refused.one("kind", "invalid", _("This notice has no vehicle: vehicle papers and photos are "
                                                   "not needed. Add the vehicle by filing a new notice if you "
                                                   "bring one."))
        if notice.documents.filter(kind=kind).count() >= MAX_PER_KIND:
            raise Refused.one("kind", "too_many_documents", _("This notice already has %(count)d of these. "
                                                              "That is enough for every page.")
                              % {"count": MAX_PER_KIND})
        return None
    number = str(traveller_id or "")
    traveller = notice.travellers.filter(pk=int(number) if number.isdigit() else 0).first()
    if traveller is None:
        ids = ", ".join(str(pk) for pk in notice.travellers.values_list("pk", flat=True))
        raise Refused.one("traveller_id", "invalid", _("Say whose passport this is: traveller_id is one of %(ids)s.")
                          % {"ids": ids})
    return traveller


def _cleaned(upload: bytes | IO[bytes] | None) -> tuple[CleanFile, int]:
    """The sanitized upload and how many bytes were received; refuse what the sanitizer refuses."""
    if upload is None:
        raise Refused.one("file", "invalid", _("Choose a file to send: a photo (JPEG, PNG or WebP) or a PDF."))
    received = _size_of(upload)
    if isinstance(upload, OversizedUpload):
        raise Refused.one("file", "file_too_large", too_large_message(received))
    try:
        # Django's uploads are file objects in all but name: read, seek and tell are what is used.
        data = upload if isinstance(upload, bytes) else cast(BinaryIO, upload)
        clean = sanitize(data, max_bytes=settings.KORDON_UPLOAD_MAX_BYTES, max_pixels=max_pixels(upload))
    except FileRefused as refused:
        raise Refused.one("file", refused.code, refused.message) from refused
    return clean, received


def _size_of(upload: bytes | IO[bytes]) -> int:
    """Bytes received: counted by Django for uploads, measured for other streams (left at the start)."""
    if isinstance(upload, bytes):
        return len(upload)
    size = getattr(upload, "size", None)
    if size is None:
        size = upload.seek(0, io.SEEK_END)
    upload.seek(0)
    return int(size)


def _ring() -> KeyRing:
    try:
        return key_ring()
    except KeyRingUnavailable:
        logger.exception("Documents cannot be stored")
        raise Refused.one(None, "documents_unavailable", _("Documents cannot be received right now. "
                                                           "Please try again later.")) from None


def _write_sealed(document: Document, clean: CleanFile, ring: KeyRing) -> None:
    """Encrypt content and preview, each under a fresh key, and write both; fill in the row's fields."""
    content, sealed = encrypt(clean.content, ring, associated_data=document.associated_data("content"))
    preview, preview_sealed = encrypt(clean.preview, ring, associated_data=document.associated_data("preview"))
    document.key_id, document.wrapped_key, document.nonce = sealed.key_id, sealed.wrapped_key, sealed.nonce
    document.preview_wrapped_key, document.preview_nonce = preview_sealed.wrapped_key, preview_sealed.nonce
    storage = document_storage()
    document.content_name = storage.save(new_name(), ContentFile(content))
    try:
        document.preview_name = storage.save(new_name(), ContentFile(preview))
    except BaseException:
        remove_stored([document.content_name])
        raise


def _keep(document: Document, actor: Actor) -> None:
    """Insert the row (replacing an earlier passport copy of the same traveller) and record it."""
    # Uploads to one notice queue here, so two phones sending at once cannot both pass the checks.
    notice = Notice.objects.select_for_update().get(pk=document.notice_id)
    if not notice.is_active:
        raise Refused.one(None, "not_accepting", _("This notice no longer takes documents."))
    replaced = []
    if document.kind == DocumentKind.PASSPORT:
        replaced = list(Document.objects.filter(notice=notice, kind=document.kind, traveller=document.traveller))
        Document.objects.filter(pk__in=[d.pk for d in replaced]).delete()
    document.save(force_insert=True)
    record(actor, "document.uploaded", reference=notice.reference, obj=document, kind=document.kind,
           content_type=document.content_type, size=document.size, received_size=document.received_size,
           replaced=[str(d.pk) for d in replaced])
    names = [name for d in replaced for name in (d.content_name, d.preview_name)]
    transaction.on_commit(lambda: remove_stored(names))


def remove_stored(names: Iterable[str]) -> None:
    """Delete stored objects, logging (not raising) failures: an object left over is swept later."""
    storage = document_storage()
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not delete stored document object %s; the orphan sweep will retry", name)


# --- opening a document ----------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    content: bytes
    content_type: str


def read_document(document: Document, actor: Actor, *, variant: Variant = "full") -> Opened:
    """Decrypt the document (``full``), its preview or a list thumbnail, and record who read it.

    The read is recorded only once the bytes decrypted; raises DecryptionFailed if the stored
    object does not authenticate (altered, or swapped from another record).
    """
    part = "content" if variant == "full" else "preview"
    name = document.content_name if part == "content" else document.preview_name
    with document_storage().open(name, "rb") as handle:
        ciphertext = handle.read()
    plaintext = decrypt(ciphertext, document.sealed(part), key_ring(), associated_data=document.associated_data(part))
    record_read(document, actor, variant)
    if variant == "thumb":
        return Opened(thumbnail(plaintext), "image/jpeg")
    return Opened(plaintext, document.content_type if variant == "full" else "image/jpeg")


def record_read(document: Document, actor: Actor, variant: Variant, *, revalidated: bool = False) -> None:
    """Record one read (who, which document, which rendition, when) in the audit trail.

    ``revalidated``: the reader's browser already held the bytes and asked whether they changed.
    """
    extra = {"revalidated": True} if revalidated else {}
    record(actor, "document.read", reference=document.notice.reference, obj=document, kind=document.kind,
           variant=variant, **extra)


def thumbnail(preview: bytes) -> bytes:
    """A JPEG of at most THUMB_PX on the long side, made from a stored preview (our own JPEG)."""
    with Image.open(io.BytesIO(preview), formats=["JPEG"]) as image:
        image.thumbnail((THUMB_PX, THUMB_PX))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=60, optimize=True)
    return buffer.getvalue()


def can_view(user: AbstractBaseUser | AnonymousUser, document: Document) -> bool:
    """Officers of the notice's two posts, and staff holding documents.view_document (reviewers,
    administrators), may open a document in the console; nobody else."""
    if not isinstance(user, AbstractUser) or not user.is_active:
        return False
    if user.is_staff and user.has_perm("documents.view_document"):
        return True
    direction = document.notice.direction
    return Officer.objects.filter(user_id=user.pk, post_id__in=(direction.from_post_id, direction.to_post_id)).exists()


# --- rotating the master key -----------------------------------------------------------------


@dataclass(frozen=True)
class Rotation:
    key_id: str
    rewrapped: int
    already_current: int
    failed: list[str]


def rotate_keys(ring: KeyRing | None = None, *, batch_size: int = 500) -> Rotation:
    """Re-wrap every document's two file keys under the ring's current master key.

    Stored objects are not touched: only the wrapped keys and key id in each row change. Rows
    already under the current key are skipped, so running it again is harmless. A row whose key
    cannot be unwrapped (its master key is not in the ring) is left as it was and reported.
    """
    ring = ring or key_ring()
    current = ring.current.key_id
    already = Document.objects.filter(key_id=current).count()
    rewrapped, failed, last = 0, [], None
    while True:
        rows = Document.objects.exclude(key_id=current).order_by("pk")
        batch = list((rows.filter(pk__gt=last) if last else rows).only(
            "pk", "key_id", "wrapped_key", "nonce", "preview_wrapped_key", "preview_nonce")[:batch_size])
        if not batch:
            break
        with transaction.atomic():
            for document in batch:
                if _rewrap(document, ring):
                    rewrapped += 1
                else:
                    failed.append(str(document.pk))
        last = batch[-1].pk
    record(SYSTEM, "documents.keys_rotated", key_id=current, rewrapped=rewrapped, failed=len(failed))
    return Rotation(current, rewrapped, already, failed)


def _rewrap(document: Document, ring: KeyRing) -> bool:
    """Re-wrap one row's keys; False if they cannot be unwrapped. The UPDATE is conditional on the
    old key id, so two rotations running at once cannot write over each other."""
    try:
        content, preview = (rewrap(document.sealed(part), ring) for part in PARTS)
    except DecryptionFailed:
        logger.warning("Document %s: file keys cannot be unwrapped with the key ring; left as they are", document.pk)
        return False
    Document.objects.filter(pk=document.pk, key_id=document.key_id).update(
        key_id=content.key_id, wrapped_key=content.wrapped_key, preview_wrapped_key=preview.wrapped_key)
    return True
