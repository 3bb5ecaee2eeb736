from typing import Any

from django.core.management.base import BaseCommand

from kordon.crossings.demo import load_kyzyl_art


class Command(BaseCommand):
    help = "Create or refresh the Kyzyl-Art demo crossing (posts, directions, fees, rules)."

    def handle(self, *args: Any, **options: Any) -> None:
        crossing = load_kyzyl_art()
        self.stdout.write(f"Crossing {crossing.slug}: posts {', '.join(p.code for p in crossing.posts.all())}.")
