"""The demo's talent scheme: a skills vocabulary, profiles, opportunities, a past secondment, a
rotation scheme, mentoring sign-ups, recent leavers and the partnership's mentoring lead.

`joinedup demo` calls `load()` after the partnership demo exists (the app demo hook). Everything
is written through the talent services (one audit entry each), except what no service writes: an
opportunity and an application that lie wholly in the past (the services only take dates from
today on), the mentoring lead's job at the ICB and the new jobs of leavers who moved to a partner
(the partnership demo loads its people and jobs directly too).
The story is found by its star opportunity, so running the demo again changes nothing.

The story to try (`logins()` adds the mentoring lead to the printed sign-ins):
- Sam Okafor, a Barnet social worker (own-organisation staff), has opted in: a part-time
  secondment at London North West University Healthcare NHS Trust is open and heads the
  opportunities recommended for him; Pia Kowalski (partner L&D lead) sees him among the people
  who might fit it.
- One of each other kind of opportunity is open across the partnership; a Harrow commissioning
  officer's secondment to the ICB ended and they are back; a graduate rotation scheme has a cohort
  whose round 1 posts are ranked; mentors and mentees from many organisations wait for the
  mentoring lead to run the matching; recent leavers give the leakage figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone

from joinedup.partnership import services as partnership_services
from joinedup.partnership.access import open_memberships
from joinedup.partnership.actor import Actor
from joinedup.partnership.demo import DemoLogin
from joinedup.partnership.demo_plan import DEMO_PASSWORD, ICB_CODE, PARTNERSHIP, PERSONAS
from joinedup.partnership.models import (
    Destination,
    Employment,
    EmploymentKind,
    Grade,
    Organisation,
    OrganisationRole,
    OrganisationRoleGrant,
    Partnership,
    PartnershipRole,
    PartnershipRoleGrant,
    Person,
    Sector,
)
from joinedup.partnership.workforce import WORKFORCE_OF_KIND

from . import (
    agreements,
    applications,
    mentoring_services,
    opportunities,
    profiles,
    rotations,
    skills,
)
from .models import (
    Application,
    ApplicationStatus,
    Audience,
    MentoringRole,
    Opportunity,
    OpportunityKind,
    OpportunitySkill,
    OpportunityStatus,
    SalaryPayer,
    SignatureParty,
)

BARNET, BRENT, CAMDEN, EALING = "E09000003", "E09000005", "E09000007", "E09000009"
HARROW, HILLINGDON, HOUNSLOW, ISLINGTON = "E09000015", "E09000017", "E09000018", "E09000019"
LNWH, IMPERIAL, CNWL, ROYAL_FREE, WHITTINGTON = "R1K", "RYJ", "RV3", "RAL", "RKE"
RKL = "RKL"
POLICE, FIRE = "North Thames Police", "North Thames Fire and Rescue Service"
CARERS, YOUTH, UNIVERSITY = (
    "Canalside Carers Network",
    "Northway Youth Trust",
    "University of North Thames",
)

MENTORING_LEAD_EMAIL = "morgan.osei@wnl.icb.nhs.example"
MENTORING_LEAD_LABEL = "Mentoring lead"
STAR_TITLE = "Integrated discharge and safeguarding lead (part-time secondment)"
PAST_TITLE = "Joint commissioning manager, ageing well (secondment)"
SCHEME_NAME = "West and North London graduate management rotation"

# The vocabulary: name, description, other names.
VOCABULARY = (
    ("Safeguarding", "Protecting adults and children at risk of harm or neglect",
     ("Safeguarding adults", "Safeguarding children", "Child protection")),
    ("Commissioning", "Planning, buying and reviewing services for a population",
     ("Strategic commissioning", "Procurement of services")),
    ("Contract management", "Managing providers against what was agreed",
     ("Contract monitoring",)),
    ("Data analysis", "Turning data into findings people can act on",
     ("Data analytics", "Analytics", "Statistical analysis")),
    ("Management information", "Regular performance reporting", ("MI", "Performance reporting")),
    ("Population health", "Understanding and improving the health of a whole population",
     ("Population health management", "PHM")),
    ("Quality improvement", "Testing and spreading changes that make services better",
     ("QI", "Continuous improvement", "Lean")),
    ("Programme management", "Running a set of related projects to deliver change",
     ("Project management", "PMO")),
    ("Change management", "Helping people and teams through organisational change",
     ("Transformation",)),
    ("Stakeholder engagement", "Working with the people a decision affects",
     ("Stakeholder management",)),
    ("Multi-agency working", "Working across agencies around a person or place",
     ("Partnership working", "Joint working")),
    ("Case management", "Assessing, planning and reviewing support for a person", ("Casework",)),
    ("Coaching", "Helping someone find their own way forward", ("Executive coaching",)),
    ("Mentoring", "Sharing experience to support someone's development", ()),
    ("Facilitation", "Running workshops and meetings that reach decisions",
     ("Workshop facilitation",)),
    ("Clinical leadership", "Leading clinical teams and services", ()),
    ("Budget management", "Planning and controlling a budget", ("Budgeting",)),
    ("Financial planning", "Medium-term financial plans and models", ("Financial modelling",)),
    ("Workforce planning", "Planning the workforce a service will need",
     ("Workforce modelling",)),
    ("Organisational development", "Developing teams, culture and ways of working", ("OD",)),
    ("Service design", "Designing services around the people who use them",
     ("Service redesign",)),
    ("User research", "Learning what users need", ()),
    ("Digital transformation", "Changing services with digital technology", ()),
    ("Community engagement", "Working with communities and the public",
     ("Community development", "Public engagement")),
    ("Co-production", "Designing services with the people who use them", ("Coproduction",)),
    ("Risk management", "Finding, weighing and reducing risks", ("Risk assessment",)),
    ("Emergency planning", "Preparing for and responding to emergencies",
     ("Resilience", "Business continuity")),
    ("Policy development", "Writing and reviewing policy", ("Policy writing",)),
    ("Public health", "Protecting and improving the public's health", ()),
    ("Mental health", "Supporting people's mental health and wellbeing", ()),
)  # fmt: skip

LG, HEALTH, BLUE, VOLUNTARY, EDUCATION = (
    Sector.LOCAL_GOVERNMENT,
    Sector.HEALTH,
    Sector.BLUE_LIGHT,
    Sector.VOLUNTARY,
    Sector.EDUCATION,
)
PRIVATE, CENTRAL = Sector.PRIVATE, Sector.CENTRAL_GOVERNMENT
K = OpportunityKind


@dataclass(frozen=True)
class Theme:
    """A kind of career a demo profile tells: skills, earlier work elsewhere, aspirations."""

    skills: tuple[str, ...]
    experience: tuple[tuple[str, str, str, str], ...]  # sector, role, organisation, years
    kinds: tuple[str, ...]
    sectors: tuple[str, ...]
    summary: str


THEMES = {
    "social care": Theme(
        ("Safeguarding", "Case management", "Partnership working", "Stakeholder engagement"),
        ((VOLUNTARY, "Support worker", "Mind in Barnet", "2"),),
        (K.SECONDMENT_PART, K.SHADOWING),
        (HEALTH,),
        "I work with adults and families where health and care meet, and want to see the "
        "hospital side of discharge and safeguarding.",
    ),
    "commissioning": Theme(
        ("Commissioning", "Contract management", "Stakeholder engagement", "Budgeting"),
        ((PRIVATE, "Procurement analyst", "A national retailer", "4"),),
        (K.SECONDMENT_FULL, K.PROJECT),
        (HEALTH,),
        "Commissioner of community services; interested in joint commissioning with the NHS.",
    ),
    "data": Theme(
        ("Data analysis", "MI", "Population health", "SQL"),
        ((PRIVATE, "Insight analyst", "An energy supplier", "3"),),
        (K.PROJECT, K.SECONDMENT_FULL),
        (HEALTH, LG),
        "Analyst who likes questions that cross organisations.",
    ),
    "nursing": Theme(
        ("Clinical leadership", "Quality improvement", "Safeguarding children", "Coaching"),
        ((VOLUNTARY, "Volunteer coordinator", "A local hospice", "2"),),
        (K.SECONDMENT_PART, K.ROTATION),
        (LG, VOLUNTARY),
        "Nurse leader keen to understand social care and the voluntary sector.",
    ),
    "programme": Theme(
        ("Programme management", "Change management", "Stakeholder engagement", "Risk management"),
        ((CENTRAL, "Policy adviser", "Department for Education", "3"),),
        (K.SECONDMENT_FULL, K.PROJECT, K.ACTION_LEARNING),
        (HEALTH, LG),
        "Programme manager who has delivered change in central and local government.",
    ),
    "improvement": Theme(
        ("QI", "Data analysis", "Service design", "Facilitation"),
        ((PRIVATE, "Lean consultant", "A management consultancy", "5"),),
        (K.PROJECT, K.ROTATION),
        (LG, BLUE),
        "Improvement adviser; I want to try improvement methods outside the NHS.",
    ),
    "people": Theme(
        ("Workforce planning", "Coaching", "OD", "Mentoring"),
        ((EDUCATION, "Careers adviser", "A sixth form college", "3"),),
        (K.MENTORING, K.ACTION_LEARNING),
        (HEALTH, LG, VOLUNTARY),
        "People professional interested in careers that cross sectors.",
    ),
    "community": Theme(
        ("Community development", "Co-production", "Safeguarding", "Joint working"),
        ((VOLUNTARY, "Youth worker", "A youth charity", "4"),),
        (K.SHADOWING, K.SECONDMENT_PART),
        (LG, BLUE),
        "Community worker who wants to see how the police and the fire service work with "
        "communities.",
    ),
    "blue light": Theme(
        ("Risk management", "Emergency planning", "Community engagement", "Safeguarding"),
        ((PRIVATE, "Security supervisor", "A facilities company", "3"),),
        (K.SHADOWING, K.SECONDMENT_PART),
        (HEALTH, LG),
        "Fifteen years in the blue-light services; curious about prevention work in health.",
    ),
    "finance": Theme(
        ("Budget management", "Financial planning", "Commissioning", "Data analysis"),
        ((PRIVATE, "Audit associate", "An accountancy firm", "3"),),
        (K.PROJECT, K.SECONDMENT_FULL),
        (HEALTH,),
        "Finance business partner interested in pooled budgets.",
    ),
    "digital": Theme(
        ("Digital transformation", "Service design", "User research", "Project management"),
        ((PRIVATE, "Product owner", "A software company", "4"),),
        (K.PROJECT, K.ACTION_LEARNING),
        (HEALTH, LG, BLUE),
        "Digital lead; I want to work on services that span councils and the NHS.",
    ),
    "public health": Theme(
        ("Public health", "Data analysis", "Policy development", "Community engagement"),
        ((EDUCATION, "Research assistant", "A university", "2"),),
        (K.SHADOWING, K.PROJECT),
        (HEALTH, LG),
        "Public health practitioner who has worked in research and local government.",
    ),
}

# Profiles: organisation, theme, opted in. Sam Okafor (own staff) comes first, then staff of the
# partnership's members, by their place in each organisation's staff list.
PROFILES = (
    (BARNET, "social care", True), (BARNET, "data", True), (BARNET, "finance", False),
    (BRENT, "commissioning", True), (BRENT, "public health", True),
    (CAMDEN, "digital", True), (CAMDEN, "community", True),
    (EALING, "programme", True), (HARROW, "social care", True), (HILLINGDON, "people", False),
    (HOUNSLOW, "commissioning", True), (ISLINGTON, "improvement", True),
    (LNWH, "nursing", True), (LNWH, "improvement", True), (LNWH, "data", False),
    (IMPERIAL, "programme", True), (IMPERIAL, "nursing", True),
    (CNWL, "people", True), (ROYAL_FREE, "finance", True), (WHITTINGTON, "digital", True),
    (ICB_CODE, "data", True), (ICB_CODE, "commissioning", True), (ICB_CODE, "programme", False),
    (POLICE, "blue light", True), (POLICE, "community", True), (FIRE, "blue light", True),
    (CARERS, "community", True), (YOUTH, "people", True), (UNIVERSITY, "public health", True),
)  # fmt: skip

# Open opportunities: host, kind, title, description, months, time share, seniority, location
# (blank: remote), essential and desirable skills, audience (sectors or organisations).
OPENINGS = (
    (ICB_CODE, K.SECONDMENT_FULL, "Population health analyst (secondment)",
     "Join the ICB's population health team for a year to build the neighbourhood health "
     "profiles the boroughs and trusts plan with.", 12, 100, (3, 7), "",
     ("Data analysis", "Population health"), ("Management information",), ()),
    (IMPERIAL, K.ROTATION, "Rotation post: patient flow improvement",
     "An eight-month rotation in the hospital's flow team, testing changes at the front door.",
     8, 100, (2, 6), "St Mary's Hospital, Paddington", ("Quality improvement",),
     ("Data analysis",), ()),
    (POLICE, K.SHADOWING, "Shadow a neighbourhood policing team",
     "Four days with a safer neighbourhoods team: ward panels, problem-solving and referrals.",
     1, 20, (1, 9), "Wembley police station", ("Community engagement",), ("Risk management",),
     ()),
    (CAMDEN, K.PROJECT, "Stretch project: cost-of-living data dashboard",
     "One day a week for three months to build a dashboard partners can share.", 3, 20, (2, 7),
     "", ("Data analysis",), ("Service design", "User research"), ()),
    (FIRE, K.MENTORING, "Mentoring offer: leading operational teams",
     "A station manager mentors someone stepping up to lead a team, for six months.", 6, 5,
     (3, 6), "Euston fire station", ("Coaching",), ("Risk management",), ()),
    (UNIVERSITY, K.ACTION_LEARNING, "Action learning set: leading across boundaries",
     "Six monthly sets for managers leading work that crosses organisations.", 6, 5, (4, 8),
     "", ("Change management",), ("Facilitation",), ()),
    (CARERS, K.SECONDMENT_PART, "Carers' voice partnership officer (part-time secondment)",
     "Three days a week bringing carers into the design of hospital discharge.", 6, 60, (2, 6),
     "Kentish Town", ("Community engagement", "Co-production"), ("Stakeholder engagement",),
     (BRENT, EALING, CNWL)),
    (BRENT, K.SHADOWING, "Shadow the director of public health",
     "A week alongside Brent's director of public health and their team.", 1, 20, (4, 9),
     "Brent Civic Centre, Wembley", ("Public health",), ("Policy development",), ()),
    (CNWL, K.PROJECT, "Mental health crisis pathway review",
     "Map the crisis pathway with police, councils and people who have used it.", 4, 40, (3, 7),
     "", ("Quality improvement", "Mental health"), ("Co-production",), ()),
)  # fmt: skip

# The rotation scheme's round 1 posts: host, title, places.
ROTATION_POSTS = (
    (BARNET, "Adult social care transformation officer", 1),
    (LNWH, "Operational management trainee, emergency care", 1),
    (ICB_CODE, "Strategy and planning graduate", 2),
    (CAMDEN, "Policy and performance officer", 1),
    (POLICE, "Neighbourhood policing business support", 1),
    (IMPERIAL, "Service improvement graduate", 1),
)
ROTATION_HOMES = (BARNET, EALING, LNWH, ICB_CODE, CAMDEN, IMPERIAL, POLICE)

# Mentors: organisation, skills offered, mentees at once. Mentees: organisation, skills wanted,
# aspirations.
MENTORS = (
    (ICB_CODE, ("Programme management", "Stakeholder engagement"), 2),
    (LNWH, ("Clinical leadership", "Coaching"), 2),
    (BARNET, ("Safeguarding", "Case management"), 1),
    (POLICE, ("Risk management", "Community engagement"), 2),
    (IMPERIAL, ("Quality improvement", "Data analysis"), 1),
    (CAMDEN, ("Digital transformation", "Service design"), 2),
    (CARERS, ("Co-production", "Community engagement"), 1),
    (UNIVERSITY, ("Coaching", "Facilitation"), 3),
)
MENTEES = (
    (BRENT, ("Programme management",), "Lead my first cross-organisation programme"),
    (EALING, ("Data analysis",), "Move into analytics from operations"),
    (HARROW, ("Clinical leadership",), "Understand how clinical teams are led"),
    (LNWH, ("Community engagement",), "Work more closely with communities"),
    (RKL, ("Service design",), "Redesign a service with the people who use it"),
    (FIRE, ("Stakeholder engagement",), "Build relationships with health partners"),
    (YOUTH, ("Safeguarding",), "Strengthen safeguarding practice in a small charity"),
    (ISLINGTON, ("Quality improvement",), "Learn improvement methods"),
    (ROYAL_FREE, ("Coaching",), "Become a better coach to my team"),
    (HOUNSLOW, ("Risk management",), "Manage risk in a new role"),
)

# Recent leavers (for the leakage figures): organisation, days ago, destination, reason, and the
# partner they moved to.
LEAVERS = (
    (BARNET, 20, Destination.PARTNER, "Resignation", LNWH),
    (EALING, 45, Destination.PRIVATE, "Resignation", ""),
    (LNWH, 60, Destination.PARTNER, "Resignation", ICB_CODE),
    (IMPERIAL, 80, Destination.OTHER_PUBLIC, "Resignation", ""),
    (CAMDEN, 100, Destination.RETIRED, "Retirement", ""),
    (POLICE, 120, Destination.PRIVATE, "Resignation", ""),
    (ICB_CODE, 150, Destination.VOLUNTARY, "Resignation", ""),
    (BRENT, 170, Destination.PARTNER, "Resignation", CARERS),
    (CNWL, 200, Destination.EDUCATION, "Left to study", ""),
    (HARROW, 230, Destination.UNKNOWN, "End of fixed-term contract", ""),
    (ROYAL_FREE, 260, Destination.PRIVATE, "Resignation", ""),
    (FIRE, 290, Destination.RETIRED, "Retirement", ""),
    (HOUNSLOW, 320, Destination.OTHER_PUBLIC, "Resignation", ""),
)


# --- Finding the demo's people -------------------------------------------------------------------


def _persona(key: str, organisation: Organisation) -> Person | None:
    """The demo persona's person, found by name at their organisation."""
    given, family = next(p.name for p in PERSONAS if p.key == key).split(" ", 1)
    employment = (
        Employment.objects.current()
        .filter(organisation=organisation, person__given_name=given, person__family_name=family)
        .select_related("person")
        .first()
    )
    return employment.person if employment else None


class _Cast:
    """The demo's organisations and people the story is told with, each used once."""

    def __init__(self, partnership: Partnership, organisations: dict[str, Organisation]) -> None:
        self.partnership = partnership
        self.organisations = organisations
        grants = OrganisationRoleGrant.objects.filter(organisation__in=organisations.values())
        self.roles: dict[tuple[int, str], Person] = {}
        for grant in grants.select_related("person").order_by("pk"):
            self.roles.setdefault((grant.organisation_id, grant.role), grant.person)
        busy = set(grants.values_list("person_id", flat=True))
        busy |= set(PartnershipRoleGrant.objects.values_list("person_id", flat=True))
        busy |= set(
            Employment.objects.current()
            .filter(kind=EmploymentKind.JOINT_POST)
            .values_list("person_id", flat=True)
        )
        managers = set(
            Employment.objects.current()
            .exclude(line_manager=None)
            .values_list("line_manager__person_id", flat=True)
        )
        self.busy = busy
        self.managers = managers
        # People with more than one job in their history (a promotion, a move, a joint post).
        self.with_history = set(
            Employment.objects.values("person_id")
            .annotate(jobs=Count("pk"))
            .filter(jobs__gt=1)
            .values_list("person_id", flat=True)
        )
        self.used: set[int] = set()
        self.staff: dict[int, list[Employment]] = {}

    def org(self, key: str) -> Organisation:
        return self.organisations[key]

    def lead(self, key: str) -> Actor:
        """The organisation's L&D lead, acting for it."""
        organisation = self.org(key)
        return Actor(
            person=self.roles[(organisation.pk, OrganisationRole.LD_LEAD)],
            organisation=organisation,
        )

    def admin(self, key: str) -> Actor:
        organisation = self.org(key)
        return Actor(
            person=self.roles[(organisation.pk, OrganisationRole.ORG_ADMIN)],
            organisation=organisation,
        )

    def _staff(self, organisation: Organisation) -> list[Employment]:
        if organisation.pk not in self.staff:
            self.staff[organisation.pk] = list(
                Employment.objects.current()
                .filter(organisation=organisation, kind=EmploymentKind.PERMANENT)
                .exclude(person_id__in=self.busy)
                .exclude(seniority=None)
                .select_related("person", "organisation", "line_manager__person")
                .order_by("employee_number", "pk")
            )
        return self.staff[organisation.pk]

    def take(
        self,
        key: str,
        seniority: tuple[int, int] = (1, 9),
        *,
        from_end: bool = False,
        no_reports: bool = False,
        managed: bool = False,
        first_job: bool = False,
    ) -> Employment | None:
        """The next unused member of staff at the organisation within the seniority range."""
        staff = self._staff(self.org(key))
        for employment in reversed(staff) if from_end else staff:
            if employment.person_id in self.used:
                continue
            if not seniority[0] <= employment.seniority <= seniority[1]:
                continue
            if no_reports and employment.person_id in self.managers:
                continue
            if first_job and employment.person_id in self.with_history:
                continue
            if managed and (
                employment.line_manager is None or employment.line_manager.person_id in self.busy
            ):
                continue
            self.used.add(employment.person_id)
            return employment
        return None

    def actor(self, employment: Employment) -> Actor:
        return Actor(person=employment.person, organisation=employment.organisation)


# --- The story -----------------------------------------------------------------------------------


class _Story:
    def __init__(self, cast: _Cast, curator: Actor, today: dt.date) -> None:
        self.cast = cast
        self.curator = curator
        self.today = today
        self.created = {
            "talent skills": 0,
            "talent profiles": 0,
            "talent opportunities": 0,
            "talent applications": 0,
            "secondment agreements": 0,
            "rotation participants": 0,
            "rotation posts": 0,
            "mentoring sign-ups": 0,
            "talent leavers": 0,
        }

    def vocabulary(self) -> None:
        for name, description, synonyms in VOCABULARY:
            skill = profiles.add_skill(self.curator, self.cast.partnership, name, description)
            for synonym in synonyms:
                profiles.add_synonym(self.curator, skill, synonym)
            self.created["talent skills"] += 1

    def profile(self, employment: Employment, theme: Theme, opted_in: bool, **extra) -> None:
        actor = self.cast.actor(employment)
        profile = profiles.profile_for(employment.person, actor=actor)
        seniority = employment.seniority
        profiles.update_profile(
            actor,
            profile,
            headline=extra.pop("headline", f"{employment.job_title}, {employment.organisation}")[
                :200
            ],
            summary=theme.summary,
            aspiration_kinds=list(theme.kinds),
            aspiration_sectors=list(theme.sectors),
            aspiration_seniority_min=seniority,
            aspiration_seniority_max=min(9, seniority + 1),
            areas="North and west London",
            remote=len(self.cast.used) % 3 == 0,
            hours_per_week=extra.pop("hours_per_week", None),
            available_from=self.today + dt.timedelta(days=30),
            skills=list(theme.skills) + list(extra.pop("skills", ())),
            **extra,
        )
        for sector, role, organisation_name, years in theme.experience:
            profiles.add_experience(
                actor,
                profile,
                sector=sector,
                role=role,
                organisation_name=organisation_name,
                years=Decimal(years),
            )
        if opted_in:
            profiles.set_discoverable(actor, profile, True)
        self.created["talent profiles"] += 1

    def profiles(self, sam: Employment) -> None:
        self.profile(
            sam,
            THEMES["social care"],
            True,
            headline="Social worker in adult social care, Barnet",
            hours_per_week=Decimal("15"),
            skills=("Safeguarding adults",),
        )
        for key, theme, opted_in in PROFILES[1:]:
            employment = self.cast.take(key, (2, 7))
            if employment is not None:
                self.profile(employment, THEMES[theme], opted_in)

    def opportunity(self, host: Actor, **fields) -> Opportunity:
        opportunity = opportunities.create_opportunity(actor=host, **fields)
        self.created["talent opportunities"] += 1
        return opportunity

    def star(self, sam: Employment) -> Opportunity:
        """The part-time secondment at the trust that Sam is shown first."""
        return self.opportunity(
            self.cast.lead(LNWH),
            kind=K.SECONDMENT_PART,
            title=STAR_TITLE,
            description=(
                "Two days a week for six months in the hospital's integrated discharge team at "
                "Northwick Park, leading on safeguarding for people going home with care. Your "
                "council knowledge of care packages and safeguarding enquiries is what we need; "
                "you keep your job and your salary, the trust recharges your council."
            ),
            starts_on=self.today + dt.timedelta(days=75),
            duration_months=6,
            time_share=40,
            seniority_min=max(1, sam.seniority - 1),
            seniority_max=min(9, sam.seniority + 2),
            location="Northwick Park Hospital, Harrow",
            closes_on=self.today + dt.timedelta(days=35),
            audience=Audience.SECTORS,
            audience_sectors=[LG, VOLUNTARY],
            essential_skills=["Safeguarding", "Multi-agency working"],
            desirable_skills=["Case management", "Stakeholder engagement"],
        )

    def openings(self) -> list[Opportunity]:
        found = []
        for index, (host, kind, title, description, months, share, (low, high), location,
                    essential, desirable, chosen) in enumerate(OPENINGS):  # fmt: skip
            audience = {}
            if chosen:
                audience = {
                    "audience": Audience.ORGANISATIONS,
                    "audience_organisations": [self.cast.org(key).pk for key in chosen],
                }
            found.append(
                self.opportunity(
                    self.cast.lead(host),
                    kind=kind,
                    title=title,
                    description=description,
                    starts_on=self.today + dt.timedelta(days=60 + 7 * index),
                    duration_months=months,
                    time_share=share,
                    seniority_min=low,
                    seniority_max=high,
                    location=location,
                    remote=not location,
                    closes_on=self.today + dt.timedelta(days=21 + 3 * index),
                    essential_skills=list(essential),
                    desirable_skills=list(desirable),
                    **audience,
                )
            )
        # One that has closed to new applications.
        closed = self.opportunity(
            self.cast.lead(HOUNSLOW),
            kind=K.PROJECT,
            title="Hospital discharge data sharing agreement",
            description="Draft the data sharing agreement between the borough and its hospitals.",
            starts_on=self.today + dt.timedelta(days=30),
            duration_months=2,
            time_share=20,
            location="Hounslow House",
            closes_on=self.today + dt.timedelta(days=1),
            essential_skills=["Policy development"],
        )
        opportunities.close_opportunity(actor=self.cast.lead(HOUNSLOW), opportunity=closed)
        return found

    def applications(self, analyst_post: Opportunity) -> None:
        """Two people have applied for the ICB's analyst secondment; one is shortlisted."""
        host = self.cast.lead(ICB_CODE)
        for index, key in enumerate((EALING, ROYAL_FREE)):
            employment = self.cast.take(key, (3, 7))
            if employment is None:
                continue
            application = applications.apply(
                actor=self.cast.actor(employment),
                opportunity=analyst_post,
                statement=(
                    "I analyse our service data every week and would like a year working on "
                    "population health with the ICB."
                ),
            )
            self.created["talent applications"] += 1
            if index == 0:
                applications.shortlist(actor=host, application=application)

    def past_secondment(self) -> None:
        """A Harrow officer's six months at the ICB, ended and returned from."""
        employment = self.cast.take(HARROW, (3, 7), managed=True)
        if employment is None:
            return
        home, host = self.cast.lead(HARROW), self.cast.lead(ICB_CODE)
        starts = self.today - dt.timedelta(days=300)
        ends = rotations.add_months(starts, 6) - dt.timedelta(days=1)
        # The opportunity and the accepted offer lie wholly in the past, which the services
        # (dating everything from today) do not take: they are written as they were then.
        opportunity = Opportunity.objects.create(
            partnership=self.cast.partnership,
            host=host.organisation,
            kind=K.SECONDMENT_FULL,
            title=PAST_TITLE,
            description="Six months leading the joint commissioning of ageing well services.",
            seniority_min=3,
            seniority_max=7,
            starts_on=starts,
            duration_months=6,
            time_share=100,
            location="ICB offices, 15 Marylebone Road",
            closes_on=starts - dt.timedelta(days=30),
            status=OpportunityStatus.FILLED,
            contact=host.person,
            created_by=host.person,
            created_at=timezone.now() - dt.timedelta(days=360),
        )
        commissioning = skills.find(self.cast.partnership, ["Commissioning"])
        OpportunitySkill.objects.bulk_create(
            OpportunitySkill(opportunity=opportunity, skill=skill)
            for skill in commissioning.values()
        )
        application = Application.objects.create(
            opportunity=opportunity,
            applicant=employment.person,
            home_organisation=employment.organisation,
            home_employment=employment,
            statement="I commission Harrow's home care and want to do it jointly with health.",
            status=ApplicationStatus.ACCEPTED,
            created_at=timezone.now() - dt.timedelta(days=350),
        )
        self.created["talent opportunities"] += 1
        self.created["talent applications"] += 1
        agreement = agreements.draft_agreement(
            actor=host,
            application=application,
            starts_on=starts,
            ends_on=ends,
            salary_paid_by=SalaryPayer.HOME,
            recharge_amount=Decimal("24600.00"),
            objectives="Agree the joint ageing well specification and its pooled budget.",
            return_arrangements="Returns to their post in Harrow's commissioning team.",
        )
        manager = employment.line_manager
        agreements.release(
            actor=Actor(person=manager.person, organisation=manager.organisation),
            agreement=agreement,
            capacity=agreements.LINE_MANAGER,
        )
        agreements.release(actor=home, agreement=agreement, capacity=agreements.LD_LEAD)
        person = self.cast.actor(employment)
        for actor, party in ((person, SignatureParty.PERSON), (home, SignatureParty.HOME),
                             (host, SignatureParty.HOST)):  # fmt: skip
            agreements.sign(
                actor=actor,
                agreement=agreement,
                terms_version=agreement.terms_version,
                party=party,
                today=self.today,
            )
        agreements.run_secondment_dates(self.today)
        agreement.refresh_from_db()
        for actor, party, text in (
            (person, SignatureParty.PERSON, "I learnt how the NHS plans and pays for care."),
            (home, SignatureParty.HOME, "Came back with contacts across the ICB."),
            (host, SignatureParty.HOST, "The specification was agreed on time."),
        ):
            agreements.give_feedback(actor=actor, agreement=agreement, text=text, party=party)
        agreements.record_return(
            actor=home,
            agreement=agreement,
            returned_on=ends + dt.timedelta(days=1),
            note="Back in the commissioning team.",
        )
        self.created["secondment agreements"] += 1

    def rotation(self) -> None:
        lead = Actor(
            person=PartnershipRoleGrant.objects.get(
                partnership=self.cast.partnership, role=PartnershipRole.PARTNERSHIP_LEAD
            ).person,
            organisation=self.cast.org(ICB_CODE),
        )
        scheme = rotations.create_scheme(
            actor=lead,
            name=SCHEME_NAME,
            description=(
                "Two years, three placements of eight months in different organisations and "
                "sectors, for graduates joining any member of the partnership."
            ),
            rounds=3,
            placement_months=8,
            partnership=self.cast.partnership,
        )
        cohort = rotations.create_cohort(
            actor=lead,
            scheme=scheme,
            name=f"{self.today.year + 1} cohort",
            starts_on=self.today + dt.timedelta(days=90),
        )
        participants = []
        for key in ROTATION_HOMES:
            employment = self.cast.take(key, (1, 4))
            if employment is not None:
                participants.append(
                    (
                        rotations.add_participant(
                            actor=lead, cohort=cohort, email=employment.person.email
                        ),
                        self.cast.actor(employment),
                    )
                )
                self.created["rotation participants"] += 1
        first = cohort.rotation_rounds.get(number=1)
        posts = []
        for key, title, places in ROTATION_POSTS:
            posts.append(
                rotations.add_post(
                    actor=self.cast.lead(key),
                    rotation_round=first,
                    title=title,
                    description=f"A first placement at {self.cast.org(key).name}.",
                    capacity=places,
                )
            )
            self.created["rotation posts"] += 1
        for index, (participant, actor) in enumerate(participants):
            eligible = [post.pk for post in rotations.eligible_posts(participant, first)]
            turned = eligible[index % len(eligible) :] + eligible[: index % len(eligible)]
            rotations.set_preferences(
                actor=actor, participant=participant, rotation_round=first, post_ids=turned[:3]
            )
        for post in posts[:3]:
            ranked = [participant.pk for participant, _ in rotations.candidates_for(post)]
            rotations.set_host_ranking(
                actor=self.cast.lead(post.host.official_code or post.host.name),
                post=post,
                participant_ids=ranked,
            )

    def mentoring(self) -> None:
        for key, offered, capacity in MENTORS:
            employment = self.cast.take(key, (5, 9))
            if employment is not None:
                mentoring_services.sign_up(
                    actor=self.cast.actor(employment),
                    role=MentoringRole.MENTOR,
                    skills=list(offered),
                    aspirations="",
                    capacity=capacity,
                )
                self.created["mentoring sign-ups"] += 1
        for index, (key, wanted, aspirations) in enumerate(MENTEES):
            employment = self.cast.take(key, (1, 5))
            if employment is not None:
                mentoring_services.sign_up(
                    actor=self.cast.actor(employment),
                    role=MentoringRole.MENTEE,
                    skills=list(wanted),
                    aspirations=aspirations,
                    prefers_other_sector=index % 4 != 3,
                )
                self.created["mentoring sign-ups"] += 1

    def leavers(self) -> None:
        """Leavers of the past year with where they went, each recorded by their admin."""
        for key, days, destination, reason, moved_to in LEAVERS:
            employment = self.cast.take(key, from_end=True, no_reports=True, first_job=True)
            if employment is None:
                continue
            ended = self.today - dt.timedelta(days=days)
            if ended < employment.start_date:
                continue
            partner = self.cast.org(moved_to) if moved_to else None
            partnership_services.record_leaver(
                actor=self.cast.admin(key),
                employment=employment,
                end_date=ended,
                leaving_reason=reason,
                destination=destination,
                destination_organisation=partner,
            )
            if partner is not None:
                job, grade = _nearest_job(partner, employment.seniority)
                Employment.objects.create(
                    person=employment.person,
                    organisation=partner,
                    job_title=job,
                    grade=grade,
                    seniority=grade.seniority,
                    start_date=ended + dt.timedelta(days=1),
                    employee_number=f"T{employment.pk:06d}",
                )
            self.created["talent leavers"] += 1


def _nearest_job(organisation: Organisation, seniority: int) -> tuple[str, Grade]:
    """A post of the organisation's workforce at about the seniority, and its grade."""
    workforce = WORKFORCE_OF_KIND[organisation.kind]
    job = min(workforce.sampled_jobs, key=lambda job: abs(workforce.grades[job.grade] - seniority))
    return job.title, Grade.objects.get(organisation=organisation, name=job.grade)


# --- The mentoring lead --------------------------------------------------------------------------


def _mentoring_lead(partnership: Partnership, icb: Organisation, lead: Actor) -> int:
    """The partnership's coaching and mentoring lead at the ICB, a demo login; 1 when made."""
    person = Person.objects.filter(email=MENTORING_LEAD_EMAIL).first()
    made = 0
    if person is None:
        person = Person.objects.create(
            email=MENTORING_LEAD_EMAIL,
            given_name="Morgan",
            family_name="Osei",
            password=make_password(DEMO_PASSWORD),
        )
        grade = (
            Grade.objects.filter(organisation=icb, name="Band 8a").first()
            or Grade.objects.filter(organisation=icb).order_by("-seniority").first()
        )
        Employment.objects.create(
            person=person,
            organisation=icb,
            employee_number="T000001",
            work_email=MENTORING_LEAD_EMAIL,
            job_title="Coaching and mentoring lead",
            grade=grade,
            seniority=grade.seniority if grade else 6,
            start_date=dt.date(2024, 9, 2),
        )
        made = 1
    partnership_services.grant_partnership_role(
        actor=lead, partnership=partnership, person=person, role=PartnershipRole.MENTORING_LEAD
    )
    return made


def logins() -> list[DemoLogin]:
    """The talent story's extra sign-in: the partnership's mentoring lead."""
    person = Person.objects.filter(email=MENTORING_LEAD_EMAIL).first()
    job = (
        Employment.objects.current().filter(person=person).select_related("organisation").first()
        if person
        else None
    )
    if job is None:
        return []
    return [DemoLogin(MENTORING_LEAD_LABEL, person.email, DEMO_PASSWORD, job.organisation.name)]


def load() -> dict[str, int]:
    """Tell the talent story once; return the rows it created (nothing the second time)."""
    partnership = Partnership.objects.filter(name=PARTNERSHIP).first()
    if partnership is None:
        return {}
    members = Organisation.objects.filter(
        pk__in=open_memberships().filter(partnership=partnership).values("organisation")
    )
    organisations = {o.official_code or o.name: o for o in members}
    wanted = {key for key, _, _ in PROFILES} | {BARNET, LNWH, ICB_CODE, RKL}
    if not wanted <= organisations.keys():
        return {}
    lead_grant = PartnershipRoleGrant.objects.filter(
        partnership=partnership, role=PartnershipRole.PARTNERSHIP_LEAD
    ).first()
    sam = _persona("own_staff", organisations[BARNET])
    if lead_grant is None or sam is None:
        return {}
    lead = Actor(person=lead_grant.person, organisation=organisations[ICB_CODE])
    created = {"mentoring leads": _mentoring_lead(partnership, organisations[ICB_CODE], lead)}
    if Opportunity.objects.filter(host=organisations[LNWH], title=STAR_TITLE).exists():
        return created
    cast = _Cast(partnership, organisations)
    sam_job = Employment.objects.current().filter(person=sam, organisation=organisations[BARNET])
    sam_job = sam_job.select_related("person", "organisation").first()
    cast.used.add(sam.pk)
    story = _Story(cast, lead, timezone.localdate())
    # The services tell people by e-mail as they go; the demo's fictional staff need no mail.
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend", NOTIFY_API_KEY=""
    ):
        story.vocabulary()
        story.profiles(sam_job)
        story.star(sam_job)
        opened = story.openings()
        story.applications(opened[0])
        story.past_secondment()
        story.rotation()
        story.mentoring()
        story.leavers()
    return created | story.created
