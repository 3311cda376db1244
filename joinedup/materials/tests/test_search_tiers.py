"""PostgreSQL's ranking of library searches (materials/search.py, migration 0006): the two tiers
(the whole query in the title or opening first), the ranked postings the database keeps for one
word or one two-word phrase, and that reading those postings gives exactly the order that
ranking every match gives. SQLite ranks with FTS5's bm25 and has none of this.
"""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from joinedup.learning.tests.factories import TopicFactory
from joinedup.materials import search
from joinedup.materials.models import Licence, Material, MaterialKind
from joinedup.materials.search import search_materials
from joinedup.materials.tests.test_search import everything, material, titles

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="The ranked postings are PostgreSQL's."
    ),
]

# Past the opening the rank vector holds (the first 500 characters of the search document).
DEEP = "Filler about something else entirely. " * 20


def postings(material_: Material) -> dict[str, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term, rank FROM materials_rank_posting WHERE material_id = %s",
            [material_.pk],
        )
        return dict(cursor.fetchall())


def test_the_database_keeps_each_materials_words_and_neighbouring_pairs_with_their_ranks(world):
    made = material(world.own, "Reflective supervision", text="Dementia care.")

    kept = postings(made)

    assert {"reflect", "supervis", "reflect supervis", "dementia", "dementia care"} <= set(kept)
    assert "supervis reflect" not in kept
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ts_rank(rank_vector, websearch_to_tsquery('english', %s)) "
            "FROM materials_material WHERE id = %s",
            ['"reflective supervision"', made.pk],
        )
        assert kept["reflect supervis"] == cursor.fetchone()[0]


def test_the_postings_follow_a_new_title_and_document_and_go_with_the_material(world):
    made = material(world.own, "Reflective supervision")

    Material.objects.filter(pk=made.pk).update(title="Budget planning", search_document="Grants")

    # The document follows the title in the vector, as in the whole text's: a phrase may span them.
    assert {"budget", "plan", "budget plan", "grant", "plan grant"} == set(postings(made))
    Material.objects.filter(pk=made.pk).delete()
    assert postings(made) == {}


@pytest.mark.django_db(transaction=True)
def test_emptying_the_materials_table_empties_the_postings(world):
    made = material(world.own, "Reflective supervision")
    assert postings(made)

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE materials_material CASCADE")
        cursor.execute("SELECT count(*) FROM materials_rank_posting")
        assert cursor.fetchone()[0] == 0


def test_materials_with_all_the_words_in_their_opening_come_before_the_rest(world):
    # The words many times in the title but one of them only deep in the file: ts_rank of the
    # rank vector alone would put it first.
    material(world.own, "Resilience resilience resilience", text=DEEP + "Coaching.")
    material(world.own, "Team notes", summary="Resilience and coaching.")

    found = search_materials(everything(), text="resilience coaching")

    assert titles(found) == ["Team notes", "Resilience resilience resilience"]


@pytest.mark.parametrize(
    ("filters", "walked"),
    [
        ({}, True),
        ({"licence": Licence.CC_BY_4, "kind": MaterialKind.HANDOUT}, True),
        ({"owner": "own"}, False),
        ({"topic": "topic"}, False),
    ],
)
def test_the_postings_are_read_unless_an_owner_or_topic_filter_narrows_the_search(
    world, filters, walked
):
    topic = TopicFactory(name="Supervision skills")
    material(
        world.own,
        "Dementia and reflective supervision",
        kind=MaterialKind.HANDOUT,
        licence=Licence.CC_BY_4,
        topics=[topic],
    )
    values = {"own": world.own.pk, "topic": topic.pk}
    filters = {name: values.get(value, value) for name, value in filters.items()}

    with CaptureQueriesContext(connection) as queries:
        found = search_materials(everything(), text='"reflective supervision"', **filters)

    assert titles(found) == ["Dementia and reflective supervision"]
    assert any("materials_rank_posting" in query["sql"] for query in queries) == walked


VOCABULARY = ["reflective", "supervision", "dementia", "care", "coaching", "team", "budget"]
# Pieces of titles and openings: single words and the phrases the queries ask for.
PIECES = [*VOCABULARY, "reflective supervision", "dementia care", "care team"]
QUERIES = [
    "dementia",
    "supervision",
    '"reflective supervision"',
    '"dementia care"',
    "reflective supervision",
    '"care team" budget',
    "dementia or coaching",
    "supervision -budget",
    '"reflective practice supervision"',
]


def _library(owner, rng: random.Random) -> None:
    """Materials whose titles and openings repeat a few words, so ranks tie and phrases recur,
    with some words only deep in the file."""
    for number in range(45):
        title = " ".join(rng.choices(PIECES, k=rng.randint(1, 4)))
        opening = " ".join(rng.choices(PIECES, k=rng.randint(0, 8)))
        deep = " ".join(rng.choices(VOCABULARY, k=rng.randint(0, 3)))
        material(
            owner,
            f"{title} {number}",
            text=f"{opening}. {DEEP}{deep}.",
            kind=rng.choice([MaterialKind.HANDOUT, MaterialKind.WORKBOOK]),
        )


def _every_match_ranked(text: str, kind: str | None) -> list[int]:
    """The order every page must follow, worked out over all the matches at once: the whole
    query in the opening first, then by rank of the rank vector, then by id."""
    query = "websearch_to_tsquery('english', %s)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM materials_material WHERE search_vector @@ {query} "  # noqa: S608
            "AND (%s::text IS NULL OR kind = %s) "
            f"ORDER BY rank_vector @@ {query} DESC, ts_rank(rank_vector, {query}) DESC, id",
            [text, kind, kind, text, text],
        )
        return [pk for (pk,) in cursor.fetchall()]


@pytest.mark.parametrize("text", QUERIES)
def test_every_page_follows_the_order_of_ranking_all_the_matches(world, monkeypatch, text):
    monkeypatch.setattr(search, "PAGE_SIZE", 4)
    _library(world.own, random.Random(2026))
    for kind in (None, MaterialKind.HANDOUT):
        expected = _every_match_ranked(text, kind)
        # Walking the postings, walking too few of them to fill a page (the index ranks the
        # first tier instead), and ranking it from the index.
        for walk, read in ((True, search.WALK_POSTINGS), (True, 0), (False, 0)):
            monkeypatch.setattr(search, "WALK_POSTINGS", read)
            monkeypatch.setattr(search, "WALK_POSTINGS_A_ROW", 1 if read == 0 else 2)
            shown = []
            for page in range(1, len(expected) // 4 + 3):
                found = search._postgresql_page(
                    everything().filter(**({"kind": kind} if kind else {})),
                    text,
                    search.parse_query(text),
                    page,
                    (page - 1) * 4,
                    walk=walk,
                )
                shown += [hit.material.pk for hit in found.hits]
                assert found.has_next == (page * 4 < len(expected))
            assert shown == expected, (text, kind, walk, read)
