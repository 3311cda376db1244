"""Staff find colleagues in the people directory, open their page and look after their profile."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser


def test_member_of_staff_finds_their_manager_in_the_people_directory(sign_in):
    # Given a member of staff at Barnet
    page = sign_in("own_staff")
    # When they open the people directory and search for their manager
    page.get_by_role("link", name="People").click()
    check_accessibility(page)
    page.get_by_label("Job title", exact=True).fill("manager")
    page.get_by_role("button", name="Apply filters").click()
    # Then only their manager is listed, and opening them shows their page
    people = page.locator("#people")
    expect(people.get_by_role("link", name="Manager, Lena")).to_be_visible()
    expect(people.get_by_role("link", name="Staff, Sam")).to_have_count(0)
    check_accessibility(page)
    people.get_by_role("link", name="Manager, Lena").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lena Manager")
    expect(page.get_by_text("Team manager").first).to_be_visible()
    check_accessibility(page)


def test_partnership_lead_filters_the_directory_by_organisation(browser_world, sign_in):
    # Given the partnership lead, who may see every member organisation's staff
    page = sign_in("partnership_lead")
    page.get_by_role("link", name="People").click()
    check_accessibility(page)
    # When they choose the partner trust in the filter panel
    page.get_by_label("Organisation").select_option(label=browser_world.partner.name)
    page.get_by_role("button", name="Apply filters").click()
    # Then the trust's staff are listed and Barnet's are not
    people = page.locator("#people")
    expect(people.get_by_role("link", name="Staff, Pat")).to_be_visible()
    expect(people.get_by_role("link", name="Staff, Sam")).to_have_count(0)
    check_accessibility(page)
    # And the organisations directory and an organisation's page are accessible too
    page.get_by_role("link", name="Organisations").click()
    check_accessibility(page)
    page.get_by_role("link", name=browser_world.partner.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(browser_world.partner.name)
    check_accessibility(page)


def test_member_of_staff_reads_their_profile_and_turns_off_reminder_emails(sign_in):
    # Given a member of staff
    page = sign_in("own_staff")
    # When they open their profile
    page.get_by_role("link", name="My profile").click()
    # Then they see their record
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    expect(page.get_by_text("sam.staff@barnet.test").first).to_be_visible()
    check_accessibility(page)
    # When they say they do not want reminder and digest emails
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Save preference").click()
    # Then the preference is saved
    expect(page.get_by_role("alert")).to_contain_text("Your notification preference has been saved")
    expect(page.get_by_role("radio", name="No")).to_be_checked()
    check_accessibility(page)
