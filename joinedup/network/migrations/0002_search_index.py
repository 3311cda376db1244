"""The full-text index of discussion posts (see `network/search.py`).

PostgreSQL: a stored generated `search_vector` column over the post's body (English), with a GIN
index over the space and the words (btree_gin, as materials 0002), so a search within one space
takes both from the index. A thread's title is not in the post's row and a generated column may
not read another table, so titles are not searched. The column is not in Django's model state:
the database keeps it, and only `search.py` reads it. The body is cut at 300,000 characters
(a tsvector may not exceed 1 MB).

SQLite: an external-content FTS5 table over `network_post(body)`, kept in step by triggers.
Django remakes a SQLite table for some schema changes (dropping its triggers), so a later
migration that alters `network_post` must run `create_index` here again; the search tests fail on
SQLite if it does not.
"""

from django.db import migrations

POSTGRESQL_CREATE = (
    """
    ALTER TABLE network_post ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        to_tsvector('english'::regconfig, left(coalesce(body, ''), 300000))
    ) STORED
    """,
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX network_post_search ON network_post USING gin (space_id, search_vector)",
)
POSTGRESQL_DROP = (
    "DROP INDEX IF EXISTS network_post_search",
    "ALTER TABLE network_post DROP COLUMN IF EXISTS search_vector",
)

SQLITE_CREATE = (
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS network_post_fts USING fts5(
        body, content='network_post', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS network_post_fts_insert AFTER INSERT ON network_post BEGIN
        INSERT INTO network_post_fts(rowid, body) VALUES (new.id, new.body);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS network_post_fts_delete AFTER DELETE ON network_post BEGIN
        INSERT INTO network_post_fts(network_post_fts, rowid, body)
        VALUES ('delete', old.id, old.body);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS network_post_fts_update
    AFTER UPDATE OF body ON network_post BEGIN
        INSERT INTO network_post_fts(network_post_fts, rowid, body)
        VALUES ('delete', old.id, old.body);
        INSERT INTO network_post_fts(rowid, body) VALUES (new.id, new.body);
    END
    """,
    # Index the rows already there (none on a new database).
    "INSERT INTO network_post_fts(network_post_fts) VALUES ('rebuild')",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS network_post_fts_update",
    "DROP TRIGGER IF EXISTS network_post_fts_delete",
    "DROP TRIGGER IF EXISTS network_post_fts_insert",
    "DROP TABLE IF EXISTS network_post_fts",
)


def _run(schema_editor, statements_by_vendor: dict[str, tuple[str, ...]]) -> None:
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(statement)


def create_index(apps, schema_editor) -> None:
    _run(schema_editor, {"postgresql": POSTGRESQL_CREATE, "sqlite": SQLITE_CREATE})


def drop_index(apps, schema_editor) -> None:
    _run(schema_editor, {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
