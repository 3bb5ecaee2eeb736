from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def _create_cache_table(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    # The database cache (rate-limit counters when Redis is not configured) needs its table; making it
    # with every migrate means no deployment forgets it. Idempotent, and a no-op for Redis.
    call_command("createcachetable", database=using, verbosity=0)


class CrossingsConfig(AppConfig):
    name = "kordon.crossings"
    verbose_name = "Crossings"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="kordon-cache-table")
