"""A member of staff makes a personal API token and sees its value once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser


def test_member_of_staff_creates_a_token_and_sees_it_only_once(sign_in):
    # Given a member of staff on their API tokens page
    page = sign_in("own_staff")
    page.goto("/profile/tokens/")
    check_accessibility(page)
    # When they create a token without naming it
    page.get_by_role("button", name="Create token").click()
    # Then they are asked for a name
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_accessibility(page)
    # When they name it and create it
    page.get_by_label("Name", exact=True).fill("Team dashboard")
    page.get_by_role("button", name="Create token").click()
    # Then the token is shown once, and listed by name
    token = page.locator("#new-token-value")
    expect(token).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Team dashboard")
    check_accessibility(page)
    page.reload()
    expect(token).to_have_count(0)
    check_accessibility(page)


def test_api_documentation_renders_under_the_content_security_policy(sign_in):
    # Given a member of staff who has signed in
    page = sign_in("own_staff")
    # When they open the API documentation
    page.goto("/api/v1/docs")
    # Then Swagger UI draws every operation, with nothing refused by the CSP. axe is not run
    # here: Swagger UI's own colours fail its contrast rule, and this is a page for developers.
    # Drawing the whole document took over 5 s (the default wait) on a slow, loaded CI machine.
    expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)
    assert page.locator(".opblock").count() >= 6
    assert page.console_errors == []
