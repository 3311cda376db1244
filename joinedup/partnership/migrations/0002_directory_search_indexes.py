"""Indexes for the people directory's search on PostgreSQL.

The search matches the start of a family name, a given name or a sign-in e-mail address,
case-insensitively (`UPPER(column) LIKE 'WORD%'`), and a word anywhere in a job title
(`UPPER(job_title) LIKE '%WORD%'`). Pattern-ops and trigram indexes on those expressions let
PostgreSQL find the matches without reading every row. SQLite has no such indexes and needs none
at its sizes, so this migration does nothing there.
"""

from django.db import migrations

INDEXES = (
    (
        "partnership_person_family_upper",
        "partnership_person",
        "UPPER(family_name) text_pattern_ops",
    ),
    ("partnership_person_given_upper", "partnership_person", "UPPER(given_name) text_pattern_ops"),
    ("partnership_person_email_upper", "partnership_person", "UPPER(email) text_pattern_ops"),
)
TRIGRAM_INDEX = (
    "partnership_employment_job_title_trgm",
    "partnership_employment",
    "gin (UPPER(job_title) gin_trgm_ops)",
)


def create_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, expression in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({expression})")
    # pg_trgm is a trusted extension: the database owner may create it without being a superuser.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    name, table, using = TRIGRAM_INDEX
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING {using}")


def drop_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in (*INDEXES, TRIGRAM_INDEX):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("partnership", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
