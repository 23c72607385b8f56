"""PostgreSQL: the tsvector side table becomes partitioned by row id, one GIN index per
65,536 documents (see postgres_engine.py). The rows are copied, so no reindex is needed:
about three minutes and the index builds per million documents. Nothing to do on SQLite."""

from django.db import migrations

TABLE = "search_pg_row"
SPAN = 1 << 26  # row ids of 65,536 documents (PART_SHIFT 10)
COLUMNS = """
    id bigint NOT NULL,
    organization_id bigint,
    year smallint,
    kind varchar(40) NOT NULL DEFAULT '',
    topic varchar(40) NOT NULL DEFAULT '',
    category varchar(40) NOT NULL DEFAULT '',
    validity varchar(40) NOT NULL DEFAULT '',
    tsv tsvector NOT NULL,
    PRIMARY KEY (id)
"""
INDEXES = [
    f"CREATE INDEX search_pg_row_tsv ON {TABLE} USING gin (tsv)",
    f"CREATE INDEX search_pg_row_org_year ON {TABLE} (organization_id, year)",
    f"CREATE INDEX search_pg_row_year ON {TABLE} (year)",
    f"CREATE INDEX search_pg_row_category ON {TABLE} (category)",
    f"CREATE INDEX search_pg_row_topic ON {TABLE} (topic)",
    f"CREATE INDEX search_pg_row_validity ON {TABLE} (validity)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    old = f"{TABLE}_unpartitioned"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [TABLE])
        if cursor.fetchone()[0] == "p":  # partitioned already (migrated back and forth)
            return
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index "
            "WHERE indrelid = %s::regclass AND NOT indisprimary",
            [TABLE],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {old}")
        cursor.execute(f"ALTER INDEX {TABLE}_pkey RENAME TO {old}_pkey")
        cursor.execute(f"CREATE TABLE {TABLE} ({COLUMNS}) PARTITION BY RANGE (id)")
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {old}")
        for k in range(cursor.fetchone()[0] // SPAN + 1):
            cursor.execute(
                f"CREATE TABLE {TABLE}_{k} PARTITION OF {TABLE} "
                f"FOR VALUES FROM ({k * SPAN}) TO ({(k + 1) * SPAN})"
            )
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {old}")
        cursor.execute(f"DROP TABLE {old}")
        for sql in INDEXES:
            cursor.execute(sql)
        cursor.execute(f"ANALYZE {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_document_number_refs")]

    # Backwards: the partitioned table has the same columns, so the old code reads it too.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
