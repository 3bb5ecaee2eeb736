from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kordon.agencies import services
from kordon.audit.services import SYSTEM
from kordon.problems import Refused


class Command(BaseCommand):
    help = "Create an agency account and print its API token (the last line of output)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--email", default="", help="The agency's contact email")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            agency, issued = services.create_agency(options["name"], SYSTEM, options["email"])
        except Refused as refused:
            raise CommandError(" ".join(str(p.message) for p in refused.problems)) from None
        scopes = ", ".join(issued.token.scopes)
        self.stdout.write(f"Created agency {agency.name} (id {agency.pk}). API token “{issued.token.name}” "
                          f"({scopes}), shown once:")
        self.stdout.write(issued.raw)
