from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from kordon.agencies import webhooks


class Command(BaseCommand):
    help = "Post the agencies' webhook deliveries that are due (retries after an outage; run by cron)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--retry", action="store_true", help="Post what is due now (the default)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Posted {webhooks.retry_due()} due webhook deliveries.")
