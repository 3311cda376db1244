"""The pure mentoring core: fit with reasons, and the assignment (worked examples, properties)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.talent.mentoring import (
    Fit,
    Mentee,
    Mentor,
    assign,
    fit,
    fit_points,
)

NAMES = {1: "Budgeting", 2: "Leadership", 3: "Data analysis", 4: "Coaching"}


def test_fit_counts_wanted_and_shared_skills_sector_and_preferences_with_reasons():
    mentor = Mentor("m", organisation="trust", sector="Health", skills=frozenset({1, 2, 3}))
    mentee = Mentee(
        "e",
        organisation="council",
        sector="Local government",
        skills=frozenset({3, 4}),
        wants=frozenset({1, 2}),
    )
    result = fit(mentor, mentee, NAMES)
    # 2 wanted x 3 + 1 shared x 1 + other sector 2 + both asked for another sector 2.
    assert result.points == 11
    assert result.reasons == (
        "Has skills the mentee wants to grow: Budgeting, Leadership",
        "Skills in common: Data analysis",
        "Different sectors: Local government and Health",
        "Another sector, as the mentee and the mentor asked",
    )


def test_fit_of_one_sector_has_no_sector_points():
    mentor = Mentor("m", organisation="a", sector="Health", skills=frozenset({1}))
    mentee = Mentee("e", organisation="b", sector="Health", wants=frozenset({1}))
    assert fit(mentor, mentee) == Fit(3, ("Has skills the mentee wants to grow: 1",))


def test_the_mentee_goes_to_the_mentor_with_the_skills_they_want():
    mentees = [Mentee("e1", "council", "Local government", wants=frozenset({1}))]
    mentors = [
        Mentor("m1", "trust", "Health", skills=frozenset({2})),
        Mentor("m2", "police", "Blue light", skills=frozenset({1})),
    ]
    result = assign(mentees, mentors, names=NAMES)
    assert [(p.mentee, p.mentor, p.fit.points) for p in result.pairs] == [("e1", "m2", 7)]
    assert result.unmatched == []


def test_a_colleague_is_never_chosen_even_if_the_mentee_stays_unmatched():
    mentees = [Mentee("e1", "council", "Local government", wants=frozenset({1, 2}))]
    mentors = [Mentor("m1", "council", "Local government", skills=frozenset({1, 2}))]
    result = assign(mentees, mentors)
    assert result.pairs == []
    assert result.unmatched == ["e1"]


def test_capacity_is_shared_out_so_that_everyone_gets_a_mentor():
    # m1 suits both best, but takes one: the other goes to m2 rather than stay unmatched.
    mentees = [
        Mentee("e1", "a", "Health", wants=frozenset({1})),
        Mentee("e2", "b", "Health", wants=frozenset({1})),
    ]
    mentors = [
        Mentor("m1", "c", "Housing", skills=frozenset({1}), capacity=1),
        Mentor("m2", "d", "Health", capacity=1),
    ]
    result = assign(mentees, mentors)
    assert sorted(p.mentor for p in result.pairs) == ["m1", "m2"]
    assert result.total_fit == 3 + 2 + 2


def test_a_mentor_of_capacity_two_takes_two():
    mentees = [Mentee(f"e{i}", f"o{i}", "Health", wants=frozenset({1})) for i in range(3)]
    mentors = [Mentor("m", "x", "Housing", skills=frozenset({1}), capacity=2)]
    result = assign(mentees, mentors)
    assert len(result.pairs) == 2
    assert len(result.unmatched) == 1


def test_excluded_pairs_are_not_made_again():
    mentees = [Mentee("e", "a", "Health", wants=frozenset({1}))]
    mentors = [
        Mentor("m1", "b", "Housing", skills=frozenset({1})),
        Mentor("m2", "c", "Housing"),
    ]
    result = assign(mentees, mentors, excluded={("e", "m1")})
    assert [p.mentor for p in result.pairs] == ["m2"]


def test_no_mentors_leaves_every_mentee_unmatched():
    assert assign([Mentee("e", "a", "Health")], []).unmatched == ["e"]
    assert assign([], [Mentor("m", "a", "Health")]).pairs == []


# --- Properties ----------------------------------------------------------------------------------

ORGANISATIONS = st.sampled_from(["o1", "o2", "o3"])
SECTORS = st.sampled_from(["Health", "Housing"])
SKILLS = st.frozensets(st.integers(1, 4), max_size=3)


@st.composite
def instances(draw, most: int = 6):
    mentees = [
        Mentee(
            i, draw(ORGANISATIONS), draw(SECTORS), draw(SKILLS), draw(SKILLS), draw(st.booleans())
        )
        for i in range(draw(st.integers(0, most)))
    ]
    mentors = [
        Mentor(
            100 + i,
            draw(ORGANISATIONS),
            draw(SECTORS),
            draw(SKILLS),
            draw(st.integers(0, 3)),
            draw(st.booleans()),
        )
        for i in range(draw(st.integers(0, most)))
    ]
    return mentees, mentors


@settings(max_examples=300, deadline=None)
@given(instances(most=12))
def test_mentoring_never_pairs_two_people_of_one_organisation(instance):
    mentees, mentors = instance
    organisation = {m.id: m.organisation for m in (*mentees, *mentors)}
    for pair in assign(mentees, mentors).pairs:
        assert organisation[pair.mentee] != organisation[pair.mentor]


@settings(max_examples=300, deadline=None)
@given(instances(most=12))
def test_no_mentor_has_more_mentees_than_their_capacity_and_no_mentee_two_mentors(instance):
    mentees, mentors = instance
    result = assign(mentees, mentors)
    taken: dict[int, int] = {}
    for pair in result.pairs:
        taken[pair.mentor] = taken.get(pair.mentor, 0) + 1
    capacity = {m.id: m.capacity for m in mentors}
    assert all(count <= capacity[mentor] for mentor, count in taken.items())
    matched = [pair.mentee for pair in result.pairs]
    assert len(matched) == len(set(matched))
    assert sorted(matched + result.unmatched) == sorted(m.id for m in mentees)


@settings(max_examples=200, deadline=None)
@given(instances(most=5))
def test_the_assignment_is_as_good_as_brute_force(instance):
    mentees, mentors = instance
    best = (0, 0)
    options = [None, *mentors]
    for choice in itertools.product(options, repeat=len(mentees)):
        used: dict[int, int] = {}
        count = total = 0
        for mentee, mentor in zip(mentees, choice, strict=True):
            if mentor is None:
                continue
            if mentor.organisation == mentee.organisation:
                break
            used[mentor.id] = used.get(mentor.id, 0) + 1
            if used[mentor.id] > mentor.capacity:
                break
            count += 1
            total += fit(mentor, mentee).points
        else:
            best = max(best, (count, total))
    result = assign(mentees, mentors)
    assert (len(result.pairs), result.total_fit) == best


@settings(max_examples=100, deadline=None)
@given(instances(most=8))
def test_the_matrix_agrees_with_the_fit_of_each_pair_and_the_answer_is_repeatable(instance):
    mentees, mentors = instance
    if mentees and mentors:
        points = fit_points(mentees, mentors)
        for i, mentee in enumerate(mentees):
            for j, mentor in enumerate(mentors):
                expected = (
                    fit(mentor, mentee).points if mentor.organisation != mentee.organisation else -1
                )
                assert points[i, j] == expected
    first = assign(mentees, mentors)
    assert assign(list(reversed(mentees)), list(reversed(mentors))) == first
