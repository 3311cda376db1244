"""An apprenticeship's evidence of progress in Chromium, from logging time to the gateway.

Given the council's apprentice active on the partner trust's programme (a standard of two KSBs,
6 off-the-job hours required and planned, started 13 weeks ago so review 1 is due), in the browser:
the apprentice logs off-the-job time and sees it awaiting the tutor, who verifies it, and the
on-track status shows its numbers; the apprentice adds portfolio evidence for both KSBs, the tutor
signs it off and the coverage grid has no gaps; the tutor records progress review 1 and the
apprentice, the line manager and the tutor sign it in turn; the apprentice submits the assignment
and the tutor marks it a pass. The workplace project (proposed, approved, submitted and signed off
by its sponsor, the line manager) is set up through the `projects` services. Then the employer's
L&D lead and the provider's programme leader agree on the gateway page, which shows every item met,
and the enrolment is at the gateway. Every page visited is checked with axe.

Dates are relative to today (Europe/London) so the numbers shown are the same on any day.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from joinedup.apprenticeships import projects, reference, reviews
from joinedup.apprenticeships.models import (
    Enrolment,
    EnrolmentStatus,
    Ksb,
    KsbKind,
    Programme,
    ProgressReview,
    Standard,
)
from joinedup.apprenticeships.projects import PlannedMilestone
from tests.access import apprenticeships_scene
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser

PLAN_DAYS = 730
ELAPSED_DAYS = 91  # 13 weeks: review 1 (12 weeks from the start) is due and overdue


@pytest.fixture
def senior_leader(browser_world) -> Standard:
    """ST0480 as migration 0002 loads it (an earlier browser test's flush may have emptied it):
    the scene's programmes are made on it."""
    row = next(row for row in reference.standard_rows() if row["reference_code"] == "ST0480")
    return Standard.objects.get_or_create(reference_code="ST0480", defaults=row)[0]


@pytest.fixture
def enrolment(browser_world, senior_leader) -> Enrolment:
    """The council's apprentice, active on the partner trust's programme, whose standard has two
    KSBs; 6 off-the-job hours required and planned; reviews scheduled."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=ELAPSED_DAYS)
    made = apprenticeships_scene.enrolment(
        browser_world,
        "own",
        status=EnrolmentStatus.ACTIVE,
        status_on=start,
        start_on=start,
        planned_end_on=start + dt.timedelta(days=PLAN_DAYS),
        required_off_the_job_hours=6,
        planned_off_the_job_hours=6,
    )
    standard = Standard.objects.create(
        reference_code="ST9901", title="Journey Leader", level=7, off_the_job_hours=6
    )
    Ksb.objects.create(
        standard=standard, code="K1", kind=KsbKind.KNOWLEDGE, number=1, description="Strategy"
    )
    Ksb.objects.create(
        standard=standard, code="S1", kind=KsbKind.SKILL, number=1, description="Leading change"
    )
    Programme.objects.filter(pk=made.cohort.programme_id).update(standard=standard)
    reviews.schedule(made)
    return Enrolment.objects.get(pk=made.pk)


def _fill_date(page, legend: str, on: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(on.day))
    group.get_by_label("Month").fill(str(on.month))
    group.get_by_label("Year").fill(str(on.year))


def _visit(page, url: str) -> None:
    page.goto(url)
    check_accessibility(page)


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _success(page):
    return page.locator(".govuk-notification-banner--success")


def test_from_logging_time_to_the_gateway(sign_in, browser_world, enrolment):
    world = browser_world
    today = timezone.localdate()
    progress = reverse("apprenticeships:progress", args=[enrolment.pk])
    expected = "0.75"  # 6 planned hours x 91 of 730 days

    # 1. The apprentice logs six hours of off-the-job time from the progress page
    page = sign_in("apprentice")
    _visit(page, progress)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Progress:")
    page.get_by_role("link", name="Log off-the-job time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log off-the-job time")
    check_accessibility(page)
    _fill_date(page, "Date", today - dt.timedelta(days=1))
    page.get_by_label("Hours", exact=True).fill("6")
    page.get_by_label("Activity").select_option(label="Module study")
    page.get_by_label("K1: Strategy").check()
    page.get_by_label("Reflection").fill("Read the module's strategy chapters and took notes.")
    page.get_by_role("button", name="Save").click()
    expect(_success(page)).to_contain_text("Off-the-job time logged")
    expect(page.locator("#off-the-job-entries")).to_contain_text("Awaiting the tutor")
    check_accessibility(page)
    # and sees it on the progress page, logged but not yet verified, on track with the numbers
    _visit(page, progress)
    totals = page.locator("#off-the-job-totals")
    expect(totals).to_contain_text("Logged 6 hours")
    expect(totals).to_contain_text("Verified by the tutor 0 hours")
    status = page.locator("#off-the-job-status")
    expect(status).to_contain_text("Green: On track")
    expect(status).to_contain_text(
        f"{ELAPSED_DAYS} of the plan's {PLAN_DAYS} days have passed (12.5%), so {expected} of "
        "the 6 planned hours are expected by now; 6 are logged (0 verified)."
    )
    _sign_out(page)

    # The practice tutor verifies the entry from the log
    page = sign_in("practice_tutor")
    _visit(page, reverse("apprenticeships:off_the_job_log", args=[enrolment.pk]))
    page.get_by_role("link", name="Check the entry of").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check off-the-job time")
    check_accessibility(page)
    page.get_by_label("Verify it").check()
    page.get_by_role("button", name="Save the check").click()
    expect(_success(page)).to_contain_text("Entry verified")
    check_accessibility(page)
    _visit(page, progress)
    expect(page.locator("#off-the-job-totals")).to_contain_text(
        "6 hours (the required hours are met)"
    )
    expect(page.locator("#off-the-job-status")).to_contain_text("6 are logged (6 verified).")
    _sign_out(page)

    # 2. The apprentice adds a written account showing both KSBs
    page = sign_in("apprentice")
    _visit(page, progress)
    page.get_by_role("link", name="Add evidence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add evidence")
    check_accessibility(page)
    page.get_by_label("Title").fill("Restructuring proposal to the board")
    page.get_by_label("Written account").check()
    page.get_by_role("textbox", name="Your account").fill(
        "I led the team through a change of strategy."
    )
    page.get_by_label("K1: Strategy").check()
    page.get_by_label("S1: Leading change").check()
    page.get_by_role("button", name="Add evidence").click()
    expect(_success(page)).to_contain_text("Evidence added")
    expect(page.get_by_role("heading", level=1)).to_have_text("Restructuring proposal to the board")
    check_accessibility(page)
    evidence = page.url
    _sign_out(page)

    # The tutor signs it off, and the coverage grid shows no gaps
    page = sign_in("practice_tutor")
    _visit(page, evidence)
    page.get_by_label("Sign it off").check()
    page.get_by_role("button", name="Save decision").click()
    expect(_success(page)).to_contain_text("Restructuring proposal to the board")
    check_accessibility(page)
    _visit(page, reverse("apprenticeships:ksb_coverage", args=[enrolment.pk]))
    expect(page.locator("#coverage-summary")).to_have_text("2 of 2 KSBs covered")
    expect(page.locator("#coverage")).not_to_contain_text("Gap")
    expect(page.locator("#ksb-K1")).to_contain_text("Covered")
    expect(page.locator("#ksb-S1")).to_contain_text("Covered")

    # 3. The tutor records progress review 1, overdue since last week
    review = ProgressReview.objects.get(enrolment=enrolment, number=1)
    review_url = reverse("apprenticeships:review", args=[review.pk])
    _visit(page, review_url)
    expect(page.locator("#review-state")).to_contain_text("Overdue")
    page.get_by_role("link", name="Record review 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record progress review 1")
    check_accessibility(page)
    _fill_date(page, "Date the review was held", today)
    page.get_by_role("textbox", name="Progress", exact=True).fill("Strategy module under way.")
    page.get_by_role("textbox", name="Actions", exact=True).fill("Plan the workplace project.")
    page.get_by_role("textbox", name="Off-the-job check", exact=True).fill(
        "On track: 6 hours verified."
    )
    page.get_by_role("button", name="Record review").click()
    expect(page.locator("#next-to-sign")).to_have_text("Next to sign: the apprentice.")
    check_accessibility(page)
    _sign_out(page)

    # and the apprentice, the line manager and the tutor sign it in turn
    for persona, after in (
        ("apprentice", "Next to sign: the line manager."),
        ("own_line_manager", "Next to sign: the practice tutor."),
        ("practice_tutor", None),
    ):
        page = sign_in(persona)
        _visit(page, review_url)
        page.get_by_label("I attended this review and agree it is a fair record").check()
        page.get_by_role("button", name="Sign review 1").click()
        expect(_success(page)).to_contain_text("You signed review 1")
        if after:
            expect(page.locator("#next-to-sign")).to_have_text(after)
        check_accessibility(page)
        if after:
            _sign_out(page)
    expect(page.locator("#review-state")).to_have_text("Signed by all three")
    expect(page.locator("#signatures")).to_contain_text(
        f"Signed by {world.person('own_line_manager').full_name} on"
    )
    _sign_out(page)

    # 4. The apprentice submits the assignment (no deadline set for the cohort)
    page = sign_in("apprentice")
    _visit(page, reverse("apprenticeships:assignment_submit", args=[enrolment.pk]))
    page.get_by_label("Assignment").select_option(label="1. Reflective essay")
    page.get_by_role("textbox", name="Your submission").fill("What leading people taught me.")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(_success(page)).to_contain_text("Submitted attempt 1 at Reflective essay")
    check_accessibility(page)
    submission = page.url
    _sign_out(page)

    # and the tutor marks it a pass
    page = sign_in("practice_tutor")
    _visit(page, submission)
    page.get_by_label("Grade").select_option(label="Pass")
    page.get_by_role("textbox", name="Feedback").fill("A thoughtful reflection.")
    page.get_by_role("button", name="Save the mark").click()
    expect(_success(page)).to_contain_text("Marked attempt 1: pass")
    check_accessibility(page)
    _sign_out(page)

    # 5. The workplace project, signed off by its sponsor (through the services)
    sponsor = world.person("own_line_manager")
    project = projects.propose(
        actor=world.actor("apprentice"),
        enrolment=enrolment,
        title="A shared leadership academy",
        scope="Propose a leadership academy shared with the trust.",
        sponsor=sponsor,
        starts_on=enrolment.start_on,
        milestones=[PlannedMilestone(1, "Interview the directors")],
    )
    projects.approve(actor=world.actor("practice_tutor"), project=project)
    projects.submit(actor=world.actor("apprentice"), project=project, summary="Go ahead.")
    projects.sign_off(actor=world.actor("own_line_manager"), project=project, comment="Agreed.")
    gateway = reverse("apprenticeships:gateway", args=[enrolment.pk])

    # The employer's L&D lead sees the first four items met and agrees
    page = sign_in("own_ld_lead")
    _visit(page, gateway)
    expect(page.locator("#gateway-summary")).to_contain_text("4 of 6 met.")
    items = page.locator("#gateway-items")
    expect(items).to_contain_text("All 1 modules passed")
    expect(items).to_contain_text("All 2 KSBs have signed-off evidence")
    expect(items).to_contain_text("6 hours verified, of the 6 required")
    expect(items).to_contain_text("Signed off by the sponsor")
    page.get_by_role("button", name="Agree the apprentice is ready, for the employer").click()
    expect(_success(page)).to_contain_text("Agreed: waiting for the other party to agree")
    expect(page.locator("#gateway-summary")).to_contain_text("5 of 6 met.")
    check_accessibility(page)
    _sign_out(page)

    # Then the provider's programme leader agrees, and the gateway is passed
    page = sign_in("programme_leader")
    _visit(page, gateway)
    page.get_by_role("button", name="Agree the apprentice is ready, for the provider").click()
    expect(_success(page)).to_contain_text("the gateway is passed")
    expect(page.locator("#gateway-summary")).to_have_text(
        "6 of 6 met. Ready for the end-point assessment."
    )
    expect(page.locator("#gateway-items .govuk-tag--red")).to_have_count(0)
    check_accessibility(page)
    _visit(page, progress)
    expect(page.locator("#gateway-section-summary")).to_contain_text("Passed")
    expect(page.locator("h1 + p .govuk-tag")).to_have_text("At gateway")

    # So the enrolment is at the gateway
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.AT_GATEWAY
