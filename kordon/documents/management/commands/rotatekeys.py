"""`kordon rotatekeys`: re-wrap every document's file keys under the current master key.

To rotate: set the new key as KORDON_MASTER_KEY(_ID), move the old one to KORDON_PREVIOUS_MASTER_KEYS
("old-id:base64key"), restart the workers, run this, then drop the old key once it reports no failures.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kordon.documents import services
from kordon.documents.keys import KeyRingUnavailable


class Command(BaseCommand):
    help = "Re-wrap every document's file keys under the current master key; stored files are not touched."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        try:
            rotation = services.rotate_keys(batch_size=max(1, batch_size))
        except KeyRingUnavailable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Master key {rotation.key_id}: {rotation.rewrapped} documents re-wrapped, "
                          f"{rotation.already_current} already under it, {len(rotation.failed)} failed.")
        if rotation.failed:
            raise CommandError(
                f"{len(rotation.failed)} documents are sealed under a master key that is not in the ring "
                f"(first: {rotation.failed[0]}): add it to KORDON_PREVIOUS_MASTER_KEYS and run again.")
