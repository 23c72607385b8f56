"""The full-text tables of the database in use: FTS5 on SQLite, a tsvector side table on
PostgreSQL. Raw SQL, each statement only for its vendor, so the migration runs on both."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(t, n, b, f, content='', tokenize='unicode61')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS search_fts"]

POSTGRESQL = [
    """CREATE TABLE search_pg_row (
        id bigint PRIMARY KEY,
        organization_id bigint,
        year smallint,
        kind varchar(40) NOT NULL DEFAULT '',
        topic varchar(40) NOT NULL DEFAULT '',
        category varchar(40) NOT NULL DEFAULT '',
        validity varchar(40) NOT NULL DEFAULT '',
        tsv tsvector NOT NULL
    )""",
    "CREATE INDEX search_pg_row_tsv ON search_pg_row USING gin (tsv)",
    "CREATE INDEX search_pg_row_org_year ON search_pg_row (organization_id, year)",
    "CREATE INDEX search_pg_row_year ON search_pg_row (year)",
    "CREATE INDEX search_pg_row_category ON search_pg_row (category)",
    "CREATE INDEX search_pg_row_topic ON search_pg_row (topic)",
    "CREATE INDEX search_pg_row_validity ON search_pg_row (validity)",
]
POSTGRESQL_REVERSE = ["DROP TABLE IF EXISTS search_pg_row"]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_entries_and_parts")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
