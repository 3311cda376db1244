"""A rotation scheme's rules, as eligibility of a participant for a post (plain Python, no Django).

Two rules, from the scheme's description:

1. Never the same organisation twice. A rotation is placements *away from home*, so the
   participant's home organisation counts as one they have already been at: a post there is never
   eligible, nor a post at an organisation of any of their other placements in the cohort.
2. By the last round, at least two different sectors across the placements (the home
   organisation does not count; it is not a placement). Only the last round can break this: a
   post in the last round is ineligible when every other placement is in one sector and the post
   is in that sector too. A participant with no other placement cannot reach two sectors with one
   placement, so the rule does not shut them out of the last round.

"Other placements" are those in the cohort's other rounds, whichever order the rounds were filled
in, so filling round 2 before round 1 cannot slip a repeat through.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

HOME = "The post is at the participant's home organisation"
REPEAT = "The participant already has a placement at this organisation"
ONE_SECTOR = (
    "By the last round placements must span two sectors, and every other placement is in "
    "this post's sector"
)
BAD_ROUND = "The round number must be from 1 to the scheme's number of rounds"


@dataclass(frozen=True)
class Place:
    """Where a placement is, or a post would be: an organisation and its sector."""

    organisation: Hashable
    sector: str


def refusal(
    *,
    home_organisation: Hashable,
    post: Place,
    placements: Iterable[Place],
    round_number: int,
    rounds: int,
) -> str | None:
    """Why the participant may not take the post in this round (None when they may).

    `placements` are the participant's placements in the cohort's other rounds; `rounds` is how
    many rounds the scheme has (the last round is number `rounds`).
    """
    if not 1 <= round_number <= rounds:
        raise ValueError(BAD_ROUND)
    placements = list(placements)
    if post.organisation == home_organisation:
        return HOME
    if any(placed.organisation == post.organisation for placed in placements):
        return REPEAT
    if round_number == rounds and placements:
        sectors = {placed.sector for placed in placements}
        if sectors == {post.sector}:
            return ONE_SECTOR
    return None


def is_eligible(
    *,
    home_organisation: Hashable,
    post: Place,
    placements: Iterable[Place],
    round_number: int,
    rounds: int,
) -> bool:
    """Whether the participant may take the post in this round."""
    return (
        refusal(
            home_organisation=home_organisation,
            post=post,
            placements=placements,
            round_number=round_number,
            rounds=rounds,
        )
        is None
    )


def follows_rules(home_organisation: Hashable, placements: Sequence[Place], rounds: int) -> bool:
    """Whether a participant's complete run of placements (one per round, in order) keeps both
    rules: no organisation twice or at home, and two sectors or more when there are two or more
    placements. Used by tests as the plain statement the round-by-round check must add up to."""
    organisations = [placed.organisation for placed in placements]
    if home_organisation in organisations or len(set(organisations)) != len(organisations):
        return False
    if len(placements) == rounds and rounds >= 2:
        return len({placed.sector for placed in placements}) >= 2
    return True
