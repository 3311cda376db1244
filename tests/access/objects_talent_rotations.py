"""The own, partner's and outsider's rotation scheme, cohort, round and post (see objects.py).

Schemes belong to partnerships: the own and the partner's objects are in the standing world's
partnership, the outsider's in the other one. Each object's cohort has the organisation's staff
persona (own_staff, partner_staff, outsider) as its participant, and its round 1 offers a post
hosted by the organisation. Rounds collect preferences, except the one to publish (matched) and
the one whose result is read through the API (published).
"""

from __future__ import annotations

import datetime as dt

from joinedup.partnership.tests.world import World
from joinedup.talent.models import (
    Cohort,
    Participant,
    RotationPost,
    RotationRound,
    RotationScheme,
    RoundStatus,
)

from .objects import STAFF, Kwargs, Resolver, organisation_of


def _scheme(world: World, which: str) -> RotationScheme:
    partnership = world.other_partnership if which == "outsider" else world.partnership
    return RotationScheme.objects.create(
        partnership=partnership, name=f"Leaders ({which})", rounds=3, placement_months=8
    )


def _cohort(world: World, which: str) -> Cohort:
    cohort = Cohort.objects.create(
        scheme=_scheme(world, which), name="2027", starts_on=dt.date(2027, 1, 4)
    )
    Participant.objects.create(
        cohort=cohort,
        person=world.person(STAFF[which]),
        home_organisation=organisation_of(world, which),
    )
    return cohort


def _round(world: World, which: str, status: str = RoundStatus.PREFERENCES) -> RotationRound:
    found = RotationRound.objects.create(
        cohort=_cohort(world, which),
        number=1,
        starts_on=dt.date(2027, 1, 4),
        ends_on=dt.date(2027, 9, 3),
        status=status,
    )
    RotationPost.objects.create(
        round=found, host=organisation_of(world, which), title="Policy post", capacity=1
    )
    return found


def scheme(world: World, which: str) -> Kwargs:
    return {"pk": _scheme(world, which).pk}


def cohort(world: World, which: str) -> Kwargs:
    return {"pk": _cohort(world, which).pk}


def rotation_round(world: World, which: str) -> Kwargs:
    """Round 1, collecting preferences."""
    return {"pk": _round(world, which).pk}


def matched_round(world: World, which: str) -> Kwargs:
    return {"pk": _round(world, which, RoundStatus.MATCHED).pk}


def published_round(world: World, which: str) -> Kwargs:
    return {"pk": _round(world, which, RoundStatus.PUBLISHED).pk}


def post(world: World, which: str) -> Kwargs:
    """The organisation's post in round 1, collecting preferences."""
    return {"pk": _round(world, which).posts.get().pk}


RESOLVERS: dict[str, Resolver] = {
    "talent:rotation-scheme": scheme,
    "talent:rotation-cohort-new": scheme,
    "talent:rotation-cohort": cohort,
    "talent:rotation-participant-new": cohort,
    "talent:rotation-round": rotation_round,
    "talent:rotation-post-new": rotation_round,
    "talent:rotation-preferences": rotation_round,
    "talent:rotation-match": rotation_round,
    "talent:rotation-publish": matched_round,
    "talent:rotation-place": rotation_round,
    "talent:rotation-post-ranking": post,
    "api:rotation_round_results": published_round,
}

API_RESOLVERS: dict[str, Resolver] = {
    "GET /api/v1/talent/schemes/rounds/{pk}/results": published_round,
}
