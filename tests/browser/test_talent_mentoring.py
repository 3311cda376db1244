"""Mentoring across organisations in Chromium: the council's social worker asks for a mentor (an
empty form names the field), the trust's mentor has offered already; the partnership's mentoring
lead runs the matching, reviews the pair with its fit and reasons, and publishes; the mentee then
logs a meeting on the pair's page. Every page visited is checked with axe."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from joinedup.partnership.actor import Actor
from joinedup.partnership.models import PartnershipRole
from joinedup.partnership.tests.factories import (
    TEST_PASSWORD,
    EmploymentFactory,
    PartnershipRoleFactory,
    PersonFactory,
)
from joinedup.talent import mentoring_services
from joinedup.talent.models import MentoringPair, PairStatus
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser


@pytest.fixture
def people(browser_world, page):
    """A trust nurse who offered to mentor in budgeting, and a mentoring lead at the ICB."""
    world = browser_world
    nurse = EmploymentFactory(
        person=PersonFactory(
            email="hana.health@lnwh.test", given_name="Hana", family_name="Health"
        ),
        organisation=world.partner,
        job_title="Ward manager",
    )
    mentoring_services.sign_up(
        actor=Actor(person=nurse.person, organisation=world.partner),
        role="mentor",
        skills="Budgeting, Leading teams",
        capacity=2,
    )
    lead = EmploymentFactory(
        person=PersonFactory(email="mia.mentoring@icb.test", given_name="Mia", family_name="Lead"),
        organisation=world.icb,
        job_title="Mentoring lead",
    )
    PartnershipRoleFactory(
        person=lead.person, partnership=world.partnership, role=PartnershipRole.MENTORING_LEAD
    )
    # The live server's first request imports every URL module: give it time on a busy machine.
    page.goto("/healthz", timeout=180_000)
    return {"lead": lead.person, "nurse": nurse.person}


def _sign_in_by_email(page, email: str):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def test_a_mentee_is_paired_with_a_mentor_of_another_organisation_and_logs_a_meeting(
    sign_in, people, browser_world
):
    # The council's social worker asks for a mentor
    page = sign_in("own_staff")
    page.goto("/talent/")
    page.get_by_role("link", name="Mentoring across organisations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentoring across organisations")
    check_accessibility(page)
    page.get_by_role("link", name="Ask for a mentor").click()
    check_accessibility(page)
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what you want to grow")
    check_accessibility(page)
    page.get_by_label("What you want to grow").fill("Budgeting, presenting to boards")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("asked for a mentor")
    check_accessibility(page)
    page.get_by_role("button", name="Sign out").click()

    # The mentoring lead runs the matching, reviews it and publishes it
    _sign_in_by_email(page, people["lead"].email)
    page.goto("/talent/mentoring/")
    page.get_by_role("link", name="Run and review the mentoring matching").click()
    expect(page.locator("#count-waiting")).to_have_text("1")
    check_accessibility(page)
    page.get_by_role("button", name="Run matching").click()
    pairs = page.locator("#pairs")
    expect(pairs).to_contain_text("Sam Staff")
    expect(pairs).to_contain_text("Hana Health")
    expect(pairs).to_contain_text("Local government; Health")
    expect(pairs).to_contain_text("Has skills the mentee wants to grow: Budgeting")
    check_accessibility(page)
    page.get_by_role("button", name="Publish and tell everyone paired").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("published")
    check_accessibility(page)
    page.get_by_role("button", name="Sign out").click()

    # The mentee finds the pair and logs their first meeting
    page = sign_in("own_staff")
    page.goto("/talent/mentoring/")
    page.get_by_role("link", name="Hana Health").click()
    check_accessibility(page)
    page.get_by_role("link", name="Log a meeting").click()
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Minutes").fill("45")
    page.get_by_label("Notes").fill("Agreed goals for the year")
    check_accessibility(page)
    page.get_by_role("button", name="Log meeting").click()
    expect(page.locator("main")).to_contain_text("Agreed goals for the year")
    check_accessibility(page)
    pair = MentoringPair.objects.get()
    assert pair.status == PairStatus.ACTIVE and pair.mentee.organisation == browser_world.own
    assert pair.mentor.person == people["nurse"]
