"""Issue 10's "Done when" through the services, in one journey: apprentices from a council and a
trust on one cohort log time and evidence against the KSBs, a late feedback is flagged on the
right working day, a review is signed by all three, the gateway passes and the end-point
assessment is recorded, with the completion payment visible to the employer.

The cohort started on 1 September 2026, on the programme the access scene makes (one module, one
assignment); its standard here has two KSBs, 6 off-the-job hours and a £14,000 funding band. The
council's apprentice is levy funded, so their completion payment is in the schedule. Dates the
rules count from are fixed; steps that must happen "today" (reviews held, agreements, the
assessment) happen on the day the test runs, which is after the start.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.apprenticeships import (
    assessments,
    deadline_dashboard,
    gateway,
    off_the_job,
    payments,
    portfolio,
    projects,
    reviews,
    submissions,
)
from joinedup.apprenticeships.models import (
    Enrolment,
    EnrolmentStatus,
    FundingRoute,
    Grade,
    Ksb,
    KsbKind,
    Programme,
    Standard,
)
from joinedup.apprenticeships.projects import PlannedMilestone
from joinedup.levy.models import CommitmentStatus
from joinedup.levy.tests.factories import LevyAccountFactory
from joinedup.partnership.actor import Actor
from joinedup.partnership.tests.factories import EmploymentFactory
from tests.access import apprenticeships_scene

pytestmark = pytest.mark.django_db

START = dt.date(2026, 9, 1)
# Submitted on Friday 18 December 2026: Christmas Day (Friday), Boxing Day's substitute (Monday
# 28 December) and New Year's Day (Friday) do not count, so the 15th working day is Wednesday
# 13 January 2027; feedback given after it is late.
SUBMITTED = dt.date(2026, 12, 18)
FEEDBACK_DUE = dt.date(2027, 1, 13)


@pytest.fixture
def cohort_of_two(world) -> tuple[Enrolment, Enrolment]:
    """The council's apprentice (levy funded, payments started) and the trust's, on one cohort
    of the trust's programme."""
    council = apprenticeships_scene.enrolment(
        world,
        "own",
        status=EnrolmentStatus.ACTIVE,
        status_on=START,
        start_on=START,
        funding_route=FundingRoute.LEVY,
        levy_account=LevyAccountFactory(organisation=world.own),
        required_off_the_job_hours=6,
        planned_off_the_job_hours=6,
    )
    trust = apprenticeships_scene.enrolment(
        world,
        "partner",
        cohort=council.cohort,
        status=EnrolmentStatus.ACTIVE,
        status_on=START,
        start_on=START,
        line_manager=world.person("partner_admin"),
        required_off_the_job_hours=6,
        planned_off_the_job_hours=6,
    )
    standard = Standard.objects.create(
        reference_code="ST9902",
        title="Journey Leader",
        level=7,
        off_the_job_hours=6,
        funding_band=Decimal(14000),
    )
    for code, kind, description in (
        ("K1", KsbKind.KNOWLEDGE, "Strategy"),
        ("S1", KsbKind.SKILL, "Leading change"),
    ):
        Ksb.objects.create(
            standard=standard, code=code, kind=kind, number=1, description=description
        )
    Programme.objects.filter(pk=council.cohort.programme_id).update(standard=standard)
    payments.start(council, actor=None)
    for enrolment in (council, trust):
        reviews.schedule(enrolment)
    return (
        Enrolment.objects.get(pk=council.pk),
        Enrolment.objects.get(pk=trust.pk),
    )


def people(world, enrolment: Enrolment) -> dict[str, Actor]:
    """Who acts on the enrolment: its apprentice, line manager, employer's L&D lead, tutor and
    the provider's programme leader."""
    council = enrolment.employer_id == world.own.pk
    return {
        "apprentice": world.actor("apprentice" if council else "partner_staff"),
        "manager": world.actor("own_line_manager" if council else "partner_admin"),
        "employer": world.actor("own_ld_lead" if council else "partner_ld_lead"),
        "tutor": world.actor("practice_tutor"),
        "leader": world.actor("programme_leader"),
    }


def log_and_evidence(enrolment: Enrolment, who: dict[str, Actor]) -> None:
    """Six hours of off-the-job time and a written account of both KSBs, each checked."""
    ksbs = list(Ksb.objects.filter(standard=enrolment.cohort.programme.standard))
    entry = off_the_job.log_entry(
        actor=who["apprentice"],
        enrolment=enrolment,
        on=START + dt.timedelta(days=30),
        hours=Decimal(6),
        activity="project_work",
        ksb_ids=[ksb.pk for ksb in ksbs],
        reflection="Mapped the services we share",
    )
    off_the_job.check_entry(actor=who["tutor"], entry=entry, decision="accept")
    evidence = portfolio.add_evidence(
        actor=who["apprentice"],
        enrolment=enrolment,
        title="Leading the merger of two teams",
        kind="text",
        ksbs=[ksb.pk for ksb in ksbs],
        text="How I set the strategy and led the change.",
    )
    portfolio.check_evidence(actor=who["tutor"], evidence=evidence, decision=portfolio.SIGN_OFF)


def review_signed_by_all_three(enrolment: Enrolment, who: dict[str, Actor]) -> None:
    review = enrolment.reviews.get(number=1)
    reviews.record(
        actor=who["tutor"],
        review=review,
        held_on=timezone.localdate(),
        progress="Module 1 passed",
        actions="Scope the project",
        off_the_job_check="6 hours verified",
    )
    for party in ("apprentice", "manager", "tutor"):
        reviews.sign(actor=who[party], review=enrolment.reviews.get(number=1))
    assert enrolment.reviews.get(number=1).fully_signed_at is not None


def project_signed_off(enrolment: Enrolment, who: dict[str, Actor]) -> None:
    project = projects.propose(
        actor=who["apprentice"],
        enrolment=enrolment,
        title="A shared leadership academy",
        scope="Propose a leadership academy shared across the place.",
        sponsor=who["manager"].person,
        starts_on=START,
        milestones=[PlannedMilestone(1, "Interview the directors")],
    )
    projects.approve(actor=who["tutor"], project=project)
    projects.submit(actor=who["apprentice"], project=project, summary="Go ahead.")
    projects.sign_off(actor=who["manager"], project=project, comment="Agreed.")


def test_a_council_and_a_trust_apprentice_go_from_logging_time_to_completion(
    world, client_for, cohort_of_two
):
    council, trust = cohort_of_two
    assessor = EmploymentFactory(organisation=world.icb).person
    assignment = council.cohort.programme.modules.get().assignments.get()
    for enrolment in (council, trust):
        who = people(world, enrolment)
        log_and_evidence(enrolment, who)

        # The assignment, submitted before Christmas, is marked after its feedback was due.
        submission = submissions.submit(
            actor=who["apprentice"],
            enrolment=enrolment,
            assignment=assignment,
            text="My reflective essay",
            today=SUBMITTED,
        )
        assert submission.feedback_due_on == FEEDBACK_DUE
        overdue = deadline_dashboard.overdue_feedback(who["leader"], FEEDBACK_DUE)
        assert submission not in overdue
        assert not submissions.feedback_is_late(submission, FEEDBACK_DUE)
        day_after = FEEDBACK_DUE + dt.timedelta(days=1)
        assert submission in deadline_dashboard.overdue_feedback(who["leader"], day_after)
        assert submission in deadline_dashboard.overdue_feedback(who["tutor"], day_after)
        submissions.mark(
            actor=who["tutor"],
            submission=submission,
            grade=Grade.PASS,
            feedback="A clear case",
            today=day_after,
        )
        submission.refresh_from_db()
        assert submissions.feedback_is_late(submission, day_after)

        review_signed_by_all_three(enrolment, who)
        project_signed_off(enrolment, who)

        # Both parties agree; every gateway item is met.
        assert gateway.check(enrolment).ready
        gateway.agree(actor=who["employer"], enrolment=enrolment)
        gateway.agree(actor=who["leader"], enrolment=enrolment)
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.AT_GATEWAY
        assert gateway.check(enrolment).passed

        # The independent assessor at the ICB records a pass: the apprenticeship is complete.
        booked = assessments.book(
            actor=who["leader"],
            enrolment=enrolment,
            assessor=assessor,
            assessment_organisation="Skills Assess Ltd",
            assessment_on=timezone.localdate(),
        )
        assessments.record_results(
            actor=Actor(person=assessor, organisation=world.icb),
            assessment=booked,
            presentation_result=Grade.PASS,
            discussion_result=Grade.MERIT,
            overall_grade=Grade.PASS,
        )
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.COMPLETED

    # The council's levy commitment is complete and its L&D lead sees the completion payment.
    assert council.levy_commitment.status == CommitmentStatus.COMPLETED
    completion = [row for row in payments.schedule_rows(council) if "Completion" in row.label]
    assert [row.label for row in completion] == ["Completion payment"]
    assert completion[0].amount == Decimal("2800.00000")  # 20% of the £14,000 band
    page = client_for("own_ld_lead").get(reverse("apprenticeships:enrolment", args=[council.pk]))
    assert "Completion payment" in page.content.decode()
