"""Two columns that make a PostgreSQL search with words read less of a large library (see
`materials/search.py` and docs/PERFORMANCE.md, "Materials"). PostgreSQL only; SQLite's FTS5
search is unchanged.

- `topic_ids`: the material's topic ids, sorted, kept by the database from
  `materials_material_topics` (statement triggers, so `topics.set()` updates each material once)
  and put in the search index beside kind, licence and the words. A search filtered by topic then
  takes the topic's matches from the index instead of joining every tag of the topic.
- `rank_vector`: a small tsvector ranked instead of the whole text's: the title (weight A) and the
  first `RANK_CHARS` characters of the search document (B: the summary, the topic names and the
  start of the extracted text). It stays in the row (storage MAIN), so ranking the matches reads
  no out-of-line values; ranking the whole text read each match's compressed vector from TOAST,
  which was nearly all of a search's time at 100,000 materials.

Neither column is in Django's model state: the database keeps them, and only `search.py` reads
them. Adding them rewrites the table once (every row's generated vectors are computed again).
"""

from django.db import migrations

RANK_CHARS = 500

# Each trigger names the rows it saw `changed` (the new rows of an insert, the old ones of a delete;
# an update has one trigger for each), and the function reads those materials' tags again.
FUNCTION = """
    CREATE FUNCTION materials_material_topic_ids_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE materials_material AS material
        SET topic_ids = coalesce(
            (SELECT array_agg(tag.topic_id ORDER BY tag.topic_id)
             FROM materials_material_topics AS tag WHERE tag.material_id = material.id),
            '{}'
        )
        WHERE material.id IN (SELECT material_id FROM changed);
        RETURN NULL;
    END
    $$
"""
# Every material's topic ids, as the triggers keep them.
FILL = """
    UPDATE materials_material AS material
    SET topic_ids = coalesce(
        (SELECT array_agg(tag.topic_id ORDER BY tag.topic_id)
         FROM materials_material_topics AS tag WHERE tag.material_id = material.id),
        '{}'
    )
"""
TRIGGERS = {
    "inserted": ("INSERT", "NEW"),
    "deleted": ("DELETE", "OLD"),
    "updated_from": ("UPDATE", "OLD"),
    "updated_to": ("UPDATE", "NEW"),
}

POSTGRESQL_CREATE = (
    "ALTER TABLE materials_material ADD COLUMN topic_ids bigint[] NOT NULL DEFAULT '{}'",
    FUNCTION,
    *(
        f"CREATE TRIGGER materials_material_topics_{name} AFTER {event} "
        f"ON materials_material_topics REFERENCING {rows} TABLE AS changed "
        "FOR EACH STATEMENT EXECUTE FUNCTION materials_material_topic_ids_refresh()"
        for name, (event, rows) in TRIGGERS.items()
    ),
    f"""
    ALTER TABLE materials_material ADD COLUMN rank_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(
            to_tsvector('english'::regconfig, left(coalesce(search_document, ''), {RANK_CHARS})),
            'B'
        )
    ) STORED
    """,
    # Kept in the row, never moved out (toast_tuple_target is 256 bytes, migration 0002). The
    # update that fills topic_ids writes every row again, storing the rank vectors this way.
    "ALTER TABLE materials_material ALTER COLUMN rank_vector SET STORAGE MAIN",
    FILL,
    # The update queues the deferred foreign key checks, which must run before an index is made.
    "SET CONSTRAINTS ALL IMMEDIATE",
    "DROP INDEX material_search_vector",
    "CREATE INDEX material_search_vector ON materials_material "
    "USING gin (kind, licence, topic_ids, search_vector)",
)
POSTGRESQL_DROP = (
    "DROP INDEX material_search_vector",
    "CREATE INDEX material_search_vector ON materials_material "
    "USING gin (kind, licence, search_vector)",
    "ALTER TABLE materials_material DROP COLUMN rank_vector",
    *(
        f"DROP TRIGGER materials_material_topics_{name} ON materials_material_topics"
        for name in TRIGGERS
    ),
    "DROP FUNCTION materials_material_topic_ids_refresh()",
    "ALTER TABLE materials_material DROP COLUMN topic_ids",
)


def _run(schema_editor, statements: tuple[str, ...]) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement)


def create(apps, schema_editor) -> None:
    _run(schema_editor, POSTGRESQL_CREATE)


def drop(apps, schema_editor) -> None:
    _run(schema_editor, POSTGRESQL_DROP)


class Migration(migrations.Migration):
    dependencies = [("materials", "0003_trainer_pool")]

    operations = [migrations.RunPython(create, drop)]
