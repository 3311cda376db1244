"""Fill the catalogue's terms for the programmes already there, and index the words for search.

Each programme gets a `CatalogueTerm` for every word of its title and summary and each of its
topics (`learning.terms`, as `learning.term_index` writes them from now on), and every word a
`CatalogueWord`. On PostgreSQL a trigram index on the words finds those containing a search's word
without reading them all, and the terms are never read by parallel workers: the catalogue walks
a term's first few dozen rows in order, and on a shared machine starting workers for that cost
more than the walk (29 ms against 6 ms under load). SQLite has neither and needs neither.
"""

from django.db import migrations

from joinedup.learning.terms import terms_of, words_of

BATCH = 2_000
TRIGRAM_INDEX = "learning_catalogueword_word_trgm"


def fill_terms(apps, schema_editor) -> None:
    Programme = apps.get_model("learning", "Programme")
    CatalogueTerm = apps.get_model("learning", "CatalogueTerm")
    CatalogueWord = apps.get_model("learning", "CatalogueWord")
    topics: dict[int, list[int]] = {}
    for programme_id, topic_id in Programme.topics.through.objects.values_list(
        "programme_id", "topic_id"
    ):
        topics.setdefault(programme_id, []).append(topic_id)
    words: set[str] = set()
    rows = []
    programmes = Programme.objects.order_by("pk").values_list("pk", "title", "summary")
    for pk, title, summary in programmes.iterator(chunk_size=BATCH):
        words |= words_of(title) | words_of(summary)
        rows.extend(
            CatalogueTerm(programme_id=pk, term=term, title=title)
            for term in terms_of(title, summary, topics.get(pk, ()))
        )
        if len(rows) >= BATCH * 10:
            CatalogueTerm.objects.bulk_create(rows, batch_size=BATCH)
            rows = []
    CatalogueTerm.objects.bulk_create(rows, batch_size=BATCH)
    CatalogueWord.objects.bulk_create(
        [CatalogueWord(word=word) for word in sorted(words)], batch_size=BATCH
    )


def empty_terms(apps, schema_editor) -> None:
    apps.get_model("learning", "CatalogueTerm").objects.all().delete()
    apps.get_model("learning", "CatalogueWord").objects.all().delete()


def tune_for_postgresql(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension: the database owner may create it without being a superuser.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON learning_catalogueword "
        "USING gin (word gin_trgm_ops)"
    )
    schema_editor.execute("ALTER TABLE learning_catalogueterm SET (parallel_workers = 0)")
    schema_editor.execute("ANALYZE learning_catalogueterm")
    schema_editor.execute("ANALYZE learning_catalogueword")


def untune_for_postgresql(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE learning_catalogueterm RESET (parallel_workers)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("learning", "0004_catalogue_terms")]

    operations = [
        migrations.RunPython(fill_terms, empty_terms),
        migrations.RunPython(tune_for_postgresql, untune_for_postgresql),
    ]
