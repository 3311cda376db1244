"""At 320 CSS pixels wide (WCAG 2.2 reflow) the pages never scroll sideways; wide tables scroll
inside their own focusable box instead."""

from __future__ import annotations

import pytest

from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


def _page_is_no_wider_than_the_window(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(
    ("persona", "link"),
    [("partnership_lead", "People"), ("partnership_lead", "Organisations"), ("own_admin", None)],
)
def test_list_pages_reflow_at_320_pixels(sign_in, browser_world, live_server, persona, link):
    # Given someone on a narrow screen
    page = sign_in(persona)
    page.set_viewport_size(NARROW)
    # When they open a page with a wide table
    if link is None:
        page.goto(f"{live_server.url}/organisations/{browser_world.own.pk}/manage/people/")
    else:
        page.goto(f"{live_server.url}/{link.lower()}/")
    # Then the page does not scroll sideways, the table's box does, and the page stays accessible
    assert _page_is_no_wider_than_the_window(page)
    box = page.locator(".app-table-scroll").first
    assert box.evaluate("element => element.scrollWidth > element.clientWidth")
    box.focus()
    check_accessibility(page)
