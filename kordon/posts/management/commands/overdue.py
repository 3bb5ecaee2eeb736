"""`kordon overdue`: run every few minutes (cron or a systemd timer) to alert supervisors of parties
overdue between the posts. Several runs at once are safe: each party is alerted once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kordon.posts import services
from kordon.posts.tasks import alert_overdue_parties


class Command(BaseCommand):
    help = ("Alert the receiving post's supervisors (console and email) of parties that left the other post "
            "longer ago than the crossing's transit time and have not arrived. By default the work is queued "
            "for the background worker; --now does it here.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Do the work in this process instead of queueing it.")

    def handle(self, *args: Any, now: bool, **options: Any) -> None:
        if now:
            self.stdout.write(f"Parties alerted: {services.alert_overdue()}.")
        else:
            result = alert_overdue_parties.enqueue()
            self.stdout.write(f"Queued overdue alerts task {result.id} ({result.status}).")
