"""Indexes for the catalogue: keyset pages in title order, and search on PostgreSQL.

Searching matches a word anywhere in a programme's title or summary, case-insensitively
(`UPPER(column) LIKE '%WORD%'`); trigram indexes let PostgreSQL find the matches without reading
every programme. SQLite has no such index and needs none at its sizes, so that step does nothing
there.
"""

from django.db import migrations, models

TRIGRAM_INDEXES = (
    ("learning_programme_title_trgm", "UPPER(title)"),
    ("learning_programme_summary_trgm", "UPPER(summary)"),
)


def create_trigram_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension: the database owner may create it without being a superuser.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON learning_programme "
            f"USING gin ({expression} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _expression in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0002_booking_lifecycle"),
        ("partnership", "0005_calendar_token_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="programme",
            index=models.Index(fields=["title", "id"], name="programme_title_id"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
