"""The full-text index of the materials library (see `materials/search.py`).

PostgreSQL: a stored generated `search_vector` column (title weighted A, the search document B)
with a GIN index over kind, licence and it. The column is not in Django's model state: the
database keeps it, and only `search.py` reads it. The document is cut at 300,000 characters
there, because a tsvector may not exceed 1 MB and an over-long one would make saving the
material fail.

SQLite: an external-content FTS5 table over `materials_material(title, search_document)`, kept
in step by triggers. Django remakes a SQLite table for some schema changes (dropping its
triggers), so a later migration that alters `materials_material` must run `create_index` here
again; the search tests fail on SQLite if it does not.
"""

from django.db import migrations

POSTGRESQL_CREATE = (
    """
    ALTER TABLE materials_material ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(
            to_tsvector('english'::regconfig, left(coalesce(search_document, ''), 300000)), 'B'
        )
    ) STORED
    """,
    # Kind and licence beside the words (btree_gin), so a search filtered by them reads only the
    # rows that pass; a condition on the words alone uses the index as well. btree_gin is a
    # trusted extension: the database owner may create it without being a superuser.
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX material_search_vector ON materials_material "
    "USING gin (kind, licence, search_vector)",
    # Move long documents and their vectors out of the table's own pages (TOAST) from 256 bytes
    # a row rather than 2 kB: the filters and visibility conditions of a search then read narrow
    # rows, and only the matches that pass them have their vectors read to be ranked.
    "ALTER TABLE materials_material SET (toast_tuple_target = 256)",
)
POSTGRESQL_DROP = (
    "ALTER TABLE materials_material RESET (toast_tuple_target)",
    "DROP INDEX IF EXISTS material_search_vector",
    "ALTER TABLE materials_material DROP COLUMN IF EXISTS search_vector",
)

SQLITE_CREATE = (
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS materials_material_fts USING fts5(
        title, search_document,
        content='materials_material', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS materials_material_fts_insert
    AFTER INSERT ON materials_material BEGIN
        INSERT INTO materials_material_fts(rowid, title, search_document)
        VALUES (new.id, new.title, new.search_document);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS materials_material_fts_delete
    AFTER DELETE ON materials_material BEGIN
        INSERT INTO materials_material_fts(materials_material_fts, rowid, title, search_document)
        VALUES ('delete', old.id, old.title, old.search_document);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS materials_material_fts_update
    AFTER UPDATE OF title, search_document ON materials_material BEGIN
        INSERT INTO materials_material_fts(materials_material_fts, rowid, title, search_document)
        VALUES ('delete', old.id, old.title, old.search_document);
        INSERT INTO materials_material_fts(rowid, title, search_document)
        VALUES (new.id, new.title, new.search_document);
    END
    """,
    # Index the rows already there (none on a new database).
    "INSERT INTO materials_material_fts(materials_material_fts) VALUES ('rebuild')",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS materials_material_fts_update",
    "DROP TRIGGER IF EXISTS materials_material_fts_delete",
    "DROP TRIGGER IF EXISTS materials_material_fts_insert",
    "DROP TABLE IF EXISTS materials_material_fts",
)


def _run(schema_editor, statements_by_vendor: dict[str, tuple[str, ...]]) -> None:
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(statement)


def create_index(apps, schema_editor) -> None:
    _run(schema_editor, {"postgresql": POSTGRESQL_CREATE, "sqlite": SQLITE_CREATE})


def drop_index(apps, schema_editor) -> None:
    _run(schema_editor, {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):
    dependencies = [("materials", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
