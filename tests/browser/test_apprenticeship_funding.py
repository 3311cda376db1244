"""The partnership lead adds a dated funding rule; an L&D lead checks the funding of a Senior
Leader apprenticeship for a 24-year-old starting on 1 January 2026 (first with a plan too short)
and sees it privately funded with the reasons; every page on the way is accessible."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from joinedup.apprenticeships import reference
from joinedup.apprenticeships.models import FundingRule, Standard
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser


@pytest.fixture
def reference_data(browser_world) -> None:
    """ST0480 and the default funding rules (a browser test's flush empties the tables)."""
    row = next(row for row in reference.standard_rows() if row["reference_code"] == "ST0480")
    Standard.objects.get_or_create(reference_code="ST0480", defaults=row)
    for rule in reference.DEFAULT_FUNDING_RULES:
        FundingRule.objects.get_or_create(
            kind=rule["kind"], applies_from=rule["applies_from"], defaults=rule
        )


def fill_date(page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_the_lead_adds_a_rule_and_an_ld_lead_checks_a_level_7_place(sign_in, reference_data):
    # Given the partnership lead on the funding rules
    page = sign_in("partnership_lead")
    page.goto(reverse("apprenticeships:home"))
    check_accessibility(page)
    page.get_by_role("link", name="Funding rules").click()
    check_accessibility(page)
    # When they add a minimum duration of 10 months for starts from 1 January 2027
    page.get_by_role("link", name="Add a rule").click()
    check_accessibility(page)
    page.get_by_role("button", name="Add rule").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the kind of rule")
    check_accessibility(page)
    page.get_by_label("Kind of rule").select_option("minimum_duration")
    fill_date(page, "Applies to apprenticeships starting from", "1", "1", "2027")
    page.get_by_label("Minimum duration in months").fill("10")
    page.get_by_role("button", name="Add rule").click()
    # Then the table shows it
    expect(page.locator("table")).to_contain_text("At least 10 months")
    check_accessibility(page)

    # Given Barnet's L&D lead on the funding check
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page = sign_in("own_ld_lead")
    page.goto(reverse("apprenticeships:funding_check"))
    check_accessibility(page)
    # When they check a Senior Leader place planned too short
    page.get_by_label("Apprenticeship standard").select_option(
        label="Senior leader (degree) (ST0480), Level 7"
    )
    fill_date(page, "Start date", "1", "1", "2026")
    fill_date(page, "Planned end date", "1", "6", "2026")
    page.get_by_label("Agreed price").fill("16000")
    page.get_by_label("Contracted hours a week").fill("37.5")
    page.get_by_label("The employer's levy account").check()
    fill_date(page, "Apprentice's date of birth", "1", "6", "2001")
    page.get_by_role("button", name="Check funding").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must last at least 8 months")
    check_accessibility(page)
    fill_date(page, "Planned end date", "31", "12", "2027")
    page.get_by_role("button", name="Check funding").click()
    # Then they see it privately funded, why, and what the employer pays
    expect(page.locator("#result")).to_contain_text("Privately funded")
    expect(page.locator(".govuk-summary-list")).to_contain_text(
        "Not eligible for levy funding under the Level 7 rule"
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("Aged 24 at the start")
    check_accessibility(page)
