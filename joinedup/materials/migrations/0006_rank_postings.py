"""Ranked postings: a search of one word or one two-word phrase reads its best matches first
instead of ranking every match (see `materials/search.py` and docs/PERFORMANCE.md, "Materials").
PostgreSQL only; SQLite's FTS5 search is unchanged.

- `materials_rank_posting(term, rank, material_id)`: one row for each lexeme of a material's
  `rank_vector` (its title and opening, migration 0004) and one for each pair of lexemes next to
  each other there ("reflect supervis"), with `ts_rank` of the rank vector for that term: exactly
  what `search.py` ranks a one-term search by. The index on (term, rank DESC, material_id) hands
  out a term's materials best first, so a page needs a page's rows, not every match.
- A GIN index over kind, licence, topic ids and `rank_vector`, for the searches that rank the
  materials with all their words in the title or opening some other way (several words, a
  filter by owner or topic, `or`, `-word`).

The database keeps the table (row triggers on the materials, a statement trigger that empties it
when the materials are truncated, as Django's test flush does); it is not in Django's model
state, and only `search.py` reads it. Filling it for 100,000 materials takes about a minute.
"""

from django.db import migrations

# A lexeme as a tsquery, without the dictionary: quoted, with quotes and backslashes escaped.
TERM_QUERY = """
    CREATE FUNCTION materials_lexeme_query(lexeme text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT ('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''')::tsquery
    $$
"""
# Every term of a rank vector with its rank: each lexeme, and each pair of lexemes at
# neighbouring positions, ranked as the phrase query `first <-> second`.
POSTINGS = """
    CREATE FUNCTION materials_rank_postings(vector tsvector)
    RETURNS TABLE (term text, rank real)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT lexeme, ts_rank(vector, materials_lexeme_query(lexeme)) FROM unnest(vector)
        UNION ALL
        SELECT pair.first || ' ' || pair.second,
               ts_rank(vector, tsquery_phrase(materials_lexeme_query(pair.first),
                                              materials_lexeme_query(pair.second)))
        FROM (
            SELECT DISTINCT here.lexeme AS first, next.lexeme AS second
            FROM (SELECT lexeme, unnest(positions) AS position FROM unnest(vector)) AS here
            JOIN (SELECT lexeme, unnest(positions) AS position FROM unnest(vector)) AS next
              ON next.position = here.position + 1
        ) AS pair
    $$
"""
REFRESH = """
    CREATE FUNCTION materials_rank_posting_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM materials_rank_posting WHERE material_id = OLD.id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO materials_rank_posting (term, rank, material_id)
            SELECT term, rank, NEW.id FROM materials_rank_postings(NEW.rank_vector);
        END IF;
        RETURN NULL;
    END
    $$
"""
EMPTY = """
    CREATE FUNCTION materials_rank_posting_empty() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE materials_rank_posting;
        RETURN NULL;
    END
    $$
"""

POSTGRESQL_CREATE = (
    "CREATE TABLE materials_rank_posting ("
    "term text NOT NULL, rank real NOT NULL, material_id bigint NOT NULL)",
    TERM_QUERY,
    POSTINGS,
    REFRESH,
    EMPTY,
    "INSERT INTO materials_rank_posting (term, rank, material_id) "
    "SELECT posting.term, posting.rank, material.id FROM materials_material AS material, "
    "materials_rank_postings(material.rank_vector) AS posting",
    "CREATE INDEX materials_rank_posting_walk "
    "ON materials_rank_posting (term, rank DESC, material_id)",
    "CREATE INDEX materials_rank_posting_material ON materials_rank_posting (material_id)",
    # Common words have far more rows than most terms: a larger sample tells the planner so.
    "ALTER TABLE materials_rank_posting ALTER COLUMN term SET STATISTICS 1000",
    "CREATE TRIGGER materials_rank_posting_written AFTER INSERT OR DELETE "
    "OR UPDATE OF title, search_document ON materials_material "
    "FOR EACH ROW EXECUTE FUNCTION materials_rank_posting_refresh()",
    "CREATE TRIGGER materials_rank_posting_truncated AFTER TRUNCATE ON materials_material "
    "FOR EACH STATEMENT EXECUTE FUNCTION materials_rank_posting_empty()",
    "CREATE INDEX material_rank_vector ON materials_material "
    "USING gin (kind, licence, topic_ids, rank_vector)",
)
POSTGRESQL_DROP = (
    "DROP INDEX material_rank_vector",
    "DROP TRIGGER materials_rank_posting_truncated ON materials_material",
    "DROP TRIGGER materials_rank_posting_written ON materials_material",
    "DROP TABLE materials_rank_posting",
    "DROP FUNCTION materials_rank_posting_empty()",
    "DROP FUNCTION materials_rank_posting_refresh()",
    "DROP FUNCTION materials_rank_postings(tsvector)",
    "DROP FUNCTION materials_lexeme_query(text)",
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
    dependencies = [("materials", "0005_owner_title_indexes")]

    operations = [migrations.RunPython(create, drop)]
