"""The commitment statement in Chromium: an enrolment awaiting commitment, then the apprentice,
the employer's L&D lead and the provider's programme leader read and sign version 1 in turn, and
the enrolment becomes active. Every page on the way is checked with axe."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from joinedup.apprenticeships import reference, statements
from joinedup.apprenticeships.models import EnrolmentStatus, Standard
from tests.access import apprenticeships_scene
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser

AGREE = "I have read this commitment statement and training plan and agree to it"


@pytest.fixture
def senior_leader(browser_world) -> Standard:
    """ST0480 as migration 0002 loads it (an earlier browser test's flush may have emptied it)."""
    row = next(row for row in reference.standard_rows() if row["reference_code"] == "ST0480")
    return Standard.objects.get_or_create(reference_code="ST0480", defaults=row)[0]


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
