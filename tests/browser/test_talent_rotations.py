"""A rotation round in Chromium: the partnership lead creates a scheme (a bad number of rounds is
named), starts a cohort and adds the council's social worker; the trust's L&D lead offers a post;
the social worker ranks it (their own council's post is not offered to them); the lead runs the
matching and publishes; the social worker sees their placement. Every page is checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser


def test_a_rotation_round_from_scheme_to_published_placement(sign_in, browser_world, page):
    page.goto("/healthz", timeout=180_000)  # the first request imports every URL module

    # The partnership lead creates a scheme and a cohort
    page = sign_in("partnership_lead")
    page.goto("/talent/")
    page.get_by_role("link", name="Rotation schemes", exact=True).click()
    check_accessibility(page)
    page.get_by_role("link", name="Create a scheme").click()
    page.get_by_label("Name").fill("Leaders of tomorrow")
    page.get_by_label("Number of rounds").fill("many")
    page.get_by_role("button", name="Create scheme").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Number of rounds must be a whole number from 1 to 12"
    )
    check_accessibility(page)
    page.get_by_label("Number of rounds").fill("3")
    page.get_by_role("button", name="Create scheme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leaders of tomorrow")
    check_accessibility(page)
    page.get_by_role("link", name="Start a cohort").click()
    page.get_by_label("Name").fill("2027")
    page.get_by_label("Day").fill("4")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Start cohort").click()
    expect(page.locator("main")).to_contain_text("4 January 2027 to 3 September 2027")
    check_accessibility(page)
    page.get_by_role("link", name="Add a participant").click()
    page.get_by_label("E-mail address").fill("sam.staff@barnet.test")
    page.get_by_role("button", name="Add participant").click()
    expect(page.locator("main")).to_contain_text("London Borough of Barnet")
    round_link = page.get_by_role("link", name="Round 1")
    round_url = round_link.get_attribute("href")
    page.get_by_role("button", name="Sign out").click()

    # The trust's L&D lead and the council's L&D lead offer posts
    for persona, title in (("partner_ld_lead", "Service improvement"), ("own_ld_lead", "Policy")):
        page = sign_in(persona)
        page.goto(round_url)
        check_accessibility(page)
        page.get_by_role("link", name="Offer a post").click()
        page.get_by_label("Title").fill(title)
        page.get_by_role("button", name="Offer post").click()
        expect(page.locator("main")).to_contain_text(title)
        page.get_by_role("button", name="Sign out").click()

    # The social worker ranks the trust's post; the council's own post is not offered to them
    page = sign_in("own_staff")
    page.goto(round_url)
    page.get_by_role("link", name="Rank the posts open to you").click()
    expect(page.locator("main")).not_to_contain_text("Policy, London Borough of Barnet")
    check_accessibility(page)
    page.get_by_label("Rank for Service improvement").fill("1")
    page.get_by_role("button", name="Save ranking").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your ranking is saved")
    page.get_by_role("button", name="Sign out").click()

    # The lead runs the matching, reviews and publishes
    page = sign_in("partnership_lead")
    page.goto(round_url)
    page.get_by_role("link", name="Run matching").click()
    check_accessibility(page)
    page.get_by_role("button", name="Run matching").click()
    expect(page.locator("main")).to_contain_text("Result (not yet published)")
    check_accessibility(page)
    page.get_by_role("link", name="Publish result").click()
    page.get_by_role("button", name="Publish result").click()
    expect(page.locator("#round-status")).to_have_text("Published")
    page.get_by_role("button", name="Sign out").click()

    # The social worker sees their placement
    page = sign_in("own_staff")
    page.goto(round_url)
    expect(page.locator("#my-placement")).to_contain_text("Service improvement")
    check_accessibility(page)
