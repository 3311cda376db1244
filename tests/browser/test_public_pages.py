"""Anyone, signed in or not, can read the pages open to the public, and each one is accessible."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser


PUBLIC_PAGES = {
    "/accounts/login/": "Sign in to Joined Up",
    "/accounts/password-reset/": "Reset your password",
    "/accessibility/": "Accessibility statement",
    "/privacy/": "Privacy notice",
    "/cookies/": "Cookies",
}


def test_anonymous_visitor_reads_each_public_page(page, subtests):
    # Given a visitor who has not signed in
    for path, heading in PUBLIC_PAGES.items():
        with subtests.test(msg=path):
            # When they open a public page
            page.goto(path)
            # Then they see it, and it is accessible
            assert heading in page.get_by_role("heading", level=1).inner_text()
            check_accessibility(page)


def test_signed_in_person_sees_an_accessible_page_not_found(sign_in):
    # Given a member of staff who has signed in (anyone else is asked to sign in first)
    page = sign_in("own_staff")
    # When they open an address that does not exist
    response = page.goto("/no-such-page/")
    # Then they get the styled, accessible "page not found" page
    assert response.status == 404
    assert "Page not found" in page.get_by_role("heading", level=1).inner_text()
    check_accessibility(page)


def test_signed_in_person_refused_a_page_sees_an_accessible_explanation(browser_world, sign_in):
    # Given a member of staff, who does not manage their organisation
    page = sign_in("own_staff")
    # When they open their organisation's management page
    response = page.goto(f"/organisations/{browser_world.own.pk}/manage/")
    # Then they are refused with the styled, accessible "forbidden" page
    assert response.status == 403
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("You do not have permission to do this")
    check_accessibility(page)


def test_anonymous_visitor_asked_to_sign_in_before_the_home_page(page):
    # Given a visitor who has not signed in
    # When they open the home page
    page.goto("/")
    # Then they are sent to the sign-in page
    assert "/accounts/login/?next=/" in page.url
    check_accessibility(page)


def test_keyboard_user_skips_straight_to_the_main_content(sign_in):
    # Given a member of staff who uses a keyboard, on their home page
    page = sign_in("own_staff")
    # When they press Tab once, then Enter
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    page.keyboard.press("Enter")
    # Then the focus moves past the header, switcher and navigation to the main content
    expect(page.locator("main")).to_be_focused()
    check_accessibility(page)
