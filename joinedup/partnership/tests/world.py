"""The standing world of personas every test can use (see DESIGN.md, "Roles and personas").

Own organisation (a London borough) and a partner (an NHS trust) are members of one partnership;
the partnership lead works at the integrated care board, also a member. The outsider works for an
organisation in a second partnership on the same installation. Later issues add their personas here.
"""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.partnership.actor import Actor
from joinedup.partnership.models import (
    Employment,
    Organisation,
    OrganisationKind,
    OrganisationRole,
    Partnership,
    PartnershipRole,
    Person,
)
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    GradeFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganisationRoleFactory,
    PartnershipFactory,
    PartnershipRoleFactory,
    PersonFactory,
)

PERSONAS = (
    "own_staff",
    "own_line_manager",
    "own_admin",
    "own_ld_lead",
    "own_levy_officer",
    "partner_staff",
    "partner_admin",
    "partner_ld_lead",
    "partnership_lead",
    "outsider",
    "anonymous",
    "mentoring_lead",
    "space_moderator",
    "programme_leader",
    "practice_tutor",
    "apprentice",
)


@dataclass
class World:
    partnership: Partnership
    other_partnership: Partnership
    own: Organisation
    partner: Organisation
    icb: Organisation
    outsider_org: Organisation
    people: dict[str, Person]
    employments: dict[str, Employment]

    def person(self, persona: str) -> Person | None:
        return self.people.get(persona)

    def actor(self, persona: str) -> Actor:
        """The persona acting for the organisation of their (first) employment."""
        person = self.people.get(persona)
        if person is None:
            return Actor(person=None, organisation=None)
        return Actor(person=person, organisation=self.employments[persona].organisation)

    def fresh(self) -> World:
        """The same world read anew from the database: new instances, so one test's changes in
        memory never reach the next (the rows are shared; each test's changes are rolled back)."""
        partnerships = Partnership.objects.in_bulk([self.partnership.pk, self.other_partnership.pk])
        organisations = Organisation.objects.in_bulk(
            [self.own.pk, self.partner.pk, self.icb.pk, self.outsider_org.pk]
        )
        people = Person.objects.in_bulk([person.pk for person in self.people.values()])
        employments = Employment.objects.in_bulk([e.pk for e in self.employments.values()])
        for employment in employments.values():
            employment.person = people[employment.person_id]
            employment.organisation = organisations[employment.organisation_id]
        return World(
            partnership=partnerships[self.partnership.pk],
            other_partnership=partnerships[self.other_partnership.pk],
            own=organisations[self.own.pk],
            partner=organisations[self.partner.pk],
            icb=organisations[self.icb.pk],
            outsider_org=organisations[self.outsider_org.pk],
            people={persona: people[person.pk] for persona, person in self.people.items()},
            employments={
                persona: employments[employment.pk]
                for persona, employment in self.employments.items()
            },
        )

    def __getattr__(self, name: str):
        people = self.__dict__.get("people", {})
        if name in people:
            return people[name]
        raise AttributeError(name)


def _employ(organisation: Organisation, email: str, job_title: str, **kwargs) -> Employment:
    given, family = (
        email.split("@")[0].split(".", 1) if "." in email.split("@")[0] else (email, "Test")
    )
    person = PersonFactory(email=email, given_name=given.title(), family_name=family.title())
    return EmploymentFactory(
        person=person, organisation=organisation, job_title=job_title, **kwargs
    )


def build_world() -> World:
    """Create the standing world in the test database."""
    partnership = PartnershipFactory(name="West and North London (test)")
    other = PartnershipFactory(name="Elsewhere (test)", region="North West")
    own = OrganisationFactory(
        name="London Borough of Barnet",
        kind=OrganisationKind.LONDON_BOROUGH,
        official_code="E09000003",
        is_levy_payer=True,
        headcount=3000,
    )
    partner = OrganisationFactory(
        name="London North West University Healthcare NHS Trust",
        kind=OrganisationKind.NHS_TRUST,
        official_code="R1K",
        is_levy_payer=True,
        headcount=9000,
    )
    icb = OrganisationFactory(
        name="NHS West and North London Integrated Care Board",
        kind=OrganisationKind.INTEGRATED_CARE_BOARD,
        official_code="Z9B2Z",
        headcount=800,
    )
    outsider_org = OrganisationFactory(
        name="Manchester City Council",
        kind=OrganisationKind.METROPOLITAN_DISTRICT,
        official_code="E08000003",
        headcount=7000,
    )
    for organisation in (own, partner, icb):
        MembershipFactory(partnership=partnership, organisation=organisation)
    MembershipFactory(partnership=other, organisation=outsider_org)
    GradeFactory(organisation=own, name="Scale 6", seniority=3)
    GradeFactory(organisation=own, name="PO3", seniority=5)

    e: dict[str, Employment] = {}
    e["own_line_manager"] = _employ(own, "lena.manager@barnet.test", "Team manager")
    e["own_staff"] = _employ(
        own, "sam.staff@barnet.test", "Social worker", line_manager=e["own_line_manager"]
    )
    e["own_admin"] = _employ(own, "ada.admin@barnet.test", "HR systems manager")
    e["own_ld_lead"] = _employ(own, "lee.learning@barnet.test", "Learning and development lead")
    e["own_levy_officer"] = _employ(own, "lev.levy@barnet.test", "Apprenticeship levy officer")
    e["partner_staff"] = _employ(partner, "pat.staff@lnwh.test", "Staff nurse")
    e["partner_admin"] = _employ(partner, "pam.admin@lnwh.test", "Workforce systems lead")
    e["partner_ld_lead"] = _employ(partner, "pia.learning@lnwh.test", "Head of learning")
    e["partnership_lead"] = _employ(icb, "paula.lead@icb.test", "Director of people partnerships")
    e["outsider"] = _employ(outsider_org, "oscar.outsider@manchester.test", "Policy officer")
    e["mentoring_lead"] = _employ(icb, "mo.mentoring@icb.test", "Coaching and mentoring lead")
    # Plain partner staff with no role; tests/access/network_scene.py names them moderator of the
    # standing partnership's discussion spaces (the network issue).
    e["space_moderator"] = _employ(partner, "sid.moderator@lnwh.test", "Practice educator")
    # The apprenticeship issue: the partner trust is the standing partnership's apprenticeship
    # provider (tests/access/apprenticeships_scene.py) with a programme leader and a practice tutor;
    # the apprentice works for the own organisation, managed by its line manager.
    e["programme_leader"] = _employ(
        partner, "prue.leader@lnwh.test", "Apprenticeship programme leader"
    )
    e["practice_tutor"] = _employ(partner, "tess.tutor@lnwh.test", "Practice tutor")
    e["apprentice"] = _employ(
        own,
        "ari.apprentice@barnet.test",
        "Apprentice social worker",
        line_manager=e["own_line_manager"],
    )

    OrganisationRoleFactory(
        person=e["own_admin"].person, organisation=own, role=OrganisationRole.ORG_ADMIN
    )
    OrganisationRoleFactory(
        person=e["own_ld_lead"].person, organisation=own, role=OrganisationRole.LD_LEAD
    )
    OrganisationRoleFactory(
        person=e["own_levy_officer"].person, organisation=own, role=OrganisationRole.LEVY_OFFICER
    )
    OrganisationRoleFactory(
        person=e["partner_admin"].person, organisation=partner, role=OrganisationRole.ORG_ADMIN
    )
    OrganisationRoleFactory(
        person=e["partner_ld_lead"].person, organisation=partner, role=OrganisationRole.LD_LEAD
    )
    OrganisationRoleFactory(
        person=e["programme_leader"].person,
        organisation=partner,
        role=OrganisationRole.PROGRAMME_LEADER,
    )
    OrganisationRoleFactory(
        person=e["practice_tutor"].person,
        organisation=partner,
        role=OrganisationRole.PRACTICE_TUTOR,
    )
    OrganisationRoleFactory(
        person=e["outsider"].person, organisation=outsider_org, role=OrganisationRole.ORG_ADMIN
    )
    PartnershipRoleFactory(
        person=e["partnership_lead"].person,
        partnership=partnership,
        role=PartnershipRole.PARTNERSHIP_LEAD,
    )
    PartnershipRoleFactory(
        person=e["mentoring_lead"].person,
        partnership=partnership,
        role=PartnershipRole.MENTORING_LEAD,
    )
    return World(
        partnership=partnership,
        other_partnership=other,
        own=own,
        partner=partner,
        icb=icb,
        outsider_org=outsider_org,
        people={persona: employment.person for persona, employment in e.items()},
        employments=e,
    )
