"""Keeping documents and personal data only as long as each crossing says.

For every notice there is a *reference day*: the last day a traveller of the party was stamped in,
or, for a party that never entered (a no-show, or a cancellation), the last day it could have
arrived (expected date plus the crossing's late-arrival days). Then, per crossing:

* documents are deleted ``documents_keep_days_after_entry`` days after entry, or
  ``no_show_grace_days`` days after the reference day of a party that never entered;
* personal data is anonymized ``personal_data_keep_days`` after the reference day: names become
  ANONYMIZED; document numbers, MRZ lines, contacts and plates are blanked; the date of birth is
  replaced by a placeholder (the column cannot be empty). References, status, fees, stamps and
  nationalities stay, for statistics. Any document still held then goes too. Each app blanks what
  it holds through its registered shredders (``kordon.shredding``); ``personal_data_anonymized``
  then announces the batch.

What was deleted is recorded in the audit trail as counts, never as content. Stored objects are
deleted after the rows' transaction commits; one whose deletion fails is swept up by
:func:`remove_orphans` on a later run, as is ciphertext left by a worker that died mid-upload.
"""

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from kordon import shredding
from kordon.audit.services import SYSTEM, record
from kordon.crossings.models import Crossing
from kordon.documents.models import Document
from kordon.documents.services import remove_stored
from kordon.documents.signals import personal_data_anonymized
from kordon.documents.storage import document_storage
from kordon.notices.models import Notice, Traveller
from kordon.notices.shredders import ANONYMIZED
from kordon.posts.models import StampKind

logger = logging.getLogger(__name__)

BATCH = 200
ORPHAN_AGE = timedelta(hours=6)  # longer than any upload takes between writing and committing


def _with_entry_day(notices: QuerySet[Notice]) -> QuerySet[Notice]:
    return notices.annotate(entry_day=Max("stamps__local_date", filter=Q(stamps__kind=StampKind.ENTRY)))


def _past(crossing: Crossing, today: date, after_entry: int, after_no_show: int) -> QuerySet[Notice]:
    """Notices of ``crossing`` whose reference day is at least the given number of days ago."""
    last_arrival = today - timedelta(days=after_no_show + crossing.arrival_days_late)
    return _with_entry_day(Notice.objects.filter(crossing=crossing)).filter(
        Q(entry_day__lte=today - timedelta(days=after_entry))
        | Q(entry_day__isnull=True, expected_date__lte=last_arrival)
    )


def notices_with_personal_data() -> QuerySet[Notice]:
    return Notice.objects.filter(Exists(Traveller.objects.filter(notice=OuterRef("pk")).exclude(surname=ANONYMIZED)))


def documents_due(crossing: Crossing, today: date) -> QuerySet[Notice]:
    """Notices holding documents that are due for deletion (their own period, or the personal-data one)."""
    keep = crossing.personal_data_keep_days
    due = _past(crossing, today, crossing.documents_keep_days_after_entry, crossing.no_show_grace_days)
    due_personal = _past(crossing, today, keep, keep)
    return Notice.objects.filter(Q(pk__in=due.values("pk")) | Q(pk__in=due_personal.values("pk"))).filter(
        Exists(Document.objects.filter(notice=OuterRef("pk"))))


def anonymization_due(crossing: Crossing, today: date) -> QuerySet[Notice]:
    keep = crossing.personal_data_keep_days
    return notices_with_personal_data().filter(pk__in=_past(crossing, today, keep, keep).values("pk"))


# --- doing it --------------------------------------------------------------------------------


@dataclass
class Outcome:
    documents_deleted: Counter[str] = field(default_factory=Counter)
    notices_anonymized: int = 0
    refusals_anonymized: int = 0
    orphans_removed: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"documents_deleted": dict(self.documents_deleted), "notices_anonymized": self.notices_anonymized,
                "refusals_anonymized": self.refusals_anonymized, "orphans_removed": self.orphans_removed}


def apply_retention(today: date | None = None) -> Outcome:
    """Delete and anonymize whatever every crossing's retention periods say is due; return the counts."""
    today = today or timezone.now().date()
    outcome = Outcome()
    for crossing in Crossing.objects.all():
        outcome.documents_deleted += _delete_documents(crossing, documents_due(crossing, today))
        outcome.notices_anonymized += _anonymize_notices(crossing, anonymization_due(crossing, today))
        outcome.refusals_anonymized += _anonymize_refusals(crossing, today)
    outcome.orphans_removed = remove_orphans()
    return outcome


def _batches(notices: QuerySet[Notice]) -> Iterator[list[int]]:
    """Ids of ``notices`` in batches; each batch is handled (and so leaves the query) before the next."""
    while batch := list(notices.order_by("pk").values_list("pk", flat=True)[:BATCH]):
        yield batch


def _delete_documents(crossing: Crossing, notices: QuerySet[Notice]) -> Counter[str]:
    deleted: Counter[str] = Counter()
    for ids in _batches(notices):
        with transaction.atomic():
            documents = list(Document.objects.select_for_update().filter(notice_id__in=ids)
                             .only("pk", "kind", "content_name", "preview_name"))
            Document.objects.filter(pk__in=[d.pk for d in documents]).delete()
            counts = Counter(d.kind for d in documents)
            record(SYSTEM, "retention.documents_deleted", crossing=crossing.slug, notices=len(ids),
                   documents=dict(counts))
            names = [name for d in documents for name in (d.content_name, d.preview_name)]
            transaction.on_commit(lambda names=names: remove_stored(names))  # type: ignore[misc]
        deleted += counts
    return deleted


def _anonymize_notices(crossing: Crossing, notices: QuerySet[Notice]) -> int:
    done = 0
    for ids in _batches(notices):
        with transaction.atomic():
            _anonymize(ids)
            record(SYSTEM, "retention.personal_data_anonymized", crossing=crossing.slug, notices=len(ids))
        done += len(ids)
    return done


def _anonymize(ids: list[int]) -> None:
    shredding.shred(ids)
    personal_data_anonymized.send(sender=Notice, notice_ids=ids)


def _anonymize_refusals(crossing: Crossing, today: date) -> int:
    """Data tied to no notice (refusals of people not in kordon) is blanked in time too."""
    before = _start_of(today - timedelta(days=crossing.personal_data_keep_days))
    with transaction.atomic():
        counts = shredding.shred_unlinked(crossing.pk, before)
        for name, count in counts.items():
            if count:
                data: dict[str, Any] = {name: count}  # as before: {"refusals": 3}
                record(SYSTEM, f"retention.{name}_anonymized", crossing=crossing.slug, **data)
    return counts.get("refusals", 0)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


# --- stored objects no row names -------------------------------------------------------------


def orphans(older_than: timedelta = ORPHAN_AGE) -> Iterator[str]:
    """Stored names that no document row mentions, last written more than ``older_than`` ago.

    The storage is walked one folder at a time (names are "xx/…"), each folder checked against
    the rows in one query, so memory stays small however many documents there are.
    """
    storage = document_storage()
    cutoff = timezone.now() - older_than
    try:
        folders, _ = storage.listdir("")
    except FileNotFoundError:  # nothing was ever stored here
        return
    for folder in sorted(folders):
        _, files = storage.listdir(folder)
        prefix = f"{folder}/"
        rows = Document.objects.filter(Q(content_name__startswith=prefix) | Q(preview_name__startswith=prefix))
        known = {name for pair in rows.values_list("content_name", "preview_name") for name in pair}
        for name in (f"{folder}/{file}" for file in files):
            if name not in known and storage.get_modified_time(name) < cutoff:
                yield name


def remove_orphans(older_than: timedelta = ORPHAN_AGE) -> int:
    names = list(orphans(older_than))
    remove_stored(names)
    if names:
        logger.warning("Removed %d stored document objects that no row named", len(names))
        record(SYSTEM, "retention.orphans_removed", objects=len(names))
    return len(names)


# --- what would go, what is held -------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    crossing: str
    reference: str
    action: str  # "delete documents" | "anonymize"
    why: str
    documents: dict[str, int]


def plan(today: date | None = None) -> list[Planned]:
    """What :func:`apply_retention` would delete or anonymize today, notice by notice."""
    today = today or timezone.now().date()
    planned = []
    for crossing in Crossing.objects.all():
        for notice in _with_entry_day(documents_due(crossing, today)).order_by("expected_date"):
            counts = dict(Counter(notice.documents.values_list("kind", flat=True)))
            planned.append(Planned(crossing.slug, notice.display_reference, "delete documents", _why(notice), counts))
        for notice in _with_entry_day(anonymization_due(crossing, today)).order_by("expected_date"):
            planned.append(Planned(crossing.slug, notice.display_reference, "anonymize", _why(notice), {}))
    return planned


def _why(notice: Notice) -> str:
    entry_day = getattr(notice, "entry_day", None)
    if entry_day:
        return f"entered {entry_day:%Y-%m-%d}"
    return f"{notice.get_status_display().lower()}, never entered, expected {notice.expected_date:%Y-%m-%d}"


@dataclass(frozen=True)
class Held:
    crossing: str
    notices: int
    oldest_notice: datetime | None
    documents: int
    document_bytes: int
    oldest_document: datetime | None


def report() -> list[Held]:
    """Per crossing: notices still holding personal data and the oldest of them; documents held,
    their bytes (as stored, before encryption) and the oldest."""
    notices = notices_with_personal_data().values("crossing__slug").annotate(n=Count("pk"), oldest=Min("created_at"))
    documents = Document.objects.values(slug=F("notice__crossing__slug")).annotate(
        n=Count("pk"), size=Sum("size"), oldest=Min("uploaded_at"))
    by_notices: dict[str, dict[str, Any]] = {row["crossing__slug"]: dict(row) for row in notices}
    by_documents: dict[str, dict[str, Any]] = {row["slug"]: dict(row) for row in documents}
    held = []
    for slug in Crossing.objects.order_by("slug").values_list("slug", flat=True):
        n, d = by_notices.get(slug, {}), by_documents.get(slug, {})
        held.append(Held(slug, n.get("n", 0), n.get("oldest"), d.get("n", 0), d.get("size") or 0, d.get("oldest")))
    return held
