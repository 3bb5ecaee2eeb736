"""`kordon retention`: run daily (cron or a systemd timer) to delete what crossings no longer keep."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kordon.documents import retention
from kordon.documents.tasks import apply_retention


class Command(BaseCommand):
    help = ("Delete documents and anonymize personal data past each crossing's retention periods. By default "
            "the work is queued for the background worker; --now does it here.")

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_mutually_exclusive_group()
        what.add_argument("--dry-run", action="store_true",
                          help="List what would be deleted or anonymized; change nothing.")
        what.add_argument("--report", action="store_true", help="Show how much personal data each crossing holds.")
        what.add_argument("--now", action="store_true", help="Do the work in this process instead of queueing it.")

    def handle(self, *args: Any, dry_run: bool, report: bool, now: bool, **options: Any) -> None:
        if dry_run:
            self._dry_run()
        elif report:
            self._report()
        elif now:
            self.stdout.write(_counts(retention.apply_retention().as_dict()))
        else:
            result = apply_retention.enqueue()
            self.stdout.write(f"Queued retention task {result.id} ({result.status}).")

    def _dry_run(self) -> None:
        planned = retention.plan()
        for item in planned:
            documents = ", ".join(f"{kind} x{n}" for kind, n in sorted(item.documents.items()))
            self.stdout.write(f"{item.crossing}  {item.reference}  {item.action}"
                              f"{f' ({documents})' if documents else ''}  {item.why}")
        orphans = sum(1 for _ in retention.orphans())
        self.stdout.write(f"{len(planned)} notice actions would be taken; {orphans} unreferenced stored objects "
                          "would be removed. Nothing was changed (dry run).")

    def _report(self) -> None:
        self.stdout.write("crossing  notices with personal data  oldest  documents  MB  oldest document")
        for held in retention.report():
            self.stdout.write(f"{held.crossing}  {held.notices}  {_day(held.oldest_notice)}  {held.documents}  "
                              f"{held.document_bytes / 2**20:.1f}  {_day(held.oldest_document)}")


def _day(moment: Any) -> str:
    return f"{moment:%Y-%m-%d}" if moment else "-"


def _counts(outcome: dict[str, Any]) -> str:
    deleted = outcome["documents_deleted"]
    kinds = ", ".join(f"{kind} x{n}" for kind, n in sorted(deleted.items())) or "none"
    return (f"Documents deleted: {sum(deleted.values())} ({kinds}); notices anonymized: "
            f"{outcome['notices_anonymized']}; refusals anonymized: {outcome['refusals_anonymized']}; "
            f"unreferenced stored objects removed: {outcome['orphans_removed']}.")
