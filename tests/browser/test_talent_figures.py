"""The figures' Done when in Chromium: the partnership lead sees the system translator share and
the leakage figures change after a council officer's secondment to the trust and a leaver to a
partner. Every page visited is checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from joinedup.partnership.models import Destination
from joinedup.talent.tests.figures_data import leave, second
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser


def test_the_partnership_lead_sees_translators_and_leakage_change(sign_in, browser_world):
    page = sign_in("partnership_lead")
    page.goto("/talent/")
    page.get_by_role("link", name="System translators").click()
    expect(page.get_by_role("heading", name="System translators", level=1)).to_be_visible()
    table = page.locator("#translators")
    own_row = table.get_by_role("row").filter(has_text=browser_world.own.name)
    expect(own_row).to_contain_text("0.0%")
    expect(page.locator("#no-moves")).to_be_visible()
    check_accessibility(page)

    # The council officer's secondment to the trust started four months ago; an admin left for
    # the trust.
    second(browser_world, "own_staff", browser_world.partner, started_days_ago=120)
    leave(browser_world, "own_admin", Destination.PARTNER, to=browser_world.partner)

    page.reload()
    expect(own_row).to_contain_text("20.0%")
    expect(page.locator("#moves-table")).to_contain_text(browser_world.partner.name)
    check_accessibility(page)

    # A date that is not real is named in the error summary.
    page.get_by_role("group", name="As of").get_by_label("Day").fill("31")
    page.get_by_role("group", name="As of").get_by_label("Month").fill("2")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("As of must be a real date")
    check_accessibility(page)

    page.get_by_role("link", name="Leakage: where leavers went").click()
    expect(page.locator("#retained-share")).to_have_text("100.0%")
    expect(page.locator("#leakage-organisation")).to_contain_text(browser_world.own.name)
    check_accessibility(page)
    assert page.console_errors == []
