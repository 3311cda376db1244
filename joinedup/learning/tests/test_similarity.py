"""Similar programmes and plans (learning/similarity.py): examples and Hypothesis properties."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.learning.similarity import (
    Item,
    Pair,
    SimilarityIndex,
    stem,
    topic_term,
    weighted_terms,
    words,
)

FILLER = (
    "team service partner staff practice skill session learner course module workshop online "
    "manager people change project quality data budget digital customer report review plan "
    "safety audit communication resilience wellbeing induction policy record system process"
)
# Everyday words first, then rarer made-up ones, drawn by Zipf's law as real text is.
VOCABULARY_OF_PROGRAMMES = FILLER.split() + [f"term{number}" for number in range(1_500)]
ZIPF = [1 / rank for rank in range(1, len(VOCABULARY_OF_PROGRAMMES) + 1)]
TOPICS = ("Leadership", "Safeguarding adults", "Finance", "Digital skills", "Mental health")


def generated(count: int, seed: int = 6) -> list[Item]:
    """Programmes of words drawn at random, alike only by chance."""
    rng = random.Random(seed)
    return [
        Item(
            f"p{number:05d}",
            " ".join(rng.choices(VOCABULARY_OF_PROGRAMMES, ZIPF, k=3)),
            " ".join(rng.choices(VOCABULARY_OF_PROGRAMMES, ZIPF, k=25)),
            tuple(rng.sample(TOPICS, rng.randint(0, 2))),
        )
        for number in range(count)
    ]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("policies", "policy"),
        ("policy", "policy"),
        ("skills", "skill"),
        ("skilled", "skill"),
        ("planning", "plan"),
        ("planned", "plan"),
        ("assessing", "assess"),
        ("process", "process"),
        ("focus", "focus"),
        ("analysis", "analysis"),
        ("safeguarding", "safeguard"),
        ("managing", "manag"),
        ("manage", "manag"),
        ("managed", "manag"),
        ("nurses", "nurs"),
        ("nursing", "nurs"),
        ("care", "care"),
        ("2026", "2026"),
    ],
)
def test_stemming_joins_plurals_and_ing_and_ed_forms(word, expected):
    assert stem(word) == expected


def test_words_are_lower_cased_without_stop_words_or_single_letters():
    assert list(words("The Leaders, and whilst a Team's Coaching!")) == [
        ("leader", "leaders"),
        ("team", "team"),
        ("coach", "coaching"),
    ]


def test_a_topic_is_one_whole_term_apart_from_words_and_titles_count_double():
    counts, shown = weighted_terms(
        Item("x", "Mental health first aid", "Health at work", ("Mental  Health",))
    )
    assert counts[topic_term("mental health")] == 2
    assert counts["health"] == 3  # title 2 + summary 1
    assert counts["mental"] == 2
    assert shown[topic_term("Mental Health")] == "Mental Health"


def test_a_planted_near_duplicate_is_found_among_thousands_and_explained():
    items = generated(3_000)
    original = Item(
        "police-17",
        "Trauma-informed interviewing for frontline officers",
        "Practical trauma informed interviewing of vulnerable witnesses, with role play and "
        "reflective debriefs for custody and response officers.",
        ("Safeguarding adults",),
    )
    index = SimilarityIndex.of([*items[:1_500], original, *items[1_500:]])
    plan = Item(
        "plan-council-3",
        "Trauma informed interviews for frontline staff",
        "Trauma-informed interviewing of vulnerable witnesses: role play and reflective "
        "debriefs for response teams.",
        ("Safeguarding adults",),
    )

    matches = index.most_similar(plan, k=5)

    assert matches[0].id == "police-17"
    assert matches[0].score > 0.6
    assert matches[0].score > 2 * matches[1].score
    # Title words weigh double, so the title's rare words explain the match first.
    assert matches[0].shared_terms[:3] == ("informed", "interviews", "trauma")
    assert {"frontline", "debriefs"} <= set(matches[0].shared_terms)
    assert len(matches[0].shared_terms) == 5


def test_near_duplicates_report_the_planted_pair_and_nothing_else():
    items = generated(2_000)
    rng = random.Random(1)
    copy_of = items[700]
    summary_words = copy_of.summary.split()
    summary_words[rng.randrange(len(summary_words))] = "restorative"
    planted = Item("zz-copy", copy_of.title, " ".join(summary_words), copy_of.topics)
    index = SimilarityIndex.of([*items, planted])

    pairs = index.near_duplicates(0.9)

    assert [(pair.first, pair.second) for pair in pairs] == [("p00700", "zz-copy")]
    assert pairs[0].score >= 0.9
    assert pairs[0].shared_terms


@pytest.mark.parametrize("threshold", [0.05, 0.15, 0.25])
def test_near_duplicates_equal_comparing_every_pair(threshold):
    items = generated(150, seed=3)
    index = SimilarityIndex.of(items)
    expected = sorted(
        (a.id, b.id)
        for a, b in itertools.combinations(items, 2)
        if index.similarity(a.id, b.id) >= threshold
    )
    found = index.near_duplicates(threshold)
    assert expected  # each threshold is low enough for some pairs
    assert sorted((pair.first, pair.second) for pair in found) == expected
    assert [pair.score for pair in found] == sorted((pair.score for pair in found), reverse=True)
    assert all(pair.score == index.similarity(pair.first, pair.second) for pair in found)


def test_an_identical_item_scores_one_and_the_query_itself_is_left_out():
    item = Item("a", "Coaching conversations", "Coaching for managers", ("Leadership",))
    index = SimilarityIndex.of([item, Item("b", "Coaching conversations", "Coaching for managers")])
    twin = Item("c", item.title, item.summary, item.topics)
    index.add(twin)
    matches = index.most_similar(item)
    assert [match.id for match in matches] == ["c", "b"]
    assert matches[0].score == 1.0
    assert index.near_duplicates(1.0) == [
        Pair("a", "c", 1.0, index.near_duplicates(1.0)[0].shared_terms)
    ]


def test_exclude_ids_and_k_limit_the_matches():
    index = SimilarityIndex.of(generated(200))
    query = Item("new", "team service partner", "staff practice skill")
    top = index.most_similar(query, k=5)
    assert len(top) == 5
    rest = index.most_similar(query, k=5, exclude_ids={top[0].id, top[1].id})
    assert [match.id for match in rest[:3]] == [match.id for match in top[2:]]
    assert index.most_similar(query, k=0) == []


def test_empty_texts_are_safe_and_match_nothing():
    index = SimilarityIndex.of([Item("empty", "", ""), Item("stop", "the and of", "whilst")])
    assert index.most_similar(Item("q", "", "")) == []
    index.add(Item("real", "Budget planning", ""))
    assert index.most_similar(Item("q", "the", "")) == []
    assert index.most_similar(Item("q", "budgets", ""))[0].id == "real"
    assert index.near_duplicates(0.1) == []
    assert index.similarity("empty", "real") == 0.0
    assert SimilarityIndex().most_similar(Item("q", "budget")) == []
    assert SimilarityIndex().near_duplicates() == []


def test_words_the_index_has_never_seen_lower_the_score():
    index = SimilarityIndex.of([Item("a", "Budget planning", ""), Item("b", "Report writing", "")])
    plain = index.most_similar(Item("q", "Budget planning", ""))[0].score
    diluted = index.most_similar(Item("q", "Budget planning zebra", ""))[0].score
    assert plain == 1.0
    assert 0 < diluted < plain


def test_bad_calls_are_refused():
    index = SimilarityIndex.of([Item("a", "x y")])
    with pytest.raises(ValueError, match="already in the index"):
        index.add(Item("a", "again"))
    with pytest.raises(ValueError, match="non-empty string"):
        index.add(Item("", "no id"))
    with pytest.raises(KeyError):
        index.remove("missing")
    with pytest.raises(ValueError, match="threshold"):
        index.near_duplicates(0)
    with pytest.raises(ValueError, match="k must not be negative"):
        index.most_similar(Item("q", "x"), k=-1)


VOCABULARY = "budget plan coach lead team safe data audit risk care nurse digital"
texts = st.lists(st.sampled_from(VOCABULARY.split()), max_size=6).map(" ".join)
items = st.builds(
    Item,
    id=st.sampled_from([f"i{number}" for number in range(8)]),
    title=texts,
    summary=texts,
    topics=st.lists(st.sampled_from(TOPICS), max_size=2, unique=True).map(tuple),
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("update"), items),
        st.tuples(st.just("remove"), st.sampled_from([f"i{number}" for number in range(8)])),
    ),
    max_size=25,
)


def answers(index: SimilarityIndex, held: list[str]) -> tuple[object, ...]:
    queries = [Item("q", "budget plan coach", "team data", ("Finance",)), Item("q2", "care")]
    return (
        [index.most_similar(query, k=4) for query in queries],
        index.near_duplicates(0.3),
        {(a, b): index.similarity(a, b) for a in held for b in held},
    )


@settings(max_examples=150, deadline=None)
@given(operations)
def test_changing_the_index_one_item_at_a_time_answers_as_a_rebuild_does(steps):
    index = SimilarityIndex()
    final: dict[str, Item] = {}
    for step, value in steps:
        index.most_similar(Item("q", "budget"))  # compile between changes
        if step == "update":
            index.update(value)
            final[value.id] = value
        elif value in final:
            index.remove(value)
            del final[value]
    rebuilt = SimilarityIndex.of(sorted(final.values(), key=lambda item: item.id))
    assert len(index) == len(rebuilt)
    held = sorted(final)
    assert answers(index, held) == answers(rebuilt, held)


def test_many_changes_to_one_item_answer_as_a_rebuild_does():
    items = generated(30)
    index = SimilarityIndex.of(items)
    query = Item("q", items[3].title, items[3].summary)
    index.most_similar(query)
    for round_ in range(1_200):  # past the point where dead slots are cleared away
        index.update(Item(items[3].id, items[round_ % 30].title, items[round_ % 7].summary))
    final = Item(items[3].id, items[5].title, items[5].summary, ("Finance",))
    index.update(final)
    rebuilt = SimilarityIndex.of([*items[:3], final, *items[4:]])
    assert index.most_similar(query) == rebuilt.most_similar(query)
    assert index.near_duplicates(0.2) == rebuilt.near_duplicates(0.2)


@settings(max_examples=100, deadline=None)
@given(st.lists(items, min_size=2, max_size=8, unique_by=lambda item: item.id))
def test_scores_lie_between_zero_and_one_and_are_symmetric(listed):
    index = SimilarityIndex.of(listed)
    for first, second in itertools.combinations(listed, 2):
        score = index.similarity(first.id, second.id)
        assert 0.0 <= score <= 1.0
        assert score == index.similarity(second.id, first.id)
        found = {match.id: match.score for match in index.most_similar(first, k=10)}
        assert found.get(second.id, 0.0) == score
        back = {match.id: match.score for match in index.most_similar(second, k=10)}
        assert back.get(first.id, 0.0) == score
