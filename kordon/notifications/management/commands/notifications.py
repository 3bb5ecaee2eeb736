"""`kordon notifications resume|daily|stop`: hand undelivered notifications to the worker, run the daily round."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kordon.notifications import services
from kordon.notifications.models import Channel


class Command(BaseCommand):
    help = "Notifications: resume undelivered ones (at worker start), queue the daily round, stop a recipient."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("resume", help="Queue every notification still due (also those a killed worker left)")
        actions.add_parser("daily", help="Queue the reminders and today's-list notices (run once a day)")
        stop = actions.add_parser("stop", help="Send no more notifications to an address")
        stop.add_argument("channel", choices=[c.value for c in Channel])
        stop.add_argument("address")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "resume":
            self.stdout.write(f"Queued {services.resume_due()} notifications.")
        elif options["action"] == "daily":
            from kordon.notifications.tasks import daily

            result = daily.enqueue()
            self.stdout.write(f"Queued the daily round ({result.id}).")
        else:
            services.stop(options["channel"], options["address"])
            self.stdout.write(f"No more notifications to {options['address']}.")
