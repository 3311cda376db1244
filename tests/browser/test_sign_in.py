"""A member of staff signs in through the sign-in form, and is told clearly when that fails."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser


def test_member_of_staff_signs_in_and_sees_who_they_act_for(sign_in):
    # Given a member of staff at the London Borough of Barnet
    # When they sign in with their email address and password
    page = sign_in("own_staff")
    # Then they see their home page, acting for their organisation, in the partnership
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sam")
    expect(page.locator("#acting-organisation")).to_have_text("London Borough of Barnet")
    expect(page.get_by_text("West and North London (test)")).to_be_visible()
    check_accessibility(page)


def test_wrong_password_shows_the_error_summary(page, browser_world):
    # Given a member of staff on the sign-in page
    page.goto("/accounts/login/")
    check_accessibility(page)
    # When they sign in with the wrong password
    page.get_by_label("Email address").fill(browser_world.own_staff.email)
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Sign in").click()
    # Then they stay on the sign-in page, which says what went wrong
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(page).to_have_title("Error: Sign in – Joined Up")
    check_accessibility(page)


def test_signing_out_returns_to_the_sign_in_page(sign_in):
    # Given a member of staff who has signed in
    page = sign_in("own_staff")
    # When they sign out
    page.get_by_role("button", name="Sign out").click()
    page.goto("/")
    # Then the home page asks them to sign in again
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Joined Up")
    check_accessibility(page)


def test_forgotten_password_is_reset_through_the_emailed_link(page, browser_world, mailoutbox):
    # Given a member of staff who has forgotten their password
    page.goto("/accounts/login/")
    page.get_by_role("link", name="I have forgotten my password").click()
    check_accessibility(page)
    # When they ask for a reset link and follow it
    page.get_by_label("Email address").fill(browser_world.own_staff.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_accessibility(page)
    link = re.search(r"https?://\S+?(/accounts/reset/\S+/)", mailoutbox[0].body).group(1)
    page.goto(link)
    check_accessibility(page)
    # And choose a new password, the second time without a typing mistake
    page.get_by_label("New password", exact=True).fill("a long new passphrase 2026")
    page.get_by_label("Confirm the new password").fill("a long new passphrase 2025")
    page.get_by_role("button", name="Save the password").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_label("Confirm the new password")).to_have_accessible_description(
        re.compile("Error:")
    )
    check_accessibility(page)
    page.get_by_label("New password", exact=True).fill("a long new passphrase 2026")
    page.get_by_label("Confirm the new password").fill("a long new passphrase 2026")
    page.get_by_role("button", name="Save the password").click()
    # Then they can sign in with it
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    check_accessibility(page)
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email address").fill(browser_world.own_staff.email)
    page.get_by_label("Password").fill("a long new passphrase 2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sam")
