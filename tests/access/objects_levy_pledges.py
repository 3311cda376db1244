"""The own, partner's and outsider's levy objects behind the pledges routes (see objects.py).

A pledge is an open pledge of the organisation's account. An application is one to that
organisation's pledge, made by another member of its partnership: the partner applies to own's
pledge and own to the partner's, so the world's only levy officer (own's) decides on the one and
answers the other; the outsider's pledge gets an application from a fellow member of its own
partnership.
"""

from __future__ import annotations

from joinedup.levy.models import Pledge, PledgeApplication
from joinedup.levy.tests.factories import (
    LevyAccountFactory,
    PledgeApplicationFactory,
    PledgeFactory,
)
from joinedup.partnership.tests.factories import MembershipFactory, OrganisationFactory
from joinedup.partnership.tests.world import World

from .objects import Kwargs, Resolver, organisation_of

APPLICANT = {"own": "partner", "partner": "own"}


def _pledge(world: World, which: str) -> Pledge:
    return PledgeFactory(account=LevyAccountFactory(organisation=organisation_of(world, which)))


def pledge(world: World, which: str) -> Kwargs:
    return {"pk": _pledge(world, which).pk}


def _application(world: World, which: str) -> PledgeApplication:
    if which in APPLICANT:
        applicant = organisation_of(world, APPLICANT[which])
    else:
        applicant = OrganisationFactory(name="Salford City Council (matrix)")
        MembershipFactory(partnership=world.other_partnership, organisation=applicant)
    return PledgeApplicationFactory(
        pledge=_pledge(world, which),
        account=LevyAccountFactory(organisation=applicant),
        sector=applicant.sector,
    )


def application(world: World, which: str) -> Kwargs:
    return {"pk": _application(world, which).pk}


RESOLVERS: dict[str, Resolver] = {
    "levy:pledge": pledge,
    "levy:pledge-apply": pledge,
    "levy:pledge-application": application,
    "levy:pledge-application-approve": application,
    "levy:pledge-application-reject": application,
    "levy:pledge-application-accept": application,
    "levy:pledge-application-decline": application,
    "levy:pledge-application-withdraw": application,
    "api:pledge_detail": pledge,
    "api:apply_to_pledge": pledge,
    "api:pledge_application_detail": application,
    "api:approve_pledge_application": application,
    "api:reject_pledge_application": application,
    "api:accept_pledge_application": application,
    "api:decline_pledge_application": application,
    "api:withdraw_pledge_application": application,
}

API_RESOLVERS: dict[str, Resolver] = {
    "GET /api/v1/levy/pledges/{pk}": pledge,
    "POST /api/v1/levy/pledges/{pk}/applications": pledge,
    "GET /api/v1/levy/pledge-applications/{pk}": application,
    "POST /api/v1/levy/pledge-applications/{pk}/approve": application,
    "POST /api/v1/levy/pledge-applications/{pk}/reject": application,
    "POST /api/v1/levy/pledge-applications/{pk}/accept": application,
    "POST /api/v1/levy/pledge-applications/{pk}/decline": application,
    "POST /api/v1/levy/pledge-applications/{pk}/withdraw": application,
}
