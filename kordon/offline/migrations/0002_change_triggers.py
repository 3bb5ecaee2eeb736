"""Triggers that note every change of what a post's device holds (see kordon.offline.models.Change).

A traveller's sync entry is made of the traveller, their notice (status, date, payment status), its
vehicle, its seals and the traveller's stamps; a change to any of these rows marks the traveller
(all travellers of the notice) as changed at the writing transaction's version.
"""

from django.db import migrations

# (table, how to find the travellers it concerns, which operations, when (on UPDATE))
SOURCES = [
    ("notices_traveller", "traveller", "id", ("INSERT", "UPDATE", "DELETE"), ""),
    ("notices_notice", "notice", "id", ("UPDATE",),
     "OLD.status IS DISTINCT FROM NEW.status OR OLD.expected_date IS DISTINCT FROM NEW.expected_date "
     "OR OLD.payment_status IS DISTINCT FROM NEW.payment_status"),
    ("notices_vehicle", "notice", "notice_id", ("INSERT", "UPDATE", "DELETE"), ""),
    ("seals_seal", "notice", "notice_id", ("INSERT", "UPDATE", "DELETE"), ""),
    ("posts_stamp", "traveller", "traveller_id", ("INSERT", "UPDATE", "DELETE"), ""),
]

PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION offline_touch_traveller(tid bigint) RETURNS void AS $$
  INSERT INTO offline_change (traveller_id, version) VALUES (tid, pg_current_xact_id()::text::bigint)
  ON CONFLICT (traveller_id) DO UPDATE SET version = EXCLUDED.version
$$ LANGUAGE sql;
CREATE OR REPLACE FUNCTION offline_touch_notice(nid bigint) RETURNS void AS $$
  INSERT INTO offline_change (traveller_id, version)
  SELECT id, pg_current_xact_id()::text::bigint FROM notices_traveller WHERE notice_id = nid
  ON CONFLICT (traveller_id) DO UPDATE SET version = EXCLUDED.version
$$ LANGUAGE sql;
"""

PG_TRIGGER = """
CREATE OR REPLACE FUNCTION offline_{table}() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN PERFORM offline_touch_{what}(OLD.{column}); RETURN OLD; END IF;
  PERFORM offline_touch_{what}(NEW.{column}); RETURN NEW;
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER offline_{table}_{op} AFTER {op} ON {table} FOR EACH ROW {when} EXECUTE FUNCTION offline_{table}();
"""

SQLITE_NEXT = "(SELECT COALESCE(MAX(version), 0) + 1 FROM offline_change)"
SQLITE_TRIGGER = {
    "traveller": """CREATE TRIGGER offline_{table}_{op} AFTER {op} ON {table} {when} BEGIN
  INSERT INTO offline_change (traveller_id, version) VALUES ({row}.{column}, """ + SQLITE_NEXT + """)
  ON CONFLICT (traveller_id) DO UPDATE SET version = excluded.version;
END;""",
    "notice": """CREATE TRIGGER offline_{table}_{op} AFTER {op} ON {table} {when} BEGIN
  INSERT INTO offline_change (traveller_id, version)
  SELECT id, """ + SQLITE_NEXT + """ FROM notices_traveller WHERE notice_id = {row}.{column}
  ON CONFLICT (traveller_id) DO UPDATE SET version = excluded.version;
END;""",
}


def _statements(vendor: str) -> list[str]:
    statements = [PG_FUNCTIONS] if vendor == "postgresql" else []
    for table, what, column, ops, condition in SOURCES:
        for op in ops:
            when = f"WHEN ({condition})" if condition and op == "UPDATE" else ""
            if vendor == "postgresql":
                statements.append(PG_TRIGGER.format(table=table, what=what, column=column, op=op, when=when))
            else:
                sqlite_when = when.replace("IS DISTINCT FROM", "IS NOT")
                row = "OLD" if op == "DELETE" else "NEW"
                statements.append(SQLITE_TRIGGER[what].format(table=table, column=column, op=op, when=sqlite_when,
                                                              row=row))
    return statements


def _drops(vendor: str) -> list[str]:
    drops = []
    for table, _what, _column, ops, _condition in SOURCES:
        for op in ops:
            on = f" ON {table}" if vendor == "postgresql" else ""
            drops.append(f"DROP TRIGGER IF EXISTS offline_{table}_{op}{on}")
        if vendor == "postgresql":
            drops.append(f"DROP FUNCTION IF EXISTS offline_{table}()")
    if vendor == "postgresql":
        drops += ["DROP FUNCTION IF EXISTS offline_touch_traveller(bigint)",
                  "DROP FUNCTION IF EXISTS offline_touch_notice(bigint)"]
    return drops


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in _statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)
    # Everything that exists now counts as changed now: a device that synced before has a cursor
    # below this version and gets it all again.
    Change = apps.get_model("offline", "Change")
    Traveller = apps.get_model("notices", "Traveller")
    version = 1
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id()::text::bigint")
            version = cursor.fetchone()[0]
    ids = Traveller.objects.values_list("pk", flat=True).iterator(chunk_size=10_000)
    batch = []
    for pk in ids:
        batch.append(Change(traveller_id=pk, version=version))
        if len(batch) >= 10_000:
            Change.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Change.objects.bulk_create(batch, ignore_conflicts=True)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in _drops(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("offline", "0001_initial"),
        ("notices", "0002_notice_language"),
        ("seals", "0002_revoked_seal_expiries"),
        ("posts", "0003_exits_and_journeys"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
