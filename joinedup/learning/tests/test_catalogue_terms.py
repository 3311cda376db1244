"""The catalogue's terms: kept in step with programmes; a search finds what it found before."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db.models import Q
from hypothesis import given
from hypothesis import strategies as st

from joinedup.learning import access, catalogue, services, terms
from joinedup.learning.models import CatalogueTerm, CatalogueWord, Programme, SharingPolicy
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, TopicFactory

fill = importlib.import_module("joinedup.learning.migrations.0005_fill_catalogue_terms")


def _terms(programme: Programme) -> set[tuple[str, str]]:
    return set(CatalogueTerm.objects.filter(programme=programme).values_list("term", "title"))


def _new(world, **fields) -> Programme:
    values = {"title": "Safeguarding adults", "kind": "course", "delivery_mode": "online"}
    return services.create_programme(actor=world.actor("own_ld_lead"), **{**values, **fields})


# --- Kept in step ------------------------------------------------------------------------------


def test_a_new_programme_is_found_by_its_words_and_topics(world):
    programme = _new(world, summary="For new managers.", topics=["Safeguarding"])
    topic = programme.topics.get()
    expected = {"safeguarding", "adults", "for", "new", "managers", terms.topic_term(topic.pk)}
    assert _terms(programme) == {(term, "Safeguarding adults") for term in expected}
    assert set(CatalogueWord.objects.values_list("word", flat=True)) >= expected - {
        terms.topic_term(topic.pk)
    }


def test_changing_the_title_summary_and_topics_rewrites_the_terms(world):
    programme = _new(world, summary="For new managers.", topics=["Safeguarding"])
    services.update_programme(
        actor=world.actor("own_ld_lead"),
        programme=programme,
        title="Leading teams",
        summary="",
        topics=["Leadership"],
    )
    leadership = programme.topics.get()
    expected = {"leading", "teams", terms.topic_term(leadership.pk)}
    assert _terms(programme) == {(term, "Leading teams") for term in expected}


def test_changing_other_fields_leaves_the_terms_alone(world):
    programme = _new(world)
    before = set(CatalogueTerm.objects.filter(programme=programme).values_list("pk", flat=True))
    services.update_programme(actor=world.actor("own_ld_lead"), programme=programme, hours="3")
    after = set(CatalogueTerm.objects.filter(programme=programme).values_list("pk", flat=True))
    assert after == before


def test_the_migration_fills_the_same_terms_the_services_write(world):
    programme = _new(world, summary="Know the signs, act on them.", topics=["Safeguarding", "Law"])
    written = _terms(programme)
    CatalogueTerm.objects.all().delete()
    CatalogueWord.objects.all().delete()
    fill.fill_terms(apps, None)
    assert _terms(programme) == written
    assert "signs" in set(CatalogueWord.objects.values_list("word", flat=True))


# --- A search finds the same programmes --------------------------------------------------------

TITLES = (
    ("Safeguarding adults", "Know the signs of abuse."),
    ("Safeguarding children", ""),
    ("Guardianship and the law", "Court of Protection basics."),
    ("Coaching skills", "For new managers: safe-guarding your team's time."),
    ("Trauma-informed practice", "Working with people who have experienced trauma."),
    ("Fire safety", "Annual refresher; SAFE exits."),
)
SEARCHES = (
    "safeguarding",
    "SAFEGUARDING",
    "guard",
    "safe",
    "safeguarding adults",
    "adults safeguarding",
    "trauma-informed",
    "safe-guarding",
    "manag",
    ": safe",
    "refresher; safe",
    "protection basics.",
    "nothing like it",
    "-",
    "s",
)


@pytest.mark.parametrize("search", SEARCHES)
def test_a_search_finds_exactly_the_programmes_whose_title_or_summary_contains_it(world, search):
    for title, summary in TITLES:
        ProgrammeFactory(
            host=world.partner,
            title=title,
            summary=summary,
            sharing_policy=SharingPolicy.PARTNERS_FROM_START,
        )
    actor = world.actor("own_staff")
    before = access.visible_programmes(actor).filter(
        Q(title__icontains=search) | Q(summary__icontains=search)
    )
    _, rows = catalogue.catalogue_page(actor, query=search)
    assert [row.title for row in rows] == list(
        before.order_by("title", "id").values_list("title", flat=True)
    )


def test_a_search_and_a_topic_together_find_programmes_with_both(world):
    safeguarding = TopicFactory(name="Safeguarding")
    ProgrammeFactory(host=world.own, title="Safeguarding adults", topics=[safeguarding])
    ProgrammeFactory(host=world.own, title="Safeguarding children")
    ProgrammeFactory(host=world.own, title="Court skills", topics=[safeguarding])
    actor = world.actor("own_staff")
    _, rows = catalogue.catalogue_page(actor, query="safeguarding", topic_id=safeguarding.pk)
    assert [row.title for row in rows] == ["Safeguarding adults"]


def test_a_searched_catalogue_pages_through_every_match_in_title_order(world):
    for n in range(catalogue.PAGE_SIZE + 5):
        RunFactory(programme__host=world.own, programme__title=f"Safeguarding {n:02}")
    ProgrammeFactory(host=world.own, title="Budgeting")
    actor = world.actor("own_staff")
    first, rows = catalogue.catalogue_page(actor, query="safeguarding")
    second, more = catalogue.catalogue_page(actor, query="safeguarding", after=first.next_cursor)
    titles = [row.title for row in rows + more]
    assert titles == [f"Safeguarding {n:02}" for n in range(catalogue.PAGE_SIZE + 5)]
    back, again = catalogue.catalogue_page(
        actor, query="safeguarding", before=second.previous_cursor
    )
    assert [row.title for row in again] == titles[: catalogue.PAGE_SIZE]
    assert back.next_cursor == first.next_cursor


# --- The rule the index relies on --------------------------------------------------------------

TEXT = st.text(alphabet="abcAB -_:;.'1", max_size=30)


@given(text=TEXT, start=st.integers(0, 30), length=st.integers(1, 8))
def test_a_text_containing_a_search_has_a_word_containing_its_longest_word(text, start, length):
    search = text[start : start + length]
    word = terms.longest_word(search)
    if word is not None:
        assert any(word in own for own in terms.words_of(text))


@given(text=TEXT, start=st.integers(0, 30), length=st.integers(1, 8))
def test_a_one_word_search_is_in_every_text_with_a_word_containing_it(text, start, length):
    search = text[start : start + length]
    if terms.is_one_word(search):
        assert (search.lower() in text.lower()) == any(
            search.lower() in own for own in terms.words_of(text)
        )
