"""An organisation admin imports a staff file, sees its problems by line and column, fixes them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from joinedup.partnership.models import StaffImport
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser

HEADINGS = "Employee number,Given name,Family name,Work email,Job title,Start date,Grade\n"
FILE_WITH_PROBLEMS = (
    HEADINGS
    + "B-2001,Tomasz,Nowak,tomasz.nowak@barnet.test,Care worker,2025-04-01,Scale 6\n"
    + "B-2002,Grace,Okafor,not-an-email,Senior care worker,2025-04-01,Band 99\n"
)
FIXED_FILE = (
    HEADINGS
    + "B-2001,Tomasz,Nowak,tomasz.nowak@barnet.test,Care worker,2025-04-01,Scale 6\n"
    + "B-2002,Grace,Okafor,grace.okafor@barnet.test,Senior care worker,2025-04-01,PO3\n"
)


def test_admin_imports_a_staff_file_after_fixing_its_problems(sign_in, tmp_path):
    # Given Barnet's organisation admin on the staff import page
    page = sign_in("own_admin")
    page.get_by_role("link", name="Manage organisation").click()
    page.get_by_role("link", name="Import staff from a file").click()
    check_accessibility(page)
    # When they upload a file with a bad email address and a grade Barnet does not have
    with_problems = tmp_path / "staff.csv"
    with_problems.write_text(FILE_WITH_PROBLEMS, encoding="utf-8")
    page.get_by_label("Staff file").set_input_files(with_problems)
    page.get_by_role("button", name="Check the file").click()
    # Then they see each problem by line and column, and nothing is saved
    expect(page.get_by_role("heading", level=1)).to_have_text("Fix the problems in the file")
    problems = page.locator("#problems")
    expect(problems.get_by_role("row").filter(has_text="Work email")).to_contain_text("3")
    expect(problems.get_by_role("row").filter(has_text="Grade")).to_contain_text("3")
    expect(page.get_by_text("Nothing has been saved")).to_be_visible()
    check_accessibility(page)
    # When they upload the corrected file
    page.get_by_role("link", name="Upload a corrected file").click()
    check_accessibility(page)
    fixed = tmp_path / "staff-fixed.csv"
    fixed.write_text(FIXED_FILE, encoding="utf-8")
    page.get_by_label("Staff file").set_input_files(fixed)
    page.get_by_role("button", name="Check the file").click()
    # Then they see what applying it would change
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the changes before applying them"
    )
    expect(page.locator("#counts").get_by_role("row", name="New employments")).to_contain_text("2")
    check_accessibility(page)
    # When they apply it
    page.get_by_role("button", name="Apply the changes").click()
    # Then the import is applied and the new staff are listed
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Staff import applied", timeout=20_000)
    check_accessibility(page)
    page.get_by_role("link", name="See your staff").click()
    expect(page.get_by_role("link", name="Okafor, Grace")).to_be_visible()
    expect(page.get_by_role("link", name="Nowak, Tomasz")).to_be_visible()
    check_accessibility(page)


def test_progress_bar_follows_a_large_import_until_it_is_applied(browser_world, sign_in):
    # Given a large staff import that is being applied in the background
    running = StaffImport.objects.create(
        organisation=browser_world.own,
        uploaded_by=browser_world.own_admin,
        original_name="everyone.xlsx",
        file_sha256="0" * 64,
        status=StaffImport.Status.APPLYING,
        total_rows=5000,
        processed_rows=2000,
    )
    page = sign_in("own_admin")
    # When the admin watches its page
    page.goto(reverse("partnership:staff-import-detail", args=[running.pk]))
    # Then an accessible progress bar shows how far it has got
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "40")
    check_accessibility(page)
    # And when the import finishes, the page (polling with htmx) shows the result by itself
    running.status = StaffImport.Status.APPLIED
    running.processed_rows = 5000
    running.save()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Staff import applied", timeout=10_000
    )
    check_accessibility(page)
