"""When something goes wrong, the styled error pages are as accessible as the rest."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.urls("joinedup.partnership.tests.error_urls")]


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/test-errors/broken/", 500, "Sorry, there is a problem with the service"),
        ("/test-errors/suspicious/", 400, "Sorry, there is a problem with the request"),
    ],
)
def test_signed_in_person_sees_an_accessible_error_page(sign_in, path, status, heading):
    # Given a member of staff who has signed in
    page = sign_in("own_staff")
    # When a page fails
    response = page.goto(path)
    # Then they see the styled error page, which is accessible
    assert response.status == status
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_accessibility(page)
