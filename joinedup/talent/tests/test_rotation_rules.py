"""Rotation eligibility rules: worked examples, then properties over random schemes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.talent.rotation_rules import (
    HOME,
    ONE_SECTOR,
    REPEAT,
    Place,
    follows_rules,
    is_eligible,
    refusal,
)

COUNCIL = Place("barnet", "local_government")
OTHER_COUNCIL = Place("brent", "local_government")
TRUST = Place("lnwh", "health")
POLICE = Place("met", "blue_light")


def why(post: Place, placements: list[Place], round_number: int, rounds: int = 3) -> str | None:
    return refusal(
        home_organisation="barnet",
        post=post,
        placements=placements,
        round_number=round_number,
        rounds=rounds,
    )


def test_a_post_at_the_home_organisation_is_never_eligible():
    assert why(COUNCIL, [], 1) == HOME
    assert why(COUNCIL, [TRUST], 3) == HOME


def test_a_second_placement_at_the_same_organisation_is_refused():
    assert why(TRUST, [TRUST], 2) == REPEAT


def test_a_placement_in_a_later_round_already_filled_also_counts():
    # Round 3 was filled first: round 2 may not go back to the same organisation.
    assert why(POLICE, [POLICE], 2) == REPEAT


def test_earlier_rounds_may_stay_in_one_sector():
    assert why(OTHER_COUNCIL, [], 1) is None
    assert why(Place("ealing", "local_government"), [OTHER_COUNCIL], 2) is None


def test_the_last_round_must_bring_a_second_sector_when_all_others_share_one():
    placements = [OTHER_COUNCIL, Place("ealing", "local_government")]
    assert why(Place("harrow", "local_government"), placements, 3) == ONE_SECTOR
    assert why(TRUST, placements, 3) is None


def test_the_last_round_may_stay_in_a_sector_once_two_are_reached():
    assert why(Place("nwl", "health"), [OTHER_COUNCIL, TRUST], 3) is None


def test_home_sector_does_not_count_towards_two_sectors():
    # Home is local government, both placements health: the last must not be health again.
    assert why(Place("nwl", "health"), [TRUST, Place("cnwl", "health")], 3) == ONE_SECTOR


def test_a_participant_with_no_other_placement_is_not_shut_out_of_the_last_round():
    assert why(OTHER_COUNCIL, [], 3) is None


def test_a_one_round_scheme_has_no_sector_rule():
    assert why(OTHER_COUNCIL, [], 1, rounds=1) is None


def test_a_round_outside_the_scheme_is_an_error():
    with pytest.raises(ValueError):
        why(TRUST, [], 4)
    with pytest.raises(ValueError):
        why(TRUST, [], 0)


# --- Properties ---------------------------------------------------------------------------------

SECTORS = ("local_government", "health", "blue_light", "voluntary")
places = st.builds(Place, st.integers(0, 6), st.sampled_from(SECTORS))


@st.composite
def schemes(draw):
    """A scheme's number of rounds, a home organisation and, per round, the posts on offer."""
    rounds = draw(st.integers(1, 4))
    home = draw(st.integers(0, 6))
    offers = draw(st.lists(st.lists(places, max_size=8), min_size=rounds, max_size=rounds))
    choices = draw(st.lists(st.integers(0, 100), min_size=rounds, max_size=rounds))
    return rounds, home, offers, choices


@given(schemes())
def test_choosing_only_eligible_posts_round_by_round_keeps_the_rules(scheme):
    rounds, home, offers, choices = scheme
    placements: list[Place] = []
    for number, (posts, choice) in enumerate(zip(offers, choices, strict=True), start=1):
        eligible = [
            post
            for post in posts
            if is_eligible(
                home_organisation=home,
                post=post,
                placements=placements,
                round_number=number,
                rounds=rounds,
            )
        ]
        if not eligible:
            break
        placements.append(eligible[choice % len(eligible)])
    assert follows_rules(home, placements, rounds)


@given(st.integers(2, 5), st.integers(0, 6), st.lists(places, max_size=4), places)
def test_in_the_last_round_a_post_is_eligible_exactly_when_the_full_run_keeps_the_rules(
    rounds, home, earlier, post
):
    earlier = earlier[: rounds - 1]
    organisations = [placed.organisation for placed in earlier]
    if home in organisations or len(set(organisations)) != len(organisations):
        return  # the earlier run is already against the rules; not a run the service makes
    eligible = is_eligible(
        home_organisation=home, post=post, placements=earlier, round_number=rounds, rounds=rounds
    )
    if len(earlier) == rounds - 1:
        assert eligible == follows_rules(home, [*earlier, post], rounds)
    else:
        # A participant who missed rounds: only the organisation rule, or a second sector.
        assert eligible == (
            post.organisation != home
            and post.organisation not in organisations
            and (not earlier or {p.sector for p in earlier} != {post.sector})
        )


@given(st.integers(1, 5), st.integers(0, 6), st.lists(places, max_size=4), places, st.data())
def test_before_the_last_round_only_organisations_matter(rounds, home, others, post, data):
    number = data.draw(st.integers(1, rounds))
    if number == rounds:
        return
    eligible = is_eligible(
        home_organisation=home, post=post, placements=others, round_number=number, rounds=rounds
    )
    assert eligible == (
        post.organisation != home and all(p.organisation != post.organisation for p in others)
    )
