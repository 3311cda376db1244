"""The own, partner's and outsider's mentoring sign-up, pair and matching (see objects.py).

A sign-up is the organisation's staff persona's (own_staff, partner_staff, outsider) request for
a mentor. A pair is that persona as mentee with a mentor of another organisation of the same
partnership (a newcomer, not a persona), published and active. A matching is a draft of the
organisation's partnership: the own and the partner's share the standing world's, the outsider's
is the other one.
"""

from __future__ import annotations

from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
)
from joinedup.partnership.tests.world import World
from joinedup.talent.models import (
    MatchingRunStatus,
    MentoringMatching,
    MentoringPair,
    MentoringRole,
    MentoringSignup,
    PairStatus,
)

from .objects import STAFF, Kwargs, Resolver, organisation_of


def _partnership(world: World, which: str):
    return world.other_partnership if which == "outsider" else world.partnership


def _mentee(world: World, which: str) -> MentoringSignup:
    """The staff persona's active request for a mentor (one per person: reused when a test
    resolves several routes in one database)."""
    found, _ = MentoringSignup.objects.get_or_create(
        partnership=_partnership(world, which),
        person=world.person(STAFF[which]),
        role=MentoringRole.MENTEE,
        active=True,
        defaults={"organisation": organisation_of(world, which), "aspirations": "Budgeting"},
    )
    return found


def signup(world: World, which: str) -> Kwargs:
    """The organisation's staff persona asking for a mentor."""
    return {"pk": _mentee(world, which).pk}


def _mentor(world: World, which: str) -> MentoringSignup:
    """A mentor (not a persona) at another organisation of the same partnership."""
    if which == "outsider":
        organisation = OrganisationFactory(name="Salford City Council (matrix)")
        MembershipFactory(partnership=world.other_partnership, organisation=organisation)
    else:
        organisation = world.partner if which == "own" else world.own
    employment = EmploymentFactory(organisation=organisation)
    return MentoringSignup.objects.create(
        partnership=_partnership(world, which),
        person=employment.person,
        organisation=organisation,
        role=MentoringRole.MENTOR,
        capacity=2,
    )


def pair(world: World, which: str) -> Kwargs:
    """An active pair of a published matching: the staff persona mentored by a newcomer."""
    matching = MentoringMatching.objects.create(
        partnership=_partnership(world, which), status=MatchingRunStatus.PUBLISHED
    )
    found = MentoringPair.objects.create(
        matching=matching,
        mentee=_mentee(world, which),
        mentor=_mentor(world, which),
        fit=5,
        reasons=["Different sectors"],
        status=PairStatus.ACTIVE,
    )
    return {"pk": found.pk}


def matching(world: World, which: str) -> Kwargs:
    """A draft matching (without pairs) of the organisation's partnership."""
    return {"pk": MentoringMatching.objects.create(partnership=_partnership(world, which)).pk}


RESOLVERS: dict[str, Resolver] = {
    "talent:mentoring-withdraw": signup,
    "talent:mentoring-pair": pair,
    "talent:mentoring-meeting-new": pair,
    "talent:mentoring-pair-end": pair,
    "talent:mentoring-matching": matching,
    "talent:mentoring-matching-publish": matching,
    "talent:mentoring-matching-discard": matching,
    "api:mentoring_pair": pair,
    "api:mentoring_pair_meetings": pair,
    "api:log_mentoring_meeting": pair,
    "api:mentoring_matching": matching,
}

API_RESOLVERS: dict[str, Resolver] = {
    "GET /api/v1/talent/mentoring/pairs/{pk}": pair,
    "GET /api/v1/talent/mentoring/pairs/{pk}/meetings": pair,
    "POST /api/v1/talent/mentoring/pairs/{pk}/meetings": pair,
    "GET /api/v1/talent/mentoring/matchings/{pk}": matching,
}
