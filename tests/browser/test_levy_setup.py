"""A levy officer imports a year of declarations, fixes a bad line, and sees which counted."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from joinedup.levy.tests.factories import LevyAccountFactory, PayeSchemeFactory
from joinedup.levy.tests.test_declarations import year_file
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser


def test_levy_officer_imports_a_year_of_declarations(browser_world, sign_in, tmp_path):
    # Given Barnet's levy account with one PAYE scheme, and its levy officer on the set-up page
    account = LevyAccountFactory(organisation=browser_world.own)
    PayeSchemeFactory(account=account, reference="123/AB45678")
    page = sign_in("own_levy_officer")
    page.goto(reverse("levy:setup", kwargs={"pk": account.pk}))
    check_accessibility(page)
    page.get_by_role("link", name="Import declarations").click()
    check_accessibility(page)
    # When they upload a year of declarations whose last line has payroll month 13
    bad = tmp_path / "declarations.csv"
    bad.write_text(year_file() + "EPS-13,123/AB45678,17-18,13,1,2018-04-15\r\n", encoding="utf-8")
    page.get_by_label("Declarations file").set_input_files(bad)
    page.get_by_role("button", name="Check the file").click()
    # Then the error summary names the line and column, and nothing is saved
    summary = page.locator("#file-problems")
    expect(summary).to_contain_text("Line 14, payroll_month")
    expect(summary).to_contain_text("Nothing has been saved")
    check_accessibility(page)
    # When they upload the year without the bad line
    good = tmp_path / "declarations-fixed.csv"
    good.write_text(year_file(), encoding="utf-8")
    page.get_by_label("Declarations file").set_input_files(good)
    page.get_by_role("button", name="Check the file").click()
    # Then the preview counts twelve new declarations, and they import them
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the declarations before importing them"
    )
    expect(page.locator("#new-count")).to_have_text("12")
    check_accessibility(page)
    page.get_by_role("button", name="Import 12 declarations").click()
    expect(page.locator("#added")).to_have_text("12")
    check_accessibility(page)
    # And the declarations page shows month 1 used, landing in May 2017
    page.get_by_role("link", name="123/AB45678").click()
    row = page.locator("#declarations").get_by_role("row").nth(1)
    expect(row).to_contain_text("Used")
    expect(row).to_contain_text("May 2017")
    check_accessibility(page)
