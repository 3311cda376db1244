"""An L&D lead finds the Senior Leader standard, records its details and KSBs, and imports a KSB
file (first with problems, then fixed); every page on the way is accessible."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from joinedup.apprenticeships.models import Standard
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser

WITH_PROBLEMS = "code,type,description\nK1,knowledge,Strategy\nX2,knowledge,Bad code\n"
FIXED = "code,type,description,illustrative\nK1,knowledge,Strategy,yes\nS1,skill,Change,yes\n"


def test_an_ld_lead_records_a_standards_ksbs(sign_in, tmp_path):
    senior = Standard.objects.get(reference_code="ST0480")
    # Given Barnet's L&D lead on the standards list
    page = sign_in("own_ld_lead")
    page.goto(reverse("apprenticeships:home"))
    check_accessibility(page)
    page.get_by_role("link", name="Apprenticeship standards").click()
    check_accessibility(page)
    # When they search for the Senior Leader standard at level 7 and open it
    page.get_by_label("Code or words in the title").fill("senior leader")
    page.get_by_label("Level").select_option("7")
    page.get_by_role("button", name="Search").click()
    check_accessibility(page)
    page.get_by_role("link", name=senior.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(senior.title)
    check_accessibility(page)
    # And change its details, first with a funding band of nothing
    page.get_by_role("link", name="Change the details").click()
    page.get_by_label("Maximum funding band, in pounds").fill("0")
    page.get_by_role("button", name="Save the details").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("more than £0")
    check_accessibility(page)
    page.get_by_label("Maximum funding band, in pounds").fill("14000")
    page.get_by_label("Minimum off-the-job hours").fill("400")
    page.get_by_role("button", name="Save the details").click()
    expect(page.locator("#details")).to_contain_text("400 hours")
    # And add a behaviour by hand
    page.get_by_role("link", name="Add a KSB").click()
    check_accessibility(page)
    page.get_by_label("Code").fill("B1")
    page.get_by_label("Description").fill("Leads with integrity")
    page.get_by_role("button", name="Add the KSB").click()
    expect(page.locator("#ksbs-behaviours")).to_contain_text("Leads with integrity")
    check_accessibility(page)
    # And import a file with a bad line
    page.get_by_role("link", name="Import KSBs from a file").click()
    check_accessibility(page)
    bad = tmp_path / "ksbs.csv"
    bad.write_text(WITH_PROBLEMS, encoding="utf-8")
    page.get_by_label("KSB file").set_input_files(bad)
    page.get_by_role("button", name="Import the KSBs").click()
    # Then they see the line and what to do, and nothing is saved
    expect(page.locator("#file-problems")).to_contain_text("Line 3, code: “X2” is not a KSB code")
    check_accessibility(page)
    # When they fix it and import it again
    fixed = tmp_path / "ksbs-fixed.csv"
    fixed.write_text(FIXED, encoding="utf-8")
    page.get_by_label("KSB file").set_input_files(fixed)
    page.get_by_role("button", name="Import the KSBs").click()
    # Then the KSBs are on the standard's page, tagged illustrative
    expect(page.locator("body")).to_contain_text("KSBs imported: 2 added")
    expect(page.locator("#ksbs-knowledge")).to_contain_text("Illustrative")
    check_accessibility(page)
    # And the change pages are accessible too
    page.get_by_role("link", name="Change K1").click()
    check_accessibility(page)
    page.go_back()
    page.get_by_role("link", name="Remove K1").click()
    check_accessibility(page)
