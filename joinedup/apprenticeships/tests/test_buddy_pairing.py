"""The pure buddy pairing core: across employers wherever possible, deterministic, keeping
existing pairs, odd ones out joining someone, and the reasons for whoever cannot be paired."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.apprenticeships.buddy_pairing import (
    NO_ONE_ELSE,
    ONE_EMPLOYER,
    Apprentice,
    plan_pairs,
)


def cohort(*employers: int) -> list[Apprentice]:
    """Apprentices 1, 2, 3 ... working for the employers given, in order."""
    return [Apprentice(pk, employer) for pk, employer in enumerate(employers, start=1)]


def test_two_employers_pair_across():
    plan = plan_pairs(cohort(10, 10, 20, 20))
    assert plan.pairs == [(1, 3), (2, 4)]
    assert plan.unpaired == []


def test_the_largest_employer_is_taken_first_so_no_colleagues_are_left_over():
    # Employer 30 has the most waiting, so each round takes one of theirs first.
    plan = plan_pairs(cohort(10, 30, 20, 30, 30, 10))
    assert plan.pairs == [(1, 2), (4, 6), (3, 5)]


def test_a_large_employers_extra_apprentices_join_others_spread_evenly_never_a_colleague():
    plan = plan_pairs(cohort(10, 10, 10, 20, 30, 10))
    # Employer 10's four go to 20's, 30's, then join someone from another employer twice.
    assert plan.pairs == [(1, 4), (2, 5), (3, 4), (5, 6)]
    assert plan.unpaired == []


def test_an_odd_one_out_joins_someone_from_another_employer_as_a_second_buddy():
    plan = plan_pairs(cohort(10, 20, 30))
    assert plan.pairs == [(1, 2), (1, 3)]
    assert plan.unpaired == []


def test_existing_pairs_are_kept_and_only_the_unpaired_are_paired():
    plan = plan_pairs(cohort(10, 20, 10, 20), existing=[(1, 2)])
    assert plan.pairs == [(3, 4)]


def test_waiting_limits_who_is_paired_and_a_lone_one_joins_the_least_buddied():
    apprentices = cohort(10, 20, 30, 20)
    plan = plan_pairs(apprentices, existing=[(2, 3)], waiting=[1])
    # 1 (employer 10) may join 2, 3 or 4; 4 has no buddy yet, so fewest buddies wins.
    assert plan.pairs == [(1, 4)]


def test_everyone_from_one_employer_is_reported_unpaired_with_the_reason():
    plan = plan_pairs(cohort(10, 10, 10))
    assert plan.pairs == []
    assert plan.unpaired == [(1, ONE_EMPLOYER), (2, ONE_EMPLOYER), (3, ONE_EMPLOYER)]
    assert plan_pairs(cohort(10)).unpaired == [(1, NO_ONE_ELSE)]


def test_pairs_naming_someone_no_longer_current_do_not_count():
    plan = plan_pairs(cohort(10, 20), existing=[(1, 99)])
    assert plan.pairs == [(1, 2)]


apprentice_lists = st.lists(
    st.tuples(st.integers(1, 10_000), st.integers(1, 4)), max_size=25, unique_by=lambda t: t[0]
).map(lambda rows: [Apprentice(pk, employer) for pk, employer in rows])


# The shared CI machine is sometimes slow to draw; the property, not the timing, is the point.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RELAXED
@given(apprentice_lists)
def test_no_pair_shares_an_employer_and_everyone_with_an_alternative_is_paired(apprentices):
    plan = plan_pairs(apprentices)
    employer = {a.enrolment_id: a.employer_id for a in apprentices}
    assert all(employer[a] != employer[b] for a, b in plan.pairs)
    paired = {pk for pair in plan.pairs for pk in pair}
    unpaired = {pk for pk, _ in plan.unpaired}
    assert paired | unpaired == set(employer)
    assert not paired & unpaired
    for pk in unpaired:
        assert all(employer[other] == employer[pk] for other in employer)


@RELAXED
@given(apprentice_lists, st.randoms())
def test_the_same_cohort_in_any_order_gives_the_same_pairs(apprentices, rnd: random.Random):
    shuffled = list(apprentices)
    rnd.shuffle(shuffled)
    assert plan_pairs(shuffled) == plan_pairs(apprentices)
