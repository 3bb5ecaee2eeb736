"""Give the application's PostgreSQL role what it needs and no more: `kordon dbroles APP_ROLE`.

Run as the owner of kordon's tables (the role that runs `kordon migrate`); then serve with the app
role. The app role reads and writes every table, but on the audit trail it may only SELECT and
INSERT: it cannot UPDATE, DELETE or TRUNCATE there, and as it owns nothing it can neither drop nor
disable the trigger. Tables made by later migrations get the same rights (default privileges).
Idempotent; run it again after adding a new schema or role.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

AUDIT_TABLE = "audit_auditevent"


def grant_app_role(role: str) -> list[str]:
    """The statements that set `role` up, in order (quoted safely)."""
    quote = connection.ops.quote_name
    app = quote(role)
    return [
        f"GRANT USAGE ON SCHEMA public TO {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {app}",
        f"REVOKE ALL ON {quote(AUDIT_TABLE)} FROM {app}",
        f"GRANT SELECT, INSERT ON {quote(AUDIT_TABLE)} TO {app}",
    ]


class Command(BaseCommand):
    help = "Grant APP_ROLE the rights to serve kordon: all tables, but insert-only on the audit trail (PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("app_role", help="The role the app servers connect as (it must exist and own nothing).")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Roles are PostgreSQL's; on SQLite the audit trail's triggers and the file's "
                               "permissions are the protection.")
        role = options["app_role"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            row = cursor.fetchone()
            if row is None:
                raise CommandError(f"There is no role {role!r}: CREATE ROLE {role} LOGIN PASSWORD '…' first.")
            if row[0]:
                raise CommandError(f"{role!r} is a superuser: it could change the audit trail whatever the grants.")
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s", [role])
            if cursor.fetchone()[0]:
                raise CommandError(f"{role!r} owns tables: owners may truncate and disable triggers. Use a role "
                                   "that owns nothing, and run this as the owner.")
            for statement in grant_app_role(role):
                cursor.execute(statement)
        self.stdout.write(f"{role} may now serve kordon; on {AUDIT_TABLE} it may only SELECT and INSERT.")
