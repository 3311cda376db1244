"""The levy "Done when" in Chromium: the trust's levy officer imports a year of declarations and
reads the statement and forecast, the partnership lead runs the optimiser and reads the
partnership view, and the trust's levy officer makes the recommendation a pledge; every page
checked with axe. Today is pinned to the demo's (30 November 2026)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from joinedup.levy import declarations, services
from joinedup.levy.demo_data import BANK_SCHEME
from joinedup.levy.models import Need, Pledge, Recommendation
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

DEMO_TODAY = dt.date(2026, 11, 30)
EXAMPLE = Path(__file__).resolve().parents[2] / "docs/examples/levy-declarations-2025-26.csv"


@pytest.fixture
def levy_world(browser_world, monkeypatch):
    """The trust's account with its bank payroll scheme, a charity with a need, today pinned."""
    real = timezone.localdate

    def pinned(value=None, timezone=None):
        return DEMO_TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", pinned)
    trust = browser_world.partner
    officer = PersonFactory(email="lyn.levy@lnwh.test")
    EmploymentFactory(person=officer, organisation=trust, job_title="Levy officer")
    OrganisationRoleFactory(person=officer, organisation=trust, role=OrganisationRole.LEVY_OFFICER)
    account = services.open_account(actor=None, organisation=trust)
    declarations.add_scheme(
        actor=Actor(person=officer, organisation=trust), account=account, reference=BANK_SCHEME
    )
    charity = OrganisationFactory(
        name="Canalside Carers Network", kind=OrganisationKind.VCSE, is_levy_payer=False
    )
    MembershipFactory(partnership=browser_world.partnership, organisation=charity)
    Need.objects.create(
        partnership=browser_world.partnership,
        organisation=charity,
        standard_code="ST0005",
        standard_title="Adult care worker",
        level=2,
        start_month=dt.date(2027, 2, 1),
        duration_months=12,
        apprentices=2,
        funding_band=Decimal(3000),
        priority=3,
        job_role="Care worker",
        location="Brent",
    )
    return {"account": account, "officer": officer}


def sign_in_as(page, email: str):
    # The run's first page (templates and static files still cold) may outlast the default.
    page.goto("/accounts/login/", timeout=60_000)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def test_the_trusts_levy_officer_imports_a_year_and_sees_next_springs_expiry(page, levy_world):
    account = levy_world["account"]
    sign_in_as(page, levy_world["officer"].email)
    # The import page: upload the year's file, check the preview, confirm
    page.goto(f"/levy/accounts/{account.pk}/declarations/import/")
    check_accessibility(page)
    page.get_by_label("Declarations file").set_input_files(str(EXAMPLE))
    page.get_by_role("button", name="Check the file").click()
    check_accessibility(page)
    page.get_by_role("button", name="Import 12 declarations").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("12 declarations imported")
    check_accessibility(page)
    # The statement shows each month's funds in; the forecast shows next spring's expiry
    page.goto(f"/levy/accounts/{account.pk}/")
    expect(page.get_by_role("row", name="May 2025")).to_contain_text("£4,620.00")
    check_accessibility(page)
    page.goto(f"/levy/accounts/{account.pk}/forecast/")
    expect(page.get_by_role("row", name="May 2027")).to_contain_text("£4,620.00")
    check_accessibility(page)


def test_the_lead_runs_the_optimiser_and_the_trust_pledges_what_it_recommends(page, levy_world):
    account = levy_world["account"]
    officer = levy_world["officer"]
    declarations.import_declarations(
        actor=Actor(person=officer, organisation=account.organisation),
        account=account,
        file_name=EXAMPLE.name,
        data=EXAMPLE.read_bytes(),
    )
    # The partnership lead reads the partnership view and runs the optimiser
    sign_in_as(page, "paula.lead@icb.test")
    page.goto("/levy/partnership/")
    expect(page.get_by_text(account.organisation.name).first).to_be_visible()
    check_accessibility(page)
    page.goto("/levy/optimiser/")
    check_accessibility(page)
    page.get_by_role("button", name="Run the optimiser").click()
    expect(page.get_by_text("Canalside Carers Network").first).to_be_visible()
    check_accessibility(page)
    # The trust's levy officer makes the recommendation a pledge in one action
    page.get_by_role("button", name="Sign out").click()
    sign_in_as(page, officer.email)
    recommendation = Recommendation.objects.get(sender=account)
    page.goto(f"/levy/recommendations/{recommendation.pk}/")
    check_accessibility(page)
    page.get_by_role("button", name="Make this a pledge").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is made for this need")
    check_accessibility(page)
    pledge = Pledge.objects.get()
    assert pledge.amount == Decimal(6000)
    page.goto(f"/levy/pledges/{pledge.pk}/")
    expect(page.get_by_text("Canalside Carers Network").first).to_be_visible()
    check_accessibility(page)
