"""Talent profiles in Chromium: the council's social worker fills in a profile (a bad number of
hours is named), lets partners find it, and the trust's L&D lead sees it; she withdraws and the
lead's next look is a 404. The L&D lead merges her free-entry skill into the vocabulary. Every
page visited is checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from joinedup.talent import profiles
from joinedup.talent.models import Skill
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_a_profile_is_found_by_partners_only_while_its_owner_allows(sign_in, browser_world):
    world = browser_world
    page = sign_in("own_staff")
    page.goto("/talent/")
    page.get_by_role("link", name="My talent profile").click()
    check_accessibility(page)
    expect(page.get_by_text("nobody outside the partnership, ever")).to_be_visible()

    page.get_by_role("link", name="Change my profile").click()
    check_accessibility(page)
    page.get_by_label("Skills").fill("Safeguarding, Number crunching")
    page.get_by_label("Shadowing").check()
    page.get_by_label("Hours a week you could give").fill("lots")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Hours a week must be a number")
    check_accessibility(page)
    page.get_by_label("Hours a week you could give").fill("7.5")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()

    page.get_by_role("button", name="Let partners find my profile").click()
    expect(page.get_by_text("People across the partnership can now find")).to_be_visible()
    check_accessibility(page)
    address = f"/talent/profiles/{profiles.profile_for(world.own_staff).pk}/"
    _sign_out(page)

    page = sign_in("partner_ld_lead")
    page.goto(address)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Staff")
    check_accessibility(page)
    _sign_out(page)

    page = sign_in("own_staff")
    page.goto("/talent/profile/")
    page.get_by_role("button", name="Stop partners finding my profile").click()
    expect(page.get_by_text("seen only by your own organisation")).to_be_visible()
    _sign_out(page)

    page = sign_in("partner_ld_lead")
    assert page.goto(address).status == 404
    page.goto("/talent/")
    page.get_by_role("link", name="Skills vocabulary").click()
    check_accessibility(page)
    page.get_by_label("Name").fill("Data analysis")
    page.get_by_role("button", name="Add skill").click()
    page.get_by_role("link", name="Merge or promote Number crunching").click()
    check_accessibility(page)
    page.get_by_label("Merge into").fill("data analysis")
    page.get_by_role("button", name="Merge").click()
    expect(page.get_by_text("Number crunching is merged into Data analysis.")).to_be_visible()
    check_accessibility(page)
    assert not Skill.objects.filter(key="number crunching").exists()
