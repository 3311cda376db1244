"""The commitment statement in Chromium: an enrolment awaiting commitment, then the apprentice,
the employer's L&D lead and the provider's programme leader read and sign version 1 in turn, and
the enrolment becomes active; and the whole journey from the L&D lead enrolling a member of staff
on the partner trust's cohort in the browser to the three signatures. Every page on the way is
checked with axe."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from joinedup.apprenticeships import reference, statements
from joinedup.apprenticeships.models import Enrolment, EnrolmentStatus, Standard
from tests.access import apprenticeships_scene
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser

AGREE = "I have read this commitment statement and training plan and agree to it"


@pytest.fixture
def senior_leader(browser_world) -> Standard:
    """ST0480 as migration 0002 loads it (an earlier browser test's flush may have emptied it)."""
    row = next(row for row in reference.standard_rows() if row["reference_code"] == "ST0480")
    return Standard.objects.get_or_create(reference_code="ST0480", defaults=row)[0]


@pytest.fixture
def reference_data(browser_world) -> Standard:
    """The standards and default funding rules (an earlier browser test's flush may have emptied
    them), with ST0480's published off-the-job hours set so an enrolment's minimum can be worked
    out."""
    reference.load()
    Standard.objects.filter(reference_code="ST0480").update(off_the_job_hours=400)
    return Standard.objects.get(reference_code="ST0480")


def _fill_date(page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def _sign(page, url: str, persona_next: str) -> None:
    page.goto(url)
    check_accessibility(page)
    page.get_by_label(AGREE).check()
    page.get_by_role("button", name="Sign version 1").click()
    expect(page.locator("#next-to-sign")).to_have_text(f"Next to sign: {persona_next}.")
    check_accessibility(page)
    _sign_out(page)


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_three_parties_sign_the_commitment_statement_in_turn_and_the_apprenticeship_starts(
    sign_in, browser_world, senior_leader
):
    world = browser_world
    # Given the council's apprentice enrolled on the trust's Senior Leader cohort, version 1 made
    enrolment = apprenticeships_scene.enrolment(world, "own")
    statement = statements.issue(enrolment, actor=world.actor("own_ld_lead"), reason="Enrolled")
    url = reverse("apprenticeships:statement", args=[statement.pk])
    apprentice = enrolment.apprentice.full_name

    # When the apprentice reads it, they are the one to sign first
    page = sign_in("apprentice")
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Commitment statement and training plan"
    )
    expect(page.locator("#next-to-sign")).to_have_text("Next to sign: the apprentice.")
    expect(page.get_by_text("Module 1: Leading people")).to_be_visible()
    check_accessibility(page)
    # and signing without confirming is refused with a message naming the box
    page.get_by_role("button", name="Sign version 1").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm you have read and agree to the statement"
    )
    check_accessibility(page)
    page.get_by_label(AGREE).check()
    page.get_by_role("button", name="Sign version 1").click()
    expect(page.locator("#signatures")).to_contain_text(f"Signed by {apprentice} on")
    expect(page.locator("#next-to-sign")).to_have_text("Next to sign: the employer.")
    expect(page.get_by_role("button", name="Sign version 1")).to_have_count(0)
    check_accessibility(page)
    _sign_out(page)

    # Then the employer's L&D lead signs
    page = sign_in("own_ld_lead")
    page.goto(url)
    page.get_by_label(AGREE).check()
    page.get_by_role("button", name="Sign version 1").click()
    expect(page.locator("#next-to-sign")).to_have_text("Next to sign: the training provider.")
    check_accessibility(page)
    _sign_out(page)

    # And last the provider's programme leader
    page = sign_in("programme_leader")
    page.goto(url)
    check_accessibility(page)
    page.get_by_label(AGREE).check()
    page.get_by_role("button", name="Sign version 1").click()
    expect(page.locator("#statement-status")).to_have_text("Fully signed")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "It is now fully signed."
    )
    check_accessibility(page)
    pdf = page.request.get(reverse("apprenticeships:statement_pdf", args=[statement.pk]))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"

    # So the apprenticeship has started
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_an_ld_lead_enrols_staff_in_the_browser_and_the_three_parties_sign(
    sign_in, browser_world, reference_data
):
    world = browser_world
    # Given a September 2026 cohort of the partner trust's Senior Leader programme
    cohort = apprenticeships_scene.cohort(world, "partner")
    apprentice = world.person("apprentice")
    tutor = world.person("practice_tutor")

    # When the council's L&D lead opens the cohort and follows the link to enrol staff
    page = sign_in("own_ld_lead")
    page.goto(reverse("apprenticeships:cohort", args=[cohort.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("September 2026 cohort")
    check_accessibility(page)
    page.get_by_role("link", name="Enrol staff on this cohort").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enrol an apprentice")
    check_accessibility(page)

    # and fills the form, forgetting the price at first
    page.get_by_label("Apprentice's work email address").fill(
        world.employments["apprentice"].work_email
    )
    page.get_by_label("Practice tutor").select_option(label=tutor.full_name)
    _fill_date(page, "Start date", "1", "9", "2026")
    _fill_date(page, "Planned end date", "31", "8", "2028")
    page.get_by_label("Contracted hours a week").fill("37")
    _fill_date(page, "Apprentice's date of birth", "1", "6", "2001")
    page.get_by_role("button", name="Enrol").click()
    # Then the form is shown again with a message naming the missing field
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the agreed price")
    check_accessibility(page)
    page.get_by_label("Agreed price").fill("14000")
    page.get_by_role("button", name="Enrol").click()

    # And the enrolment page says in plain words how it is funded and why
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Enrolled")
    expect(page.get_by_role("heading", level=1)).to_contain_text(apprentice.full_name)
    expect(page.locator("#funding + dl")).to_contain_text("Privately funded")
    expect(page.locator("#funding-reason")).to_have_text(
        "Not eligible for levy funding under the Level 7 rule"
    )
    expect(page.locator("#eligibility-reason")).to_contain_text("Aged 25 at the start")
    expect(page.locator("#status + p .govuk-tag")).to_have_text("Awaiting commitment statement")
    check_accessibility(page)
    enrolment = Enrolment.objects.get(cohort=cohort, apprentice=apprentice)
    assert enrolment.status == EnrolmentStatus.AWAITING_COMMITMENT
    assert enrolment.practice_tutor == tutor
    assert enrolment.required_off_the_job_hours == 400

    # When they follow the link to the commitment statement, the apprentice is first to sign
    page.get_by_role("link", name="Version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Commitment statement and training plan"
    )
    expect(page.locator("#next-to-sign")).to_have_text("Next to sign: the apprentice.")
    check_accessibility(page)
    url = page.url
    _sign_out(page)

    # Then the apprentice, the L&D lead and the programme leader sign in turn
    sign_in("apprentice")
    _sign(page, url, "the employer")
    sign_in("own_ld_lead")
    _sign(page, url, "the training provider")
    page = sign_in("programme_leader")
    page.goto(url)
    check_accessibility(page)
    page.get_by_label(AGREE).check()
    page.get_by_role("button", name="Sign version 1").click()
    expect(page.locator("#statement-status")).to_have_text("Fully signed")
    check_accessibility(page)

    # So the apprenticeship has started
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
