"""What a post's device downloads to work offline: its days' entries, then only what changed.

Cursors never miss a change (docs/architecture.md, "Offline posts"): every change of an entry marks
its traveller in `Change` at a version; a sync reads, in one snapshot, the entries and a watermark
below which every version is already visible; the next sync asks for the versions at or above it
that this snapshot could not see. The trust material comes again only when what it is made of changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from kordon.crossings.models import ExitPermit, Post
from kordon.crossings.opening import PostCalendar
from kordon.notices.models import Traveller
from kordon.offline.models import Change
from kordon.posts.models import Stamp, StampKind
from kordon.posts.services import listed, receiving_calendar
from kordon.seals import trust
from kordon.seals.models import Authority, RevocationList, RevokedSeals, Seal, Signer, SignerStatus

_CURSOR_SALT = "kordon.offline.cursor"
_FEW = 2000  # up to this many entries, their stamps and seals are read by id
_FIELDS = ("pk", "surname", "given_names", "nationality", "document_number", "date_of_birth", "notice_id",
           "notice__reference", "notice__expected_date", "notice__status", "notice__payment_status",
           "notice__vehicle__plate", "notice__direction_id")


@dataclass(frozen=True)
class Cursor:
    """Where a device's last sync ended: the post, the days it held, the version watermark, on
    PostgreSQL the sync's snapshot (`xmin:xmax:xip,…`: which versions at or above the watermark it
    already saw), and the version of the trust material the device holds."""

    post: str
    days: tuple[str, ...]
    version: int
    seen: str = ""
    trust: str = ""

    def encode(self) -> str:
        return signing.dumps([self.post, list(self.days), self.version, self.seen, self.trust], salt=_CURSOR_SALT,
                             compress=True)

    @classmethod
    def decode(cls, text: str) -> Cursor | None:
        """The cursor, or None when it is not one of ours (damaged, forged, another format)."""
        try:
            post, days, version, *rest = signing.loads(text, salt=_CURSOR_SALT)
            seen, trust_version = (str(rest[0]), str(rest[1])) if len(rest) == 2 else ("", "")  # older: no snapshot
            return cls(str(post), tuple(str(day) for day in days), int(version), seen, trust_version)
        except (signing.BadSignature, ValueError, TypeError):
            return None


@dataclass(frozen=True)
class Snapshot:
    watermark: int
    seen: str  # PostgreSQL's pg_snapshot text; "" on SQLite


@contextmanager
def snapshot() -> Iterator[Snapshot]:
    """One consistent view of the database for the whole sync, and its watermark: every change of
    a version below it is visible in this view.

    PostgreSQL: REPEATABLE READ (one snapshot for every query) and the snapshot's xmin, the oldest
    transaction still running when it was taken; versions are transaction ids, so anything not yet
    visible has a version at or above it. The snapshot itself is kept too, so that the next delta
    leaves out what this one already had (a transaction running elsewhere, even in another database
    of the server, holds xmin back). SQLite: writers are serialized and the transaction holds the
    write lock, so nothing commits meanwhile; the watermark is one past the highest version.
    """
    outermost = not connection.in_atomic_block  # inside a test's transaction the level is already set
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if outermost:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_current_snapshot()::text")
            seen = str(cursor.fetchone()[0])
            yield Snapshot(int(seen.split(":", 1)[0]), seen)
        else:
            cursor.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM offline_change")
            yield Snapshot(int(cursor.fetchone()[0]), "")


def _changed_since(cursor: Cursor) -> QuerySet[Change]:
    """The changes a device holding `cursor` has not had: at or above its watermark and, on
    PostgreSQL, not already visible to the snapshot its sync read."""
    changed = Change.objects.filter(version__gte=cursor.version)
    if cursor.seen and connection.vendor == "postgresql":
        visible = RawSQL("pg_visible_in_snapshot((version)::text::xid8, %s::pg_snapshot)", [cursor.seen],
                         output_field=BooleanField())
        changed = changed.alias(already_seen=visible).filter(already_seen=False)
    return changed


_trust_cache: dict[str, dict[str, Any]] = {}


def trust_version() -> str:
    """What the trust material is made of, as a digest, read in one small query: the roots (and
    whether each is still valid), their revocation lists, the signers still valid and not revoked, and
    the withdrawn seals' list (re-signed on every change). More than the material depends on (demo
    roots while not in DEBUG, say) may change it; then the material is merely sent once more."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_TRUST_PARTS.format(authority=Authority._meta.db_table, crl=RevocationList._meta.db_table,
                                           signer=Signer._meta.db_table, revoked=RevokedSeals._meta.db_table),
                       [now, SignerStatus.REVOKED])
        # A root's validity is part of it: checked signers depend on it as time passes.
        parts = [(kind, pk, str(detail), str(at), kind == "a" and _aware(str(at)) > now)
                 for kind, pk, detail, at in cursor.fetchall()]
    return hashlib.sha256(repr((settings.DEBUG, parts)).encode()).hexdigest()[:32]


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else timezone.make_aware(moment, timezone.get_fixed_timezone(0))


_TRUST_PARTS = """
SELECT 'a', id, sha256 || CASE WHEN is_demo THEN ' demo' ELSE '' END, not_after FROM {authority}
UNION ALL SELECT 'c', id, CAST(authority_id AS VARCHAR(20)), this_update FROM {crl}
UNION ALL SELECT 's', id, status, not_before FROM {signer} WHERE not_after > %s AND status <> %s
UNION ALL SELECT 'r', id, '', issued_at FROM {revoked}
ORDER BY 1, 2
"""


def trust_material(version: str) -> dict[str, Any]:
    """The trust list and the checked signers, made again only when `version` changed (X.509 checks
    of every signer against the roots and CRLs are the costly part)."""
    material = _trust_cache.get(version)
    if material is None:
        material = trust.trust_list() | {"signers": trust.checked_signers()}
        _trust_cache.clear()
        _trust_cache[version] = material
    return material


@dataclass(frozen=True)
class SyncResult:
    body: dict[str, Any]
    full: bool
    entries: int
    removed: int


def sync(post: Post, since: str | None) -> SyncResult:
    """The post's offline set (`since` None or unusable: all of it, `full`), or the changes since `since`."""
    days = tuple(day.isoformat() for day in post.offline_dates())
    with snapshot() as seen:
        cursor = Cursor.decode(since) if since else None
        usable = cursor is not None and cursor.post == post.code and cursor.days == days
        changed = _changed_since(cursor) if usable and cursor else None
        entries = _entries(post, days, changed)
        removed = _removed(post, changed, {e["traveller_id"] for e in entries}) if changed is not None else []
        version = trust_version()
        # A delta carries the trust material only when it changed since the device's cursor.
        same_trust = changed is not None and cursor is not None and cursor.trust == version
        material = None if same_trust else trust_material(version)
    body = {
        "post": post.code, "cursor": Cursor(post.code, days, seen.watermark, seen.seen, version).encode(),
        "generated_at": timezone.now().isoformat(), "full": changed is None, "days": list(days),
        "entries": entries, "removed": removed, "trust": material, "trust_version": version,
    }
    return SyncResult(body, changed is None, len(entries), len(removed))


def _entries(post: Post, days: tuple[str, ...], changed: QuerySet[Change] | None) -> list[dict[str, Any]]:
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    entries = []
    for kind in (StampKind.ENTRY, StampKind.EXIT):
        calendar = receiving_calendar(post, kind)
        if calendar is None:  # a post nobody leaves through
            continue
        travellers = listed(post, kind, first, last, calendar)
        if changed is not None:
            travellers = travellers.filter(pk__in=changed.values("traveller_id"))
        entries += _entries_of(post, kind, travellers, calendar)
    return entries


def _entries_of(post: Post, kind: str, travellers: QuerySet[Traveller], calendar: PostCalendar
                ) -> list[dict[str, Any]]:
    rows = list(travellers.order_by("pk").values(*_FIELDS))
    if not rows:
        return []
    # A delta's few rows are named by id; a full sync's many by the same query as a subquery.
    few = len(rows) <= _FEW
    traveller_ids: Any = [row["pk"] for row in rows] if few else travellers.values("pk")
    notice_ids: Any = list({row["notice_id"] for row in rows}) if few else travellers.values("notice_id")
    stamps: dict[tuple[int, str], Stamp] = {}
    for stamp in Stamp.objects.filter(traveller_id__in=traveller_ids).only(
            "traveller_id", "kind", "post_id", "at", "permits_returned", "permits_outstanding"):
        stamps[(stamp.traveller_id, stamp.kind)] = stamp
    seals = dict(Seal.objects.filter(notice_id__in=notice_ids, revoked_at__isnull=True)
                 .values_list("notice_id", "seal_id"))
    crossing = post.crossing
    windows = {expected: calendar.window(expected, crossing.arrival_days_early, crossing.arrival_days_late)
               for expected in {row["notice__expected_date"] for row in rows}}
    transit = timedelta(hours=crossing.transit_hours)
    permits = _permits_by_direction(rows) if kind == StampKind.EXIT else {}
    now = timezone.now()
    entries = []
    for row in rows:
        expected = row["notice__expected_date"]
        exit = stamps.get((row["pk"], StampKind.EXIT))
        entry_stamp = stamps.get((row["pk"], StampKind.ENTRY))
        mine = exit if kind == StampKind.EXIT else entry_stamp
        due = exit.at + transit if exit else None
        entries.append({
            "traveller_id": row["pk"], "reference": row["notice__reference"], "kind": kind,
            "surname": row["surname"], "given_names": row["given_names"], "nationality": row["nationality"],
            "document_number": row["document_number"], "date_of_birth": row["date_of_birth"].isoformat(),
            "vehicle_plate": row["notice__vehicle__plate"], "expected_date": expected.isoformat(),
            "listed_from": windows[expected][0].isoformat(), "listed_until": windows[expected][1].isoformat(),
            "notice_status": row["notice__status"], "payment_status": row["notice__payment_status"],
            "payment_required": crossing.payment_required_before_entry,
            "seal_id": (seals.get(row["notice_id"]) or "").lower() or None,
            "stamped": mine is not None, "exited": exit is not None,
            "exited_at": _iso(exit.at if exit else None), "due_by": _iso(due),
            "overdue": bool(due and entry_stamp is None and kind == StampKind.ENTRY and now > due),
            "permits": permits.get(row["notice__direction_id"], []),
            "permits_outstanding": exit.permits_outstanding if exit else [],
        })
    return entries


def _permits_by_direction(rows: list[dict[str, Any]]) -> dict[int, list[dict[str, str]]]:
    directions = {row["notice__direction_id"] for row in rows}
    by_direction: dict[int, list[dict[str, str]]] = {}
    for permit in ExitPermit.objects.filter(direction_id__in=directions).order_by("code"):
        by_direction.setdefault(permit.direction_id, []).append({"code": permit.code, "name": permit.name})
    return by_direction


def _removed(post: Post, changed: QuerySet[Change], listed_ids: set[int]) -> list[int]:
    """Changed travellers no longer in the post's set: of this post's notices, or deleted."""
    candidates = set(changed.values_list("traveller_id", flat=True)) - listed_ids
    if not candidates:
        return []
    elsewhere = set(Traveller.objects.filter(pk__in=candidates).exclude(
        Q(notice__direction__to_post=post) | Q(notice__direction__from_post=post)).values_list("pk", flat=True))
    return sorted(candidates - elsewhere)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
