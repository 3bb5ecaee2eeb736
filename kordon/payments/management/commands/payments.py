from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kordon.crossings.models import Post
from kordon.payments import reports


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Payments: `report --date YYYY-MM-DD [--post CODE]` prints the day's receipts and totals as CSV."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        report = actions.add_parser("report", help="The receipts issued on a day, with totals, as CSV.")
        report.add_argument("--date", type=_day, required=True, help="The issuing office's date, YYYY-MM-DD.")
        report.add_argument("--post", help="Only this post's receipts (its code, e.g. kg-bordobo); HQ for online.")

    def handle(self, *args: Any, **options: Any) -> None:
        office = options["post"]
        if office and office.upper() != "HQ" and not Post.objects.filter(code=office).exists():
            raise CommandError(f"There is no post {office!r}.")
        self.stdout.write(reports.as_csv(options["date"], office), ending="")
