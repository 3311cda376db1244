"""The own, partner's and outsider's opportunity and application (see objects.py).

An opportunity is an open one hosted by the organisation, open to its whole partnership. An
application is one to such an opportunity by someone of another organisation: partner_staff to
the own organisation's, own_staff to the partner's, and a newcomer of a second organisation in
the outsider's partnership to the outsider's.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from joinedup.partnership.models import OrganisationKind
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
)
from joinedup.partnership.tests.world import World
from joinedup.talent.models import Application, Opportunity, OpportunityKind

from .objects import Kwargs, Resolver, organisation_of

APPLICANT = {"own": "partner_staff", "partner": "own_staff"}


def _opportunity(world: World, which: str) -> Opportunity:
    today = timezone.localdate()
    return Opportunity.objects.create(
        partnership=world.other_partnership if which == "outsider" else world.partnership,
        host=organisation_of(world, which),
        kind=OpportunityKind.SHADOWING,
        title=f"Shadow a director ({which})",
        description="Spend a week alongside a director.",
        starts_on=today + dt.timedelta(days=60),
        duration_months=1,
        closes_on=today + dt.timedelta(days=30),
        location="Town hall",
    )


def opportunity(world: World, which: str) -> Kwargs:
    """An open opportunity of the organisation."""
    return {"pk": _opportunity(world, which).pk}


def application(world: World, which: str) -> Kwargs:
    """An application to the organisation's open opportunity by someone of another one."""
    found = _opportunity(world, which)
    if which == "outsider":
        neighbour = OrganisationFactory(
            name="Salford City Council (matrix)", kind=OrganisationKind.METROPOLITAN_DISTRICT
        )
        MembershipFactory(partnership=world.other_partnership, organisation=neighbour)
        employment = EmploymentFactory(organisation=neighbour)
    else:
        employment = world.employments[APPLICANT[which]]
    made = Application.objects.create(
        opportunity=found,
        applicant=employment.person,
        home_organisation=employment.organisation,
        home_employment=employment,
        statement="I would like to learn how you work.",
    )
    return {"pk": made.pk}


RESOLVERS: dict[str, Resolver] = {
    "talent:opportunity": opportunity,
    "talent:opportunity-apply": opportunity,
    "talent:opportunity-edit": opportunity,
    "talent:opportunity-close": opportunity,
    "talent:opportunity-candidates": opportunity,
    "talent:opportunity-applications": opportunity,
    "talent:application": application,
    "talent:application-shortlist": application,
    "talent:application-interview": application,
    "talent:application-offer": application,
    "talent:application-decline": application,
    "talent:application-accept": application,
    "talent:application-withdraw": application,
    "api:opportunity_detail": opportunity,
    "api:change_opportunity": opportunity,
    "api:opportunity_candidates": opportunity,
    "api:close_opportunity": opportunity,
    "api:reopen_opportunity": opportunity,
    "api:withdraw_opportunity": opportunity,
    "api:application_detail": application,
    "api:withdraw_application": application,
    "api:accept_offer": application,
    "api:shortlist_application": application,
    "api:interview_application": application,
    "api:offer_application": application,
    "api:decline_application": application,
}

OPPORTUNITIES = "/api/v1/talent/opportunities"
APPLICATIONS = "/api/v1/talent/applications"
API_RESOLVERS: dict[str, Resolver] = {
    **{
        f"{method} {OPPORTUNITIES}/{{pk}}{tail}": opportunity
        for method, tail in (
            ("GET", ""),
            ("PATCH", ""),
            ("GET", "/candidates"),
            ("POST", "/close"),
            ("POST", "/reopen"),
            ("POST", "/withdraw"),
        )
    },
    **{
        f"{method} {APPLICATIONS}/{{pk}}{tail}": application
        for method, tail in (
            ("GET", ""),
            ("POST", "/withdraw"),
            ("POST", "/accept"),
            ("POST", "/shortlist"),
            ("POST", "/interview"),
            ("POST", "/offer"),
            ("POST", "/decline"),
        )
    },
}
