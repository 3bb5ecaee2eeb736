"""`flush` wipes every table, the audit trail included: on SQLite its triggers step aside for it.

Only an operator (or the test suite between tests) runs flush, and it removes everything anyway;
PostgreSQL's TRUNCATE never fires the row triggers, so nothing is needed there.
"""

from typing import Any

from django.core.management.commands.flush import Command as Flush
from django.db import connections

from kordon.audit import triggers


class Command(Flush):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with connection.cursor() as cursor:
            for statement in triggers.SQLITE_DROP:
                cursor.execute(statement)
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for statement in triggers.SQLITE:
                    cursor.execute(statement)
