"""The pure ranking: skills (essential above desirable), seniority fit, cross-sector value."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from joinedup.talent import ranking
from joinedup.talent.ranking import Candidate, Wanted

skill_ids = st.frozensets(st.integers(1, 30), max_size=8)
sectors = st.sampled_from(["", "health", "local_government", "blue_light", "housing"])
seniorities = st.one_of(st.none(), st.integers(1, 9))


@st.composite
def wanteds(draw) -> Wanted:
    low = draw(st.integers(1, 9))
    high = draw(st.integers(low, 9))
    return Wanted(
        essential=draw(skill_ids),
        desirable=draw(skill_ids),
        seniority_min=low,
        seniority_max=high,
        host_sector=draw(sectors),
    )


@st.composite
def candidates(draw) -> Candidate:
    return Candidate(
        key=draw(st.integers(1, 10_000)),
        skills=draw(skill_ids),
        sector=draw(sectors),
        seniority=draw(seniorities),
    )


def test_reasons_say_how_many_essential_skills_and_what_would_be_gained():
    wanted = Wanted(
        essential=frozenset({1, 2, 3, 4, 5}),
        desirable=frozenset({6}),
        seniority_min=4,
        seniority_max=6,
        host_sector="health",
        skill_names={5: "Commissioning"},
    )
    scored = ranking.score(
        wanted,
        Candidate(key=1, skills=frozenset({1, 2, 3, 4}), sector="local_government", seniority=5),
    )
    assert scored.reasons[0] == "has 4 of 5 essential skills (missing Commissioning)"
    assert "has 0 of 1 desirable skills" in scored.reasons
    assert "seniority 5 is within 4-6" in scored.reasons
    assert any("would gain health-sector experience" in reason for reason in scored.reasons)


def test_an_essential_skill_counts_for_more_than_a_desirable_one():
    wanted = Wanted(essential=frozenset({1}), desirable=frozenset({2}))
    has_essential = ranking.score(wanted, Candidate(key=1, skills=frozenset({1})))
    has_desirable = ranking.score(wanted, Candidate(key=2, skills=frozenset({2})))
    assert has_essential.score > has_desirable.score


def test_a_candidate_from_another_sector_ranks_above_one_from_the_hosts():
    wanted = Wanted(essential=frozenset({1}), host_sector="health")
    same = Candidate(key=1, skills=frozenset({1}), sector="health", seniority=5)
    other = Candidate(key=2, skills=frozenset({1}), sector="housing", seniority=5)
    ranked = ranking.rank_candidates(wanted, [same, other], limit=2)
    assert [scored.key for scored in ranked] == [2, 1]
    assert "already works in the health sector" in ranked[1].reasons


def test_seniority_inside_the_range_beats_one_step_outside_and_far_outside():
    wanted = Wanted(seniority_min=4, seniority_max=5)
    inside, near, far = (
        ranking.score(wanted, Candidate(key=k, seniority=s)).score
        for k, s in ((1, 4), (2, 6), (3, 9))
    )
    assert inside > near > far


def test_ties_are_broken_by_the_smaller_key():
    wanted = Wanted(essential=frozenset({1}))
    ranked = ranking.rank_candidates(
        wanted, [Candidate(key=k, skills=frozenset({1})) for k in (9, 3, 5)], limit=3
    )
    assert [scored.key for scored in ranked] == [3, 5, 9]


def test_opportunities_are_ranked_for_a_person_by_the_same_score():
    person = Candidate(key=1, skills=frozenset({1, 2}), sector="health", seniority=5)
    fits = Wanted(key=10, essential=frozenset({1, 2}), host_sector="housing")
    misses = Wanted(key=11, essential=frozenset({3}), host_sector="health")
    ranked = ranking.rank_opportunities(person, [misses, fits], limit=5)
    assert [scored.key for scored in ranked] == [10, 11]


@given(wanteds(), candidates(), st.integers(1, 30))
def test_gaining_a_skill_never_lowers_a_score(wanted, candidate, skill):
    before = ranking.score(wanted, candidate).score
    richer = Candidate(
        key=candidate.key,
        skills=candidate.skills | {skill},
        sector=candidate.sector,
        seniority=candidate.seniority,
    )
    assert ranking.score(wanted, richer).score >= before


@given(wanteds(), candidates())
def test_holding_one_more_essential_skill_never_lowers_a_score(wanted, candidate):
    missing = sorted(wanted.essential - candidate.skills)
    if not missing:
        return
    before = ranking.score(wanted, candidate)
    richer = Candidate(
        key=candidate.key,
        skills=candidate.skills | {missing[0]},
        sector=candidate.sector,
        seniority=candidate.seniority,
    )
    after = ranking.score(wanted, richer)
    assert after.score > before.score
    assert after.essential_held == before.essential_held + 1


@given(wanteds(), candidates())
def test_a_different_sector_never_scores_less_than_the_hosts(wanted, candidate):
    if not wanted.host_sector:
        return
    at_host = Candidate(
        key=1, skills=candidate.skills, sector=wanted.host_sector, seniority=candidate.seniority
    )
    elsewhere = Candidate(
        key=1, skills=candidate.skills, sector="central_government", seniority=candidate.seniority
    )
    assert ranking.score(wanted, elsewhere).score > ranking.score(wanted, at_host).score


@given(wanteds(), st.lists(candidates(), max_size=30), st.integers(0, 40))
def test_the_ranking_is_the_sorted_prefix_and_every_score_is_in_range(wanted, people, limit):
    unique = list({c.key: c for c in people}.values())
    ranked = ranking.rank_candidates(wanted, unique, limit)
    everyone = sorted(
        (ranking.score(wanted, c) for c in unique),
        key=lambda s: (-s.score, -s.essential_held, s.key),
    )
    assert ranked == everyone[:limit]
    assert all(0 <= s.score <= ranking.MAXIMUM and s.reasons for s in ranked)
    assert ranking.rank_candidates(wanted, list(reversed(unique)), limit) == ranked
