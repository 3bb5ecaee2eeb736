from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kordon.notices.demo import create_demo_parties


class Command(BaseCommand):
    help = "Add demo parties listed today and tomorrow at both Kyzyl-Art posts. Only with KORDON_DEBUG=true."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo parties are pretend travellers: they are only created with KORDON_DEBUG=true.")
        created = create_demo_parties()
        self.stdout.write(f"Demo parties: {len(created)} new notice(s), listed today and tomorrow at both posts.")
