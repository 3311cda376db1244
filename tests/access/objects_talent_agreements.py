"""The own, partner's and outsider's secondment agreement (see declarations/talent_agreements.py).

"own": the council's social worker (line-managed) seconded to the trust; "partner": the trust's
nurse seconded to the council; "outsider": the outsider seconded to a second organisation of the
other partnership. Each is made at the stage its route acts on.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from joinedup.partnership.models import OrganisationKind
from joinedup.partnership.tests.factories import MembershipFactory, OrganisationFactory
from joinedup.partnership.tests.world import World
from joinedup.talent.models import AgreementStatus, SecondmentAgreement
from joinedup.talent.tests.agreement_data import accepted_application

from .objects import STAFF, Kwargs, Resolver


def _host(world: World, which: str):
    if which == "own":
        return world.partner, world.partnership
    if which == "partner":
        return world.own, world.partnership
    other = OrganisationFactory(
        name="Salford City Council (matrix)", kind=OrganisationKind.UNITARY_AUTHORITY
    )
    MembershipFactory(partnership=world.other_partnership, organisation=other)
    return other, world.other_partnership


def application(world: World, which: str) -> Kwargs:
    """An accepted part-time secondment offer, no agreement yet."""
    host, partnership = _host(world, which)
    found = accepted_application(
        employment=world.employments[STAFF[which]], host=host, partnership=partnership
    )
    return {"pk": found.pk}


def _agreement(world: World, which: str, status: str) -> Kwargs:
    host, partnership = _host(world, which)
    found = accepted_application(
        employment=world.employments[STAFF[which]], host=host, partnership=partnership
    )
    agreement = SecondmentAgreement.objects.create(
        application=found,
        person=found.applicant,
        home_organisation=found.home_organisation,
        host_organisation=host,
        home_employment=found.home_employment,
        status=status,
        starts_on=dt.date(2027, 1, 4),
        ends_on=dt.date(2027, 7, 3),
        hours_per_week=Decimal("15.0"),
        job_title="Discharge planning lead",
    )
    return {"pk": agreement.pk}


def awaiting_release(world: World, which: str) -> Kwargs:
    return _agreement(world, which, AgreementStatus.AWAITING_RELEASE)


def signing(world: World, which: str) -> Kwargs:
    return _agreement(world, which, AgreementStatus.SIGNING)


def active(world: World, which: str) -> Kwargs:
    return _agreement(world, which, AgreementStatus.ACTIVE)


def ended(world: World, which: str) -> Kwargs:
    return _agreement(world, which, AgreementStatus.ENDED)


RESOLVERS: dict[str, Resolver] = {
    "talent:agreement-new": application,
    "talent:agreement": signing,
    "talent:agreement-terms": signing,
    "talent:agreement-release": awaiting_release,
    "talent:agreement-sign": signing,
    "talent:agreement-end": active,
    "talent:agreement-cancel": signing,
    "talent:agreement-feedback": ended,
    "talent:agreement-return": ended,
    "api:secondment_detail": signing,
    "api:release_secondment": awaiting_release,
    "api:sign_secondment": signing,
}

API_RESOLVERS: dict[str, Resolver] = {
    "GET /api/v1/talent/secondments/{pk}": signing,
    "POST /api/v1/talent/secondments/{pk}/release": awaiting_release,
    "POST /api/v1/talent/secondments/{pk}/sign": signing,
}
