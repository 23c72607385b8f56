"""Refuse UPDATE (and DELETE on PostgreSQL) of audit events in the database itself, so that
not even SQL typed by hand changes the log (等保2.0 8.1.4.3 c).

SQLite keeps DELETE open because Django's test flush empties tables with DELETE; there the
hash chain (gongkai audit verify) reveals removed rows. PostgreSQL's flush uses TRUNCATE,
which production denies by not granting it (docs/operations.md)."""

from django.db import migrations

SQLITE_UP = [
    """CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_auditevent_no_update"]

PG_UP = [
    """CREATE OR REPLACE FUNCTION audit_auditevent_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_auditevent_no_change BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse()""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_change ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_refuse()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        )
    ]
