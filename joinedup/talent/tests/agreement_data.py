"""Test data for secondment agreements: an accepted part-time secondment offer and an agreement
taken to any stage through the services."""

from __future__ import annotations

import datetime as dt

from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, Organisation, OrganisationRole, Person
from joinedup.partnership.tests.factories import OrganisationRoleFactory
from joinedup.talent import agreements
from joinedup.talent.models import (
    Application,
    ApplicationStatus,
    Opportunity,
    OpportunityKind,
    SecondmentAgreement,
)

STARTS = dt.date(2027, 1, 4)


def accepted_application(
    *,
    employment: Employment,
    host: Organisation,
    partnership,
    starts_on: dt.date = STARTS,
    kind: str = OpportunityKind.SECONDMENT_PART,
) -> Application:
    """An accepted offer of a 6-month, 40% secondment at `host` to the employment's person."""
    opportunity = Opportunity.objects.create(
        partnership=partnership,
        host=host,
        kind=kind,
        title="Discharge planning lead",
        description="Two days a week with the hospital discharge team.",
        starts_on=starts_on,
        duration_months=6,
        time_share=40,
        closes_on=starts_on - dt.timedelta(days=30),
    )
    return Application.objects.create(
        opportunity=opportunity,
        applicant=employment.person,
        home_organisation=employment.organisation,
        home_employment=employment,
        statement="I know the council's side of discharge.",
        status=ApplicationStatus.ACCEPTED,
    )


def lead_of(organisation: Organisation, person: Person) -> Actor:
    return Actor(person=person, organisation=organisation)


def drafted(world, *, which: str = "own", recharge: str = "0", begins=STARTS, **terms):
    """The own staff member's (or, for "partner", the partner staff member's) agreement with the
    other organisation, drafted by the host's L&D lead."""
    if which == "own":
        employment, host, host_lead = (
            world.employments["own_staff"],
            world.partner,
            world.actor("partner_ld_lead"),
        )
    elif which == "partner":
        employment, host, host_lead = (
            world.employments["partner_staff"],
            world.own,
            world.actor("own_ld_lead"),
        )
    else:
        raise ValueError(which)
    application = accepted_application(
        employment=employment, host=host, partnership=world.partnership, starts_on=begins
    )
    terms.setdefault("recharge_amount", recharge)
    return agreements.draft_agreement(actor=host_lead, application=application, **terms)


def released(world, **kwargs) -> SecondmentAgreement:
    """The own staff member's agreement, released by her line manager and the council's lead."""
    agreement = drafted(world, **kwargs)
    agreements.release(actor=world.actor("own_line_manager"), agreement=agreement)
    agreements.release(actor=world.actor("own_ld_lead"), agreement=agreement)
    return agreement


def signed(world, *, today: dt.date | None = None, **kwargs) -> SecondmentAgreement:
    """Released and signed by all three (before the start date unless `today` says otherwise)."""
    agreement = released(world, **kwargs)
    day = today or dt.date(2026, 12, 1)
    for persona in ("own_staff", "own_ld_lead", "partner_ld_lead"):
        agreements.sign(
            actor=world.actor(persona),
            agreement=agreement,
            terms_version=agreement.terms_version,
            today=day,
        )
    return agreement


def make_ld_lead(person: Person, organisation: Organisation) -> None:
    OrganisationRoleFactory(person=person, organisation=organisation, role=OrganisationRole.LD_LEAD)
