"""The stable matcher (`talent/matching.py`): worked examples and properties (no database).

The properties check every result against definitions written out here independently of the module
(acceptability, capacities, blocking pairs) and, on small instances, against a brute force that
enumerates every matching, keeps the stable ones and picks the one every applicant likes best.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.talent.matching import blocking_pairs, stable_matching


@dataclass(frozen=True)
class Instance:
    applicants: dict[str, list[str]]
    posts: dict[str, list[str]]
    capacities: dict[str, int]

    def solve(self) -> dict[str, str | None]:
        return stable_matching(self.applicants, self.posts, self.capacities)


# Worked examples.


def test_the_issues_example():
    applicants = {"g1": ["p2", "p1"], "g2": ["p1"]}
    posts = {"p1": ["g2", "g1"], "p2": ["g2"]}
    capacities = {"p1": 1, "p2": 1}
    matching = stable_matching(applicants, posts, capacities)
    # g1 and p2 are not acceptable to each other (p2 does not list g1); p1 prefers g2.
    assert matching == {"g1": None, "g2": "p1"}
    assert list(matching) == ["g1", "g2"]
    assert blocking_pairs(applicants, posts, capacities, matching) == []


def test_applicants_get_their_best_stable_post_not_the_posts_best():
    # Two stable matchings: {a: x, b: y} (applicants' choice) and {a: y, b: x} (posts' choice).
    applicants = {"a": ["x", "y"], "b": ["y", "x"]}
    posts = {"x": ["b", "a"], "y": ["a", "b"]}
    assert stable_matching(applicants, posts, {"x": 1, "y": 1}) == {"a": "x", "b": "y"}


def test_a_rejected_applicant_moves_down_their_list_and_displaces_a_weaker_holder():
    applicants = {"a": ["x", "y"], "b": ["x"], "c": ["y"]}
    posts = {"x": ["b", "a"], "y": ["a", "c"]}
    # a holds x until b proposes; then a goes to y, where c is held and loses to a.
    assert stable_matching(applicants, posts, {"x": 1, "y": 1}) == {
        "a": "y",
        "b": "x",
        "c": None,
    }


def test_capacity_holds_the_best_proposals_and_zero_takes_nobody():
    applicants = {"a": ["x", "z"], "b": ["x", "z"], "c": ["x", "z"], "d": ["z", "x"]}
    posts = {"x": ["c", "a", "b", "d"], "z": ["a", "b", "c", "d"]}
    assert stable_matching(applicants, posts, {"x": 2, "z": 0}) == {
        "a": "x",
        "b": None,
        "c": "x",
        "d": None,
    }


def test_ids_may_be_shared_between_the_two_sides():
    applicants = {"x": ["x", "y"], "y": ["x"]}
    posts = {"x": ["y", "x"], "y": ["x"]}
    assert stable_matching(applicants, posts, {"x": 1, "y": 1}) == {"x": "y", "y": "x"}


def test_no_applicants_or_no_posts():
    assert stable_matching({}, {"p": []}, {"p": 3}) == {}
    assert stable_matching({"a": [], "b": []}, {}, {}) == {"a": None, "b": None}


def test_blocking_pairs_finds_what_breaks_a_matching():
    applicants = {"a": ["x", "y"], "b": ["y", "x"]}
    posts = {"x": ["a", "b"], "y": ["b", "a"]}
    capacities = {"x": 1, "y": 1}
    assert blocking_pairs(applicants, posts, capacities, {"a": "y", "b": "x"}) == [
        ("a", "x"),
        ("b", "y"),
    ]
    # An empty place that both want is blocking too; an unacceptable pair never is.
    assert blocking_pairs(applicants, posts, capacities, {"a": "x", "b": None}) == [("b", "y")]
    assert blocking_pairs({"a": ["x"]}, {"x": []}, {"x": 1}, {"a": None}) == []


# Independent definitions.


def acceptable(instance: Instance, applicant: str, post: str) -> bool:
    return post in instance.applicants[applicant] and applicant in instance.posts[post]


def members_of(matching: dict[str, str | None], post: str) -> list[str]:
    return [applicant for applicant, held in matching.items() if held == post]


def is_feasible(instance: Instance, matching: dict[str, str | None]) -> bool:
    """Every applicant is present, every pair acceptable, no post over its capacity."""
    if set(matching) != set(instance.applicants):
        return False
    for applicant, post in matching.items():
        if post is not None and not acceptable(instance, applicant, post):
            return False
    return all(
        len(members_of(matching, post)) <= capacity
        for post, capacity in instance.capacities.items()
    )


def naive_blocking_pairs(
    instance: Instance, matching: dict[str, str | None]
) -> list[tuple[str, str]]:
    """Straight from the definition: both would rather be together than as they are."""
    pairs = []
    for applicant, ranked in instance.applicants.items():
        current = matching[applicant]
        for post in instance.posts:
            if post == current or not acceptable(instance, applicant, post):
                continue
            applicant_wants = current is None or ranked.index(post) < ranked.index(current)
            members = members_of(matching, post)
            post_ranked = instance.posts[post]
            post_wants = len(members) < instance.capacities[post] or any(
                post_ranked.index(applicant) < post_ranked.index(other) for other in members
            )
            if applicant_wants and post_wants:
                pairs.append((applicant, post))
    return pairs


def every_matching(instance: Instance):
    """Every feasible matching: each applicant on an acceptable post or none, within capacities."""
    names = list(instance.applicants)
    options = [
        [None, *(post for post in instance.posts if acceptable(instance, applicant, post))]
        for applicant in names
    ]
    for choice in itertools.product(*options):
        matching = dict(zip(names, choice, strict=True))
        if is_feasible(instance, matching):
            yield matching


def brute_force_applicant_optimal(instance: Instance) -> dict[str, str | None]:
    """The stable matching that gives every applicant their best post among all stable ones."""
    stable = [m for m in every_matching(instance) if not naive_blocking_pairs(instance, m)]
    assert stable, "a stable matching always exists (Gale and Shapley)"

    def place(applicant: str, post: str | None) -> int:
        ranked = instance.applicants[applicant]
        return len(ranked) if post is None else ranked.index(post)

    best = {
        applicant: min(place(applicant, m[applicant]) for m in stable)
        for applicant in instance.applicants
    }
    optimal = [m for m in stable if all(place(a, m[a]) == best[a] for a in instance.applicants)]
    assert len(optimal) == 1, "the applicant-optimal stable matching exists and is unique"
    return optimal[0]


# Strategies.


@st.composite
def instances(
    draw,
    max_applicants: int,
    max_posts: int,
    max_capacity: int,
    complete: float = 0.5,
    at_least: int = 0,
) -> Instance:
    """Random instances: each preference list is either every id of the other side (with the
    chance `complete`) or a random subset, in random order, so some pairs are acceptable to one
    side only and some instances have several stable matchings; ids sometimes coincide across the
    sides. Each side has at least `at_least` members."""
    applicant_ids = [f"g{i}" for i in range(draw(st.integers(at_least, max_applicants)))]
    post_ids = [
        draw(st.sampled_from([f"p{i}", f"g{i}"]))
        for i in range(draw(st.integers(at_least, max_posts)))
    ]

    def ranking(ids: list[str]) -> list[str]:
        whole = draw(st.floats(0, 1, exclude_max=True)) < complete
        chosen = ids if whole or not ids else draw(st.lists(st.sampled_from(ids), unique=True))
        return draw(st.permutations(chosen))

    return Instance(
        applicants={applicant: ranking(post_ids) for applicant in applicant_ids},
        posts={post: ranking(applicant_ids) for post in post_ids},
        capacities={post: draw(st.integers(0, max_capacity)) for post in post_ids},
    )


# Properties.


@settings(max_examples=200, deadline=None)
@given(instances(max_applicants=12, max_posts=6, max_capacity=4))
def test_every_applicant_present_in_order_on_an_acceptable_post_within_capacity(instance):
    matching = instance.solve()
    assert list(matching) == list(instance.applicants)
    assert is_feasible(instance, matching)


@settings(max_examples=200, deadline=None)
@given(instances(max_applicants=12, max_posts=6, max_capacity=4))
def test_no_blocking_pair_by_the_definition_or_the_modules_check(instance):
    matching = instance.solve()
    assert naive_blocking_pairs(instance, matching) == []
    assert blocking_pairs(instance.applicants, instance.posts, instance.capacities, matching) == []


@settings(max_examples=200, deadline=None)
@given(
    instances(max_applicants=12, max_posts=6, max_capacity=4),
    st.randoms(use_true_random=False),
)
def test_the_modules_blocking_pairs_agree_with_the_definition_on_any_matching(instance, rng):
    # Any feasible matching, stable or not: pick each applicant's post at random, then drop
    # whoever does not fit.
    matching: dict[str, str | None] = {}
    for applicant in instance.applicants:
        options = [p for p in instance.posts if acceptable(instance, applicant, p)]
        post = rng.choice([None, *options])
        if post is not None and len(members_of(matching, post)) >= instance.capacities[post]:
            post = None
        matching[applicant] = post
    assert is_feasible(instance, matching)
    assert sorted(
        blocking_pairs(instance.applicants, instance.posts, instance.capacities, matching)
    ) == sorted(naive_blocking_pairs(instance, matching))


@settings(max_examples=400, deadline=None)
@given(instances(max_applicants=5, max_posts=4, max_capacity=2, complete=0.8, at_least=2))
def test_equals_the_brute_force_applicant_optimal_stable_matching(instance):
    assert instance.solve() == brute_force_applicant_optimal(instance)


@settings(max_examples=200, deadline=None)
@given(instances(max_applicants=8, max_posts=4, max_capacity=3), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_the_input(instance, rng):
    applicants = list(instance.applicants.items())
    posts = list(instance.posts.items())
    rng.shuffle(applicants)
    rng.shuffle(posts)
    shuffled = stable_matching(dict(applicants), dict(posts), instance.capacities)
    assert shuffled == instance.solve()
    assert list(shuffled) == [applicant for applicant, _ in applicants]
