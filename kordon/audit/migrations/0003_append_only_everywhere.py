"""SQLite refuses to change or delete audit events too (PostgreSQL has since 0002).

A trigger stops the application's own mistakes. What stops a compromised application is the role
it connects as: on PostgreSQL it may only SELECT and INSERT here (`kordon dbroles`), and only the
table's owner may TRUNCATE, drop or disable a trigger (docs/security.md).
"""

from django.db import migrations

from kordon.audit.triggers import SQLITE, SQLITE_DROP


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
