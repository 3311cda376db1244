"""The demo's apprenticeships story, loaded by `joinedup demo` through the app demo hook."""

from __future__ import annotations

from joinedup.apprenticeships import access, enrolments
from joinedup.apprenticeships.demo_data import (
    BARNET,
    ILLUSTRATIVE,
    LEADER_LABEL,
    TITLE,
    TUTOR_LABEL,
    UNIVERSITY,
    load,
    suggested,
)
from joinedup.apprenticeships.models import (
    Enrolment,
    EnrolmentStatus,
    FundingRoute,
    Party,
    Programme,
    Standard,
)
from joinedup.levy.models import EntryKind, LedgerEntry
from joinedup.partnership.actor import Actor
from joinedup.partnership.demo_plan import DEMO_PASSWORD
from joinedup.partnership.models import (
    Employment,
    Organisation,
    OrganisationRole,
    OrganisationRoleGrant,
    Person,
)


def login_of(demo, label: str) -> Person:
    email = next(login.email for login in demo.logins if login.persona == label)
    return Person.objects.get(email=email)


def actor_of(person: Person) -> Actor:
    job = Employment.objects.current().filter(person=person).select_related("organisation").first()
    return Actor(person=person, organisation=job.organisation)


def test_the_university_runs_the_senior_leader_programme_with_two_cohorts(demo, db):
    programme = Programme.objects.get(title=TITLE, provider__name=UNIVERSITY)
    assert programme.standard.reference_code == "ST0480"
    modules = list(programme.modules.order_by("order"))
    assert [(m.online_weeks, m.campus_days) for m in modules] == [(6, 2)] * 6
    assert [m.term for m in modules] == ["autumn", "spring", "summer"] * 2
    assert all(m.assignments.count() == 1 for m in modules)
    leader, tutor = login_of(demo, LEADER_LABEL), login_of(demo, TUTOR_LABEL)
    assert {(s.person_id, s.role) for s in programme.staff.all()} == {
        (leader.pk, "leader"),
        (tutor.pk, "tutor"),
    }
    for person, role in (
        (leader, OrganisationRole.PROGRAMME_LEADER),
        (tutor, OrganisationRole.PRACTICE_TUTOR),
    ):
        assert person.check_password(DEMO_PASSWORD)
        assert OrganisationRoleGrant.objects.filter(
            person=person, organisation__name=UNIVERSITY, role=role
        ).exists()
    cohorts = {c.name: c for c in programme.cohorts.all()}
    assert set(cohorts) == {"September 2026", "January 2027"}
    for cohort in cohorts.values():
        assert cohort.module_dates.count() == 6 and cohort.deadlines.count() == 6
    assert not cohorts["January 2027"].enrolments.exists()
    standard = Standard.objects.get(reference_code="ST0480")
    assert standard.source == ILLUSTRATIVE and standard.off_the_job_hours
    assert standard.ksbs.count() >= 5 and not standard.ksbs.filter(illustrative=False).exists()


def test_barnet_has_one_levy_funded_and_one_privately_funded_apprentice(demo, db):
    found = Enrolment.objects.filter(cohort__name="September 2026", employer__official_code=BARNET)
    levy = found.get(funding_route=FundingRoute.LEVY)
    private = found.get(funding_route=FundingRoute.PRIVATE)
    assert "Level 7 rule" in private.funding_reason
    assert "care leaver" in levy.eligibility_reason
    # Fully signed and active, with its levy commitment and the payments due so far posted.
    statement = levy.commitment_statements.get()
    assert set(statement.signatures.values_list("party", flat=True)) == set(Party.values)
    assert levy.status == EnrolmentStatus.ACTIVE and levy.levy_commitment is not None
    posted = LedgerEntry.objects.filter(
        account=levy.levy_account, kind=EntryKind.PAYMENT, label__startswith=levy.reference
    )
    # From September to this month, each paid from Barnet's levy (this year's funds).
    assert posted.count() >= 3 and all(entry.amount < 0 for entry in posted)
    # The private one waits for the employer and the provider; nothing goes to the ledger.
    statement = private.commitment_statements.get()
    assert list(statement.signatures.values_list("party", flat=True)) == [Party.APPRENTICE]
    assert private.status == EnrolmentStatus.AWAITING_COMMITMENT
    assert private.levy_commitment is None
    # The programme leader (a printed login) signs for the provider; the tutor sees no
    # eligibility facts.
    leader = actor_of(login_of(demo, LEADER_LABEL))
    assert access.party_of(leader, private) == Party.PROVIDER
    assert not access.may_see_eligibility(actor_of(login_of(demo, TUTOR_LABEL)), levy)


def test_a_visitor_can_find_the_two_suggested_staff_by_work_email(demo, db):
    barnet = Organisation.objects.get(official_code=BARNET)
    lead = actor_of(login_of(demo, "Own L&D lead"))
    staff = suggested(barnet)
    assert len(staff) == 2
    for employment in staff:
        assert enrolments.find_apprentice(lead, employment.work_email) == employment


def test_loading_again_changes_nothing(demo, db):
    assert load() == {}
