"""The "design once" Done when in Chromium: the council's L&D lead records a plan for a new
programme and is shown the police's similar programme with the terms they share; she starts a
joint commission, the police's L&D lead joins it with places, she agrees the split, and the
partnership lead sees the saving in the value-for-money report. Every page visited is checked
with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from joinedup.learning import similar
from joinedup.learning.models import DeliveryMode, ProgrammeKind, SharingPolicy
from joinedup.learning.services import create_programme
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import OrganisationKind, OrganisationRole
from joinedup.partnership.tests.factories import (
    TEST_PASSWORD,
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganisationRoleFactory,
    PersonFactory,
)
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser

POLICE = "North Thames Police"
POLICE_PROGRAMME = "Trauma-informed policing: wellbeing and resilience"
PLAN = "Trauma-informed practice and staff wellbeing"


@pytest.fixture
def police(browser_world, page):
    """The police, a partner with an L&D lead, offering a trauma-informed programme."""
    similar.reset_for_tests()
    force = OrganisationFactory(name=POLICE, kind=OrganisationKind.POLICE, headcount=4000)
    MembershipFactory(partnership=browser_world.partnership, organisation=force)
    lead = EmploymentFactory(
        person=PersonFactory(
            email="rowan.lead@police.test", given_name="Rowan", family_name="Lead"
        ),
        organisation=force,
        job_title="Head of learning",
    ).person
    OrganisationRoleFactory(person=lead, organisation=force, role=OrganisationRole.LD_LEAD)
    create_programme(
        actor=Actor(person=lead, organisation=force),
        title=POLICE_PROGRAMME,
        kind=ProgrammeKind.COURSE,
        delivery_mode=DeliveryMode.IN_PERSON,
        sharing_policy=SharingPolicy.PARTNERS_FROM_START,
        summary="Understanding trauma and looking after your own wellbeing after distressing "
        "incidents.",
        topics=["Trauma-informed practice", "Wellbeing"],
    )
    _warm(page)
    yield lead
    similar.reset_for_tests()


def _warm(page) -> None:
    """The live server's first request imports every URL module, which can outlast a page's
    20-second timeout on a loaded machine: make it here, with time to spare."""
    page.goto("/healthz", timeout=180_000)


def _sign_in_by_email(page, email: str):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def test_a_council_plans_finds_the_police_programme_and_commissions_jointly(sign_in, police):
    # The council's L&D lead records a plan
    page = sign_in("own_ld_lead")
    page.get_by_role("link", name="Design once", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Design once: commissioning plans")
    check_accessibility(page)
    page.get_by_role("link", name="Record a plan").click()
    check_accessibility(page)
    page.get_by_label("Title").fill(PLAN)
    page.get_by_label("Need").fill(
        "Front-line staff meet people affected by trauma; they need trauma-informed practice "
        "and support for their own wellbeing."
    )
    page.get_by_label("Topics").fill("Trauma-informed practice, Wellbeing")
    page.get_by_label("Estimated design cost").fill("10000")
    page.get_by_label("Delivery cost per place").fill("100")
    page.get_by_label("Expected learners").fill("abc")
    page.get_by_role("button", name="Save plan").click()
    # A bad number is named on its field
    expect(page.locator(".govuk-error-summary")).to_contain_text("Expected learners")
    check_accessibility(page)
    page.get_by_label("Expected learners").fill("30")
    page.get_by_role("button", name="Save plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PLAN)

    # and is shown the police's programme, with the terms they share
    match = page.locator("#similar-programmes + ul li").first
    expect(match).to_contain_text(POLICE_PROGRAMME)
    expect(match).to_contain_text(POLICE)
    expect(match).to_contain_text("Shared:")
    expect(match).to_contain_text("trauma")
    check_accessibility(page)
    plan_url = page.url

    # She starts a joint commission, committing 30 places, split by places
    page.get_by_role("link", name="Start or join a joint commission").click()
    check_accessibility(page)
    page.get_by_label("Places your organisation commits").fill("30")
    page.get_by_role("button", name="Start the joint commission").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Joint commission started")
    check_accessibility(page)
    page.get_by_role("button", name="Sign out").click()

    # The police's L&D lead finds the council's plan and joins with 20 places
    _sign_in_by_email(page, police.email)
    page.goto(plan_url)
    check_accessibility(page)
    page.get_by_role("link", name="Start or join a joint commission").click()
    check_accessibility(page)
    page.get_by_label("Places your organisation commits").fill("20")
    page.get_by_role("button", name="Join and commit places").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{POLICE} has joined")
    check_accessibility(page)
    page.get_by_role("button", name="Sign out").click()

    # The council agrees: design once (£10,000) plus 50 places at £100 = £15,000, shared 30:20
    page = sign_in("own_ld_lead")
    page.goto(plan_url)
    page.get_by_role("link", name="Start or join a joint commission").click()
    page.get_by_role("link", name="Set the split and agree").click()
    check_accessibility(page)
    page.get_by_role("button", name="Agree and charge the shares").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Agreed")
    expect(page.locator("#partners")).to_contain_text("£9,000.00")
    expect(page.locator("#partners")).to_contain_text("£6,000.00")
    check_accessibility(page)
    page.get_by_role("button", name="Sign out").click()

    # The partnership lead sees the saving: alone £13,000 + £12,000, jointly £15,000
    page = sign_in("partnership_lead")
    page.goto("/learning/joint-commissions/value-for-money/")
    expect(page.locator("#report")).to_contain_text(PLAN)
    expect(page.locator("#report-separate")).to_have_text("£25,000.00")
    expect(page.locator("#report-joint")).to_have_text("£15,000.00")
    expect(page.locator("#report-saving")).to_have_text("£10,000.00")
    check_accessibility(page)
