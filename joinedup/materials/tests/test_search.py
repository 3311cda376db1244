"""Searching the library (materials/search.py): what it finds, how it ranks, filters and pages,
what it does with hostile words, and that it only ever searches what the actor may read.

The same tests run on SQLite (FTS5) and PostgreSQL (full-text search): the expected results are
written out by hand, so passing on both shows both give the same answers.
"""

from __future__ import annotations

import sqlite3

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.learning.tests.factories import TopicFactory
from joinedup.materials import search
from joinedup.materials.access import visible_materials
from joinedup.materials.models import Licence, Material, MaterialKind
from joinedup.materials.search import (
    Hit,
    Piece,
    Term,
    fts5_query,
    parse_query,
    search_materials,
)
from joinedup.materials.tests.factories import MaterialFactory

pytestmark = pytest.mark.django_db

GUIDE_TEXT = (
    "Session two opens with the story of a family who fell between services. "
    "Ask the group to map every door the family knocked on. "
    "Close by agreeing one change each team will make before the next session."
)


def material(owner, title, *, summary="", topics=(), text="", **fields) -> Material:
    """A material whose search document is made as the services make it."""
    made = MaterialFactory(owner=owner, title=title, summary=summary, **fields)
    made.topics.set(topics)
    document = "\n".join(part for part in (summary, *(t.name for t in topics), text) if part)
    Material.objects.filter(pk=made.pk).update(search_document=document)
    made.refresh_from_db()
    return made


def titles(page: search.ResultPage) -> list[str]:
    return [hit.material.title for hit in page.hits]


def everything() -> object:
    return Material.objects.all()


# --- What is searched ---------------------------------------------------------------------------


def test_finds_a_word_in_the_title(world):
    material(world.own, "Motivational interviewing basics")
    material(world.own, "Fire safety induction")

    assert titles(search_materials(everything(), text="motivational")) == [
        "Motivational interviewing basics"
    ]


def test_finds_a_word_in_the_summary(world):
    material(world.own, "Module one", summary="An introduction to trauma-informed practice.")
    material(world.own, "Module two", summary="Budgets and forecasting.")

    assert titles(search_materials(everything(), text="trauma")) == ["Module one"]


def test_finds_a_topic_name(world):
    topic = TopicFactory(name="Safeguarding adults")
    material(world.own, "Module one", topics=[topic])
    material(world.own, "Module two")

    assert titles(search_materials(everything(), text="safeguarding")) == ["Module one"]


def test_finds_a_word_inside_the_uploaded_file(world):
    material(world.own, "Facilitator guide", text=GUIDE_TEXT)
    material(world.own, "Another guide", text="Nothing about that here.")

    assert titles(search_materials(everything(), text="knocked")) == ["Facilitator guide"]


def test_finds_other_forms_of_a_word(world):
    material(world.own, "Safeguarding children")

    assert titles(search_materials(everything(), text="safeguard")) == ["Safeguarding children"]


def test_every_word_must_match(world):
    material(world.own, "Fire safety", summary="Evacuation drills.")
    material(world.own, "Fire wardens", summary="Rotas.")

    assert titles(search_materials(everything(), text="fire evacuation")) == ["Fire safety"]


def test_finds_a_phrase_and_not_the_same_words_apart(world):
    material(world.own, "The guide with the phrase", text=GUIDE_TEXT)
    material(
        world.own,
        "The same words apart",
        text="The family moved. Every door was open; they knocked twice and map the route.",
    )

    found = search_materials(everything(), text='"map every door the family knocked on"')

    assert titles(found) == ["The guide with the phrase"]
    assert len(search_materials(everything(), text="map door family knocked").hits) == 2


def test_phrases_with_hyphens_stop_words_minus_and_or(world):
    material(world.own, "Trauma-informed care basics", text="Team supervision, weekly.")
    material(
        world.own,
        "Care that is trauma informed",
        text="Team supervision, weekly. Supervision of the team.",
    )

    def found(text: str) -> list[str]:
        return sorted(titles(search_materials(everything(), text=text)))

    basics, informed = "Care that is trauma informed", "Trauma-informed care basics"
    assert found('"trauma-informed care"') == [informed]
    assert found('"supervision of the team"') == [basics]
    assert found('"team supervision"') == [basics, informed]
    assert found('"team supervision" -"trauma-informed care"') == [basics]
    assert found('"trauma-informed care" or "supervision of the team"') == [basics, informed]


def test_or_finds_either_and_minus_leaves_a_word_out(world):
    material(world.own, "Coaching skills")
    material(world.own, "Mentoring skills")
    material(world.own, "Coaching and mentoring together")

    either = search_materials(everything(), text="coaching or mentoring")
    without = search_materials(everything(), text="coaching -mentoring")

    assert sorted(titles(either)) == [
        "Coaching and mentoring together",
        "Coaching skills",
        "Mentoring skills",
    ]
    assert titles(without) == ["Coaching skills"]


def test_the_index_follows_changes_and_deletions(world):
    first = material(world.own, "Old name")
    Material.objects.filter(pk=first.pk).update(title="Renamed handbook")
    Material.objects.filter(pk=first.pk).update(search_document="now about resilience")

    assert titles(search_materials(everything(), text="renamed")) == ["Renamed handbook"]
    assert titles(search_materials(everything(), text="resilience")) == ["Renamed handbook"]
    assert search_materials(everything(), text="old").hits == []

    Material.objects.filter(pk=first.pk).delete()

    assert search_materials(everything(), text="renamed").hits == []


# --- Ranking and snippets -----------------------------------------------------------------------


def test_a_match_in_the_title_outranks_matches_in_the_text(world):
    material(world.own, "Handover notes", text="Resilience. " * 3 + "Resilience matters here.")
    material(world.own, "Building resilience")
    material(world.own, "Team meetings", text="Some resilience, once.")

    found = search_materials(everything(), text="resilience")

    assert titles(found) == ["Building resilience", "Handover notes", "Team meetings"]
    assert found.hits[0].rank > found.hits[1].rank > found.hits[2].rank


def test_the_snippet_marks_the_words_found_in_the_text(world):
    material(world.own, "Facilitator guide", text=GUIDE_TEXT)

    hit = search_materials(everything(), text="knocked").hits[0]

    assert Piece("knocked", marked=True) in hit.snippet
    # Words around the match: FTS5 centres them on it, PostgreSQL starts from it.
    assert len("".join(piece.text for piece in hit.snippet).split()) >= 10


def test_the_snippet_for_a_page_is_escaped_with_the_matched_words_marked():
    snippet = (Piece('Use <b> & "quotes" for '), Piece("<script>", marked=True), Piece(" ok"))

    html = Hit(material=None, rank=0.0, snippet=snippet).snippet_html

    assert html == ("Use &lt;b&gt; &amp; &quot;quotes&quot; for <mark>&lt;script&gt;</mark> ok")


def test_the_snippet_finds_a_word_deep_in_a_long_document(world):
    material(world.own, "Long guide", text="Filler words here. " * 5000 + GUIDE_TEXT)

    hit = search_materials(everything(), text="Knocked").hits[0]

    assert Piece("knocked", marked=True) in hit.snippet


def test_without_words_materials_come_in_title_order_with_their_summaries(world):
    material(world.own, "Beta", summary="Second.")
    material(world.own, "Alpha", summary="First.")

    found = search_materials(everything(), text="   ")

    assert titles(found) == ["Alpha", "Beta"]
    assert found.hits[0].snippet == (Piece("First."),)


# --- Filters ------------------------------------------------------------------------------------


@pytest.fixture
def shelf(world):
    """Four handbooks differing in kind, licence, owner and topic."""
    topic = TopicFactory(name="Leadership")
    return {
        "topic": topic,
        "guide": material(
            world.own, "Handbook A", kind=MaterialKind.FACILITATOR_GUIDE, licence=Licence.OGL_3
        ),
        "deck": material(
            world.own, "Handbook B", kind=MaterialKind.SLIDE_DECK, licence=Licence.PARTNERSHIP
        ),
        "partners": material(world.partner, "Handbook C", kind=MaterialKind.SLIDE_DECK),
        "topical": material(world.partner, "Handbook D", topics=[topic]),
    }


@pytest.mark.parametrize("text", ["handbook", ""])
def test_filters_narrow_a_search_and_a_browse(world, shelf, text):
    def found(**filters) -> list[str]:
        return titles(search_materials(everything(), text=text, **filters))

    assert found(kind=MaterialKind.SLIDE_DECK) == ["Handbook B", "Handbook C"]
    assert found(licence=Licence.OGL_3) == ["Handbook A"]
    assert found(owner=world.partner.pk) == ["Handbook C", "Handbook D"]
    assert found(topic=shelf["topic"].pk) == ["Handbook D"]
    assert found(kind=MaterialKind.SLIDE_DECK, owner=world.own.pk) == ["Handbook B"]
    assert found(kind=MaterialKind.TOOLKIT) == []


def test_the_topic_filter_follows_changes_to_a_materials_topics(world, shelf):
    # On PostgreSQL a search with words reads topic ids the database keeps on the material.
    other = TopicFactory(name="Coaching")
    guide = shelf["guide"]

    def found(topic) -> list[str]:
        return titles(search_materials(everything(), text="handbook", topic=topic.pk))

    guide.topics.set([shelf["topic"], other])
    assert found(shelf["topic"]) == ["Handbook A", "Handbook D"]
    assert found(other) == ["Handbook A"]

    guide.topics.remove(shelf["topic"])
    shelf["topical"].topics.add(other)
    assert found(shelf["topic"]) == ["Handbook D"]
    assert found(other) == ["Handbook A", "Handbook D"]

    guide.topics.clear()
    other.delete()
    assert found(shelf["topic"]) == ["Handbook D"]
    assert search_materials(everything(), text="handbook").hits != []


def test_filter_choices_are_the_topics_and_the_owners_of_visible_materials(world, shelf):
    material(world.outsider_org, "Not for partners", licence=Licence.OWNER_ONLY)
    visible = visible_materials(world.actor("partner_ld_lead"))

    assert search.owner_choices(visible) == [
        (world.own.pk, "London Borough of Barnet"),
        (world.partner.pk, "London North West University Healthcare NHS Trust"),
    ]
    assert (shelf["topic"].pk, "Leadership") in search.topic_choices()


# --- Pages --------------------------------------------------------------------------------------


def test_pages_of_results_say_whether_another_follows(world, monkeypatch):
    monkeypatch.setattr(search, "PAGE_SIZE", 3)
    for number in range(5):
        material(world.own, f"Induction {number}")

    first = search_materials(everything(), text="induction")
    second = search_materials(everything(), text="induction", page=2)

    assert (len(first.hits), first.has_next, first.first, first.last) == (3, True, 1, 3)
    assert (len(second.hits), second.has_next, second.first, second.last) == (2, False, 4, 5)
    assert set(titles(first)).isdisjoint(titles(second))


def test_pages_of_a_phrase_hold_only_materials_with_the_phrase(world, monkeypatch):
    """Materials with the words apart are candidates for a phrase (PostgreSQL ranks them before
    checking the phrase) but never fill a page or make another page follow."""
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    for number in range(4):
        material(world.own, f"Reflective supervision notes {number}")
        material(world.own, f"Supervision that is reflective {number}")

    pages = [
        search_materials(everything(), text='"reflective supervision"', page=page)
        for page in (1, 2, 3)
    ]

    assert [len(page.hits) for page in pages] == [2, 2, 0]
    assert [page.has_next for page in pages] == [True, False, False]
    found = [title for page in pages for title in titles(page)]
    assert sorted(found) == [f"Reflective supervision notes {number}" for number in range(4)]


def test_the_last_page_offered_says_there_are_more_rather_than_linking_on(world, monkeypatch):
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    monkeypatch.setattr(search, "MAX_PAGES", 2)
    for number in range(5):
        material(world.own, f"Induction {number}")

    last = search_materials(everything(), text="induction", page=2)
    beyond = search_materials(everything(), text="induction", page=9)

    assert (last.has_next, last.capped) == (False, True)
    assert beyond.number == 2


# --- Hostile words ------------------------------------------------------------------------------

HOSTILE = [
    '"',
    '""',
    "AND (",
    "OR",
    "NOT",
    "NEAR(a b)",
    "title:secret",
    "*",
    "a*",
    "^start",
    "-",
    "--",
    "-fire",
    "(((",
    "')); DROP TABLE materials_material; --",
    "%s %(x)s {}",
    "\x00fire\x00",
    "fire\ud800",
    "\ue000fire\ue001",
    "fire" * 500,
    "🔥 fire",
    "'",
    "\\",
    ":",
    "+fire",
    "fire & safety | !x <-> y",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_words_give_a_page_not_an_error(world, text):
    material(world.own, "Fire safety", summary="Fire drills.")

    found = search_materials(everything(), text=text)

    assert isinstance(found, search.ResultPage)
    assert all(hit.material.title == "Fire safety" for hit in found.hits)


def test_the_special_characters_of_fts5_are_searched_as_words(world):
    material(world.own, "Title and near neighbours")

    assert titles(search_materials(everything(), text="title: NEAR")) == [
        "Title and near neighbours"
    ]


def test_words_only_excluded_find_nothing(world):
    material(world.own, "Fire safety")

    assert search_materials(everything(), text="-water").hits == []


# --- Visibility ---------------------------------------------------------------------------------


def test_a_search_finds_only_what_the_actor_may_read(world):
    material(world.own, "Barnet's private handbook", licence=Licence.OWNER_ONLY)
    material(world.own, "Barnet's shared handbook", licence=Licence.PARTNERSHIP)
    material(
        world.outsider_org,
        "Manchester's open handbook",
        licence=Licence.CC_BY_4,
        published_openly_at=timezone.now(),
    )
    material(world.outsider_org, "Manchester's shared handbook", licence=Licence.PARTNERSHIP)
    material(
        world.own,
        "Barnet's hidden handbook",
        licence=Licence.PARTNERSHIP,
        hidden_at=timezone.now(),
    )

    def found(persona: str) -> list[str]:
        visible = visible_materials(world.actor(persona))
        return sorted(titles(search_materials(visible, text="handbook")))

    assert found("partner_staff") == ["Barnet's shared handbook", "Manchester's open handbook"]
    assert found("own_staff") == [
        "Barnet's private handbook",
        "Barnet's shared handbook",
        "Manchester's open handbook",
    ]
    assert found("anonymous") == ["Manchester's open handbook"]
    assert found("outsider") == ["Manchester's open handbook", "Manchester's shared handbook"]


# --- Reading the words (no database) ------------------------------------------------------------


def test_words_phrases_or_and_minus_are_read_like_websearch_to_tsquery():
    assert parse_query('care "home visit" -night or respite') == [
        (Term("care"), Term("home visit"), Term("night", excluded=True)),
        (Term("respite"),),
    ]
    assert parse_query("or care or") == [(Term("care"),)]
    assert parse_query('well-being "unfinished phrase') == [
        (Term("well-being"), Term("unfinished phrase"))
    ]
    assert parse_query('" ( ) * -') == []


def test_the_fts5_query_quotes_every_term():
    query = fts5_query(parse_query('care "say ""hi""" -x'))

    assert query == '(("care" AND "say" AND "hi") NOT "x")'


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_makes_a_query_fts5_accepts(text):
    alternatives = parse_query(text)
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize='porter unicode61')")
    connection.execute("INSERT INTO t VALUES ('care home', 'visits at night')")
    if alternatives:
        connection.execute("SELECT rowid FROM t WHERE t MATCH ?", [fts5_query(alternatives)])
