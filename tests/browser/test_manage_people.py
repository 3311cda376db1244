"""An organisation admin adds a new member of staff and records a leaver, all in the browser."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from joinedup.partnership.models import Employment
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser


def test_admin_adds_a_person_after_correcting_the_form(sign_in):
    # Given Barnet's organisation admin, on the page for managing their organisation
    page = sign_in("own_admin")
    page.get_by_role("link", name="Manage organisation").click()
    check_accessibility(page)
    page.get_by_role("link", name="Staff and leavers").click()
    check_accessibility(page)
    page.get_by_role("button", name="Add a person").click()
    check_accessibility(page)
    # When they send the form empty
    page.get_by_role("button", name="Add person").click()
    # Then an error summary, focused by GOV.UK Frontend's script, lists what is missing
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter their work email address")
    expect(summary).to_contain_text("Enter their given name")
    check_accessibility(page)
    summary.get_by_role("link", name="Enter their given name").click()
    expect(page.get_by_label("Given name")).to_be_focused()
    # When they fill it in and send it again
    page.get_by_label("Work email address").fill("nia.newstarter@barnet.test")
    page.get_by_label("Given name").fill("Nia")
    page.get_by_label("Family name").fill("Newstarter")
    page.get_by_label("Job title").fill("Occupational therapist")
    page.get_by_label("Grade").select_option(label="Scale 6 (3)")
    page.get_by_label("Kind of employment").select_option(label="Permanent")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Employee number").fill("B-10442")
    page.get_by_label("Line manager").fill("lena.manager@barnet.test")
    page.get_by_role("button", name="Add person").click()
    # Then the new job is shown, with a confirmation
    expect(page.get_by_role("alert")).to_contain_text("Nia Newstarter has been added")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nia Newstarter")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Occupational therapist")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Lena Manager, Team manager")
    check_accessibility(page)
    # And they appear in the staff list
    page.get_by_role("link", name="Staff and leavers").click()
    expect(page.get_by_role("link", name="Newstarter, Nia")).to_be_visible()
    check_accessibility(page)


def test_admin_records_a_leaver_who_moved_to_a_partner(browser_world, sign_in):
    # Given Barnet's organisation admin, looking at a social worker's job
    page = sign_in("own_admin")
    page.get_by_role("link", name="Manage organisation").click()
    page.get_by_role("link", name="Staff and leavers").click()
    page.get_by_role("link", name="Staff, Sam").click()
    check_accessibility(page)
    page.get_by_role("button", name="Record a leaver").click()
    check_accessibility(page)
    # When they say the social worker went to a partner but do not say which one
    last_day = dt.date.today() - dt.timedelta(days=1)
    page.get_by_label("Day").fill(str(last_day.day))
    page.get_by_label("Month").fill(str(last_day.month))
    page.get_by_label("Year").fill(str(last_day.year))
    page.get_by_label("Reason for leaving").fill("Moved to a hospital discharge team")
    page.get_by_label("Where they went").select_option(label="A partner organisation")
    page.get_by_role("button", name="Record leaver").click()
    # Then they are asked which partner
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose the partner organisation they moved to"
    )
    check_accessibility(page)
    # When they choose the partner and send the form again
    page.get_by_label("Partner organisation they moved to").select_option(
        label=browser_world.partner.name
    )
    page.get_by_role("button", name="Record leaver").click()
    # Then the job shows they left, and where they went
    expect(page.get_by_role("alert")).to_contain_text("Sam Staff has been recorded as leaving")
    expect(page.locator(".govuk-summary-list")).to_contain_text(
        f"A partner organisation: {browser_world.partner.name}"
    )
    check_accessibility(page)
    # And they are listed among the leavers
    page.get_by_role("link", name="Staff and leavers").click()
    page.get_by_role("link", name="Leavers").click()
    expect(page.get_by_role("link", name="Staff, Sam")).to_be_visible()
    check_accessibility(page)
    left = Employment.objects.get(pk=browser_world.employments["own_staff"].pk)
    assert left.end_date == last_day


def test_partner_nurse_joins_barnet_by_invitation_and_acts_for_both(
    browser_world, sign_in, mailoutbox
):
    # Given Barnet's organisation admin adds a nurse who already works at the partner trust
    page = sign_in("own_admin")
    page.goto(reverse("partnership:add-person", args=[browser_world.own.pk]))
    page.get_by_label("Work email address").fill("pat.staff@lnwh.test")
    page.get_by_label("Given name").fill("Pat")
    page.get_by_label("Family name").fill("Staff")
    page.get_by_label("Job title").fill("Community nurse")
    page.get_by_label("Kind of employment").select_option(label="Joint post")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("alert")).to_contain_text("already has a Joined Up account")
    check_accessibility(page)
    page.get_by_role("button", name="Sign out").click()
    # When the nurse signs in and follows the emailed invitation
    link = re.search(r"https?://\S+?(/invitations/\S+/)", mailoutbox[-1].body).group(1)
    sign_in("partner_staff")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Accept your invitation to London Borough of Barnet"
    )
    check_accessibility(page)
    page.get_by_role("button", name="Accept the invitation").click()
    # Then they keep one record and can act for Barnet as well as the trust
    expect(page.get_by_role("alert")).to_contain_text("You work at London Borough of Barnet too")
    check_accessibility(page)
    page.get_by_label("Act for").select_option(label="London Borough of Barnet")
    page.get_by_role("button", name="Switch organisation").click()
    expect(page.locator("#acting-organisation")).to_have_text("London Borough of Barnet")
    check_accessibility(page)
