"""The demo's apprenticeships: the University of North Thames's Senior Leader programme (ST0480)
and Barnet's first two apprentices on it, one levy-funded and one privately funded.

`joinedup demo` calls `load()` after the partnership, levy and network demos exist (the app demo
hook). Everything is written through the services (one audit entry each); the programme is the
marker, so running the demo again changes nothing.

The story to try (`logins()` adds the university's programme leader and practice tutor):
- ST0480 has an off-the-job figure and a handful of KSBs marked illustrative (not the published
  ones). The programme has six blended modules (six weeks online, then two days on campus; one
  each autumn, spring and early summer over two years), each with an assignment.
- Cohort "September 2026" has started. Barnet's L&D lead (Lee Fraser) enrolled Sam Okafor, a care
  leaver aged 23 at the start: levy-funded from Barnet's account. All three have signed, so it is
  active, its levy commitment exists and the payments due so far are posted: Barnet's levy officer
  (Lev Patel) sees them in the ledger. The second apprentice, aged 40, is privately funded under
  the Level 7 rule; only the apprentice has signed: sign as Barnet's L&D lead, then as the
  programme leader, to start it.
- Cohort "January 2027" is empty: Barnet's L&D lead can enrol two more staff (`SUGGESTED`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.test.utils import override_settings
from django.utils import timezone

from joinedup.levy import declarations
from joinedup.levy import services as levy_services
from joinedup.levy.demo_data import BARNET_SCHEME, MONTHLY_LEVY, submitted_on
from joinedup.levy.models import LevyAccount
from joinedup.partnership import services as partnership_services
from joinedup.partnership.access import find_current_staff
from joinedup.partnership.actor import Actor
from joinedup.partnership.demo import QUIET, DemoLogin
from joinedup.partnership.demo_plan import DEMO_PASSWORD, PARTNERSHIP, PERSONAS
from joinedup.partnership.models import (
    Employment,
    Grade,
    Organisation,
    OrganisationRole,
    OrganisationRoleGrant,
    Partnership,
    Person,
)

from . import (
    demo_assessments,
    demo_assignments,
    demo_buddies,
    demo_calendar,
    demo_gateway,
    demo_off_the_job,
    demo_portfolio,
    demo_reviews,
    enrolments,
    programmes,
    standards,
    statements,
)
from .models import Enrolment, Programme, ProgrammeRole, Standard, Term

BARNET = "E09000003"
UNIVERSITY = "University of North Thames"
CODE = "ST0480"
TITLE = "Senior Leader apprenticeship"
ILLUSTRATIVE = "Illustrative for the demo, not the published figure"
OFF_THE_JOB_HOURS = 460
PRICE = Decimal("14000.00")
HOURS_PER_WEEK = Decimal("37.00")
LEADER_LABEL = "Provider programme leader (University of North Thames)"
TUTOR_LABEL = "Provider practice tutor (University of North Thames)"
# (e-mail, given name, family name, job title, role)
LEADER = ("hana.osei@unt.example", "Hana", "Osei", "Senior Leader programme leader")
TUTOR = ("tom.riley@unt.example", "Tom", "Riley", "Practice tutor, leadership apprenticeships")
STAFF_STARTED = dt.date(2024, 9, 1)

KSBS = (
    ("K1", "How to shape an organisation's vision and strategy with partners (illustrative)."),
    ("K2", "Approaches to leading change across organisations (illustrative)."),
    ("S1", "Build and lead teams across organisational boundaries (illustrative)."),
    ("S2", "Use evidence and data to make strategic decisions (illustrative)."),
    ("B1", "Works inclusively and champions diversity (illustrative)."),
    ("B2", "Acts with integrity and openness in decisions (illustrative)."),
)
# (title, term, assignment title, weighting)
MODULES = (
    ("Leading strategy in public services", Term.AUTUMN, "Strategic analysis report"),
    ("Leading people and stakeholders", Term.SPRING, "Stakeholder mapping and plan"),
    ("Finance and resources for leaders", Term.SUMMER, "Business case"),
    ("Leading change across organisations", Term.AUTUMN, "Change proposal"),
    ("Data, evidence and decisions", Term.SPRING, "Evidence review"),
    ("Leading for the future", Term.SUMMER, "Reflective portfolio"),
)
# The first day of each module's online weeks, by cohort.
COHORTS = {
    "September 2026": (
        dt.date(2026, 9, 7),
        dt.date(2028, 8, 31),
        (
            dt.date(2026, 9, 14), dt.date(2027, 1, 11), dt.date(2027, 4, 19),
            dt.date(2027, 9, 13), dt.date(2028, 1, 10), dt.date(2028, 4, 17),
        ),
    ),
    "January 2027": (
        dt.date(2027, 1, 4),
        dt.date(2028, 12, 22),
        (
            dt.date(2027, 1, 11), dt.date(2027, 4, 19), dt.date(2027, 9, 13),
            dt.date(2028, 1, 10), dt.date(2028, 4, 17), dt.date(2028, 9, 11),
        ),
    ),
}  # fmt: skip
ONLINE_WEEKS, CAMPUS_DAYS = 6, 2
# Birth dates: a care leaver aged 23 at the start (levy-funded); an apprentice aged 40 (private).
LEVY_BORN = dt.date(2003, 5, 20)
PRIVATE_BORN = dt.date(1986, 2, 10)


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


def _role_holder(organisation: Organisation, role: str) -> Person | None:
    grant = OrganisationRoleGrant.objects.filter(organisation=organisation, role=role).first()
    return grant.person if grant else None


def barnet_staff(barnet: Organisation, count: int) -> list[Employment]:
    """Barnet staff who play no other part (no persona, no role, not the head), with a work
    e-mail and a line manager: the second apprentice, then the visitor's suggestions."""
    names = [p.name.split(" ", 1) for p in PERSONAS if p.organisation == BARNET]
    personas = Person.objects.none()
    for given, family in names:
        personas = personas | Person.objects.filter(given_name=given, family_name=family)
    roles = OrganisationRoleGrant.objects.filter(organisation=barnet).values("person_id")
    return list(
        Employment.objects.current()
        .filter(organisation=barnet, line_manager__isnull=False)
        .exclude(work_email="")
        .exclude(person__in=personas)
        .exclude(person_id__in=roles)
        .exclude(person__enrolments__isnull=False)
        .select_related("person", "line_manager__person")
        .order_by("id")[:count]
    )


def suggested(barnet: Organisation) -> list[Employment]:
    """Two staff a visitor may enrol on the January 2027 cohort (found by work e-mail)."""
    return barnet_staff(barnet, 2)


def _provider_staff(admin: Actor, details: tuple[str, str, str, str], role: str) -> Person:
    """A member of the university's staff with the role (added and granted by its admin)."""
    email, given, family, job = details
    employment = find_current_staff(admin.organisation, email)
    if employment is None:
        employment = partnership_services.add_person(
            actor=admin,
            email=email,
            given_name=given,
            family_name=family,
            job_title=job,
            start_date=STAFF_STARTED,
            grade=Grade.objects.filter(organisation=admin.organisation, seniority__lte=7)
            .order_by("-seniority")
            .first(),
        )
    person = employment.person
    partnership_services.grant_organisation_role(actor=admin, person=person, role=role)
    # Demo staff who are not personas cannot sign in otherwise; these tell the story.
    person.password = make_password(DEMO_PASSWORD)
    person.save(update_fields=["password"])
    return person


def _standard(leader: Actor) -> Standard:
    standard = Standard.objects.get(reference_code=CODE)
    standards.update_standard(
        actor=leader,
        standard=standard,
        level=standard.level or 7,
        version=standard.version or "1.0",
        typical_duration_months=standard.typical_duration_months,
        funding_band=standard.funding_band,
        off_the_job_hours=OFF_THE_JOB_HOURS,
        assessment_methods=standard.assessment_methods,
        grades=standard.grades,
        source=ILLUSTRATIVE,
    )
    taken = set(standard.ksbs.values_list("code", flat=True))
    for code, description in KSBS:
        if code not in taken:
            standards.add_ksb(
                actor=leader, standard=standard, code=code, description=description,
                illustrative=True,
            )  # fmt: skip
    return standard


def _programme(leader: Actor, partnership: Partnership, standard: Standard) -> Programme:
    programme = programmes.create_programme(
        actor=leader,
        standard=standard,
        title=TITLE,
        summary="A two-year Level 7 programme of six blended modules: six weeks online, then "
        "two days on campus; one module each autumn, spring and early summer. Apprentices from "
        "several partners learn together.",
        partnership=partnership,
    )
    for title, term, assignment in MODULES:
        module = programmes.add_module(
            actor=leader,
            programme=programme,
            title=title,
            online_weeks=ONLINE_WEEKS,
            campus_days=CAMPUS_DAYS,
            term=term,
        )
        programmes.add_assignment(
            actor=leader,
            module=module,
            title=assignment,
            brief=f"A 4,000-word {assignment.lower()} drawing on your own organisation.",
            weighting=100,
        )
    programmes.name_staff(
        actor=leader, programme=programme, email=LEADER[0], role=ProgrammeRole.LEADER
    )
    programmes.name_staff(
        actor=leader, programme=programme, email=TUTOR[0], role=ProgrammeRole.TUTOR
    )
    modules = list(programme.modules.order_by("order").prefetch_related("assignments"))
    for name, (starts, ends, firsts) in COHORTS.items():
        campus = {
            m.pk: first + dt.timedelta(weeks=ONLINE_WEEKS)
            for m, first in zip(modules, firsts, strict=True)
        }
        programmes.create_cohort(
            actor=leader,
            programme=programme,
            name=name,
            starts_on=starts,
            ends_on=ends,
            module_starts={m.pk: first for m, first in zip(modules, firsts, strict=True)},
            campus_from=campus,
            deadlines={
                a.pk: campus[m.pk] + dt.timedelta(weeks=4)
                for m in modules
                for a in m.assignments.all()
            },
        )
    return programme


def _enrol(lead: Actor, programme: Programme, employment: Employment, tutor: Person, **facts):
    cohort = programme.cohorts.get(name="September 2026")
    starts, ends, _ = COHORTS[cohort.name]
    return enrolments.enrol(
        actor=lead,
        cohort=cohort,
        employment=employment,
        line_manager=None,
        practice_tutor=tutor,
        start_on=starts,
        planned_end_on=ends,
        price=PRICE,
        hours_per_week=HOURS_PER_WEEK,
        ehc_plan=False,
        levy_account=enrolments.employer_account(lead.organisation),
        transfer_from=None,
        **facts,
    )


def _this_years_levy(officer: Actor, account: LevyAccount, today: dt.date) -> None:
    """Barnet's 2026-27 declarations so far (as its levy officer imports them), so this year's
    funds pay for the apprenticeship rather than co-investment alone."""
    monthly = MONTHLY_LEVY[(BARNET_SCHEME, "25-26")]
    number = BARNET_SCHEME.split("/")[1]
    lines = ["id,scheme,payroll_year,payroll_month,levy_due_ytd,submitted_at"]
    for month in range(1, 13):
        sent = submitted_on("26-27", month)
        if sent > today:
            break
        lines.append(
            f"EPS-{number}-26-27-{month:02d},{BARNET_SCHEME},26-27,{month},"
            f"{monthly * month:.2f},{sent.isoformat()}"
        )
    if len(lines) > 1:
        declarations.import_declarations(
            actor=officer,
            account=account,
            file_name="levy-declarations-083-LBB0001-26-27.csv",
            data=("\n".join(lines) + "\n").encode(),
        )


def _sign(enrolment: Enrolment, actors: list[Actor]) -> None:
    statement = enrolment.commitment_statements.order_by("-version").first()
    for actor in actors:
        statements.sign(actor=actor, statement=statement)


def load() -> dict[str, int]:
    """Tell the apprenticeships story once; return the rows it created (nothing the second time)."""
    partnership = Partnership.objects.filter(name=PARTNERSHIP).first()
    university = Organisation.objects.filter(name=UNIVERSITY).first()
    barnet = Organisation.objects.filter(official_code=BARNET).first()
    if None in (partnership, university, barnet) or not Standard.objects.filter(
        reference_code=CODE
    ):
        return {}
    if Programme.objects.filter(provider=university, title=TITLE).exists():
        return {}
    admin = _role_holder(university, OrganisationRole.ORG_ADMIN)
    lee = _persona("own_ld_lead", barnet)
    sam = _persona("own_staff", barnet)
    officer = _persona("own_levy_officer", barnet)
    account = LevyAccount.objects.filter(organisation=barnet).first()
    others = barnet_staff(barnet, 1)
    if None in (admin, lee, sam, officer, account) or not others:
        return {}
    with override_settings(**QUIET):
        admin_actor = Actor(person=admin, organisation=university)
        leader = Actor(
            person=_provider_staff(admin_actor, LEADER, OrganisationRole.PROGRAMME_LEADER),
            organisation=university,
        )
        tutor = _provider_staff(admin_actor, TUTOR, OrganisationRole.PRACTICE_TUTOR)
        programme = _programme(leader, partnership, _standard(leader))
        lead = Actor(person=lee, organisation=barnet)
        sam_job = Employment.objects.current().get(organisation=barnet, person=sam)
        levy = _enrol(lead, programme, sam_job, tutor, date_of_birth=LEVY_BORN, care_leaver=True)
        private = _enrol(
            lead, programme, others[0], tutor, date_of_birth=PRIVATE_BORN, care_leaver=False
        )
        _sign(levy, [Actor(person=sam, organisation=barnet), lead, leader])
        _sign(private, [Actor(person=others[0].person, organisation=barnet)])
        demo_reviews.load(enrolment=levy, tutor=tutor)
        demo_calendar.load(leader=leader)
        demo_off_the_job.load(enrolment=levy, tutor=tutor)
        demo_gateway.load(enrolment=levy, tutor=tutor)
        demo_assignments.load(enrolment=levy, tutor=tutor)
        demo_portfolio.load(enrolment=levy, tutor=tutor)
        demo_assessments.load(leader=leader)
        demo_buddies.load(programme=programme, leader=leader, tutor=tutor)
        today = timezone.localdate()
        _this_years_levy(Actor(person=officer, organisation=barnet), account, today)
        posted = levy_services.post_due_entries(account, today)
    return {
        "apprenticeship programmes": 1,
        "apprenticeship cohorts": 2,
        "apprenticeship enrolments": 2,
        "levy ledger entries (apprenticeships)": len(posted),
    }


def logins() -> list[DemoLogin]:
    """The story's extra sign-ins: the university's programme leader and practice tutor."""
    found = []
    for label, (email, *_rest) in ((LEADER_LABEL, LEADER), (TUTOR_LABEL, TUTOR)):
        if Person.objects.filter(email=email).exists():
            found.append(DemoLogin(label, email, DEMO_PASSWORD, UNIVERSITY))
    return found + demo_assessments.logins()
