"""The talent issue's journey in Chromium, from opportunity to signed secondment to return.

Given a council social worker opted into the talent scheme with hospital discharge on her profile,
and a part-time secondment the NHS trust offers from today: she finds it recommended with its
reasons and applies; the trust offers it and she accepts; the trust's L&D lead drafts the
agreement (a bad number is named); her line manager and the council's L&D lead release her; she,
the council and the trust sign; the move is in her history and her council job shows "Seconded
out"; the trust ends it early with a reason, she gives feedback and her line manager records her
return. Every page visited is checked with axe.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from joinedup.talent import opportunities
from joinedup.talent.models import Application, OpportunityKind, SecondmentAgreement
from joinedup.talent.tests.factories import ProfileFactory, SkillFactory, add_skills
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser

TITLE = "Discharge planning lead (two days a week)"
TRUST = "London North West University Healthcare NHS Trust"


@pytest.fixture
def offered(browser_world, page):
    """Sam's discoverable profile with the skill the trust's secondment wants, and the trust's
    part-time secondment starting today."""
    world = browser_world
    skill = SkillFactory(partnership=world.partnership, name="Hospital discharge")
    profile = ProfileFactory(
        person=world.own_staff,
        partnership=world.partnership,
        organisation=world.own,
        sector=world.own.sector,
        discoverable=True,
        discoverable_since=timezone.now(),
    )
    add_skills(profile, skill)
    today = timezone.localdate()
    opportunity = opportunities.create_opportunity(
        actor=world.actor("partner_ld_lead"),
        kind=OpportunityKind.SECONDMENT_PART,
        title=TITLE,
        description="Join the hospital discharge team two days a week.",
        starts_on=today,
        duration_months=6,
        time_share=40,
        closes_on=today,
        location="Northwick Park Hospital, Harrow",
        essential_skills=["Hospital discharge"],
    )
    page.goto("/healthz", timeout=180_000)  # the first request imports every URL module
    return opportunity


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def _visit(page, url: str) -> None:
    page.goto(url)
    check_accessibility(page)


def test_a_council_officer_is_seconded_to_the_trust_and_returns(sign_in, offered, browser_world):
    world = browser_world

    # She finds the trust's part-time secondment recommended, with its reasons, and applies
    page = sign_in("own_staff")
    _visit(page, "/talent/")
    page.get_by_role("link", name="Recommended for you").click()
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text(TRUST)
    expect(row).to_contain_text("has 1 of 1 essential skills")
    expect(row).to_contain_text("would gain health-sector experience")
    check_accessibility(page)
    row.get_by_role("link", name=TITLE).click()
    check_accessibility(page)
    page.get_by_label("Your statement").fill("I run the council's side of hospital discharges.")
    page.get_by_role("button", name="Send application").click()
    check_accessibility(page)
    application = Application.objects.get(applicant=world.own_staff)
    application_url = f"/talent/applications/{application.pk}/"
    _sign_out(page)

    # The trust offers it
    page = sign_in("partner_ld_lead")
    _visit(page, application_url)
    page.get_by_role("link", name="Offer the opportunity").click()
    check_accessibility(page)
    page.get_by_role("button", name="Make the offer").click()
    check_accessibility(page)
    _sign_out(page)

    # and she accepts
    page = sign_in("own_staff")
    _visit(page, application_url)
    page.get_by_role("link", name="Accept the offer").click()
    check_accessibility(page)
    page.get_by_role("button", name="Accept the offer").click()
    expect(page.locator("#secondment-agreement")).to_be_visible()
    check_accessibility(page)
    _sign_out(page)

    # The trust's L&D lead drafts the agreement; a number that is not one is named
    page = sign_in("partner_ld_lead")
    _visit(page, application_url)
    page.get_by_role("link", name="Draft the secondment agreement").click()
    check_accessibility(page)
    expect(page.get_by_label("Hours a week")).to_have_value("15.0")
    page.get_by_label("Recharge amount").fill("four thousand")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Recharge amount must be a number")
    check_accessibility(page)
    page.get_by_label("Recharge amount").fill("4500")
    page.get_by_label("Objectives").fill("Cut delayed discharges for Barnet residents")
    page.get_by_label("Return arrangements").fill("Back to her social work team full time")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#agreement-status")).to_have_text(
        "Awaiting release by the home organisation"
    )
    check_accessibility(page)
    agreement = SecondmentAgreement.objects.get(application=application)
    agreement_url = f"/talent/secondments/{agreement.pk}/"
    _sign_out(page)

    # Her line manager, then the council's L&D lead, release her
    for persona in ("own_line_manager", "own_ld_lead"):
        page = sign_in(persona)
        _visit(page, "/talent/secondments/" if persona == "own_line_manager" else agreement_url)
        if persona == "own_line_manager":
            page.get_by_role("link", name="Sam Staff").first.click()
            check_accessibility(page)
        page.get_by_role("link", name="Release", exact=True).click()
        check_accessibility(page)
        page.get_by_role("button", name="Release").click()
        check_accessibility(page)
        _sign_out(page)
    expect_status = "Awaiting signatures"

    # She, the council and the trust sign the terms
    for persona in ("own_staff", "own_ld_lead", "partner_ld_lead"):
        page = sign_in(persona)
        _visit(page, agreement_url)
        expect(page.locator("#agreement-status")).to_have_text(expect_status)
        page.get_by_role("link", name="Sign the agreement").click()
        check_accessibility(page)
        if persona == "own_staff":
            page.get_by_role("button", name="Sign the terms").click()  # not ticked: named
            expect(page.locator(".govuk-error-summary")).to_contain_text(
                "Confirm you have read and agree to the terms"
            )
            check_accessibility(page)
        page.get_by_label("I have read these terms and agree to them").check()
        page.get_by_role("button", name="Sign the terms").click()
        check_accessibility(page)
        if persona != "partner_ld_lead":
            _sign_out(page)
    # Signed on its start date, it starts at once
    expect(page.locator("#agreement-status")).to_have_text("Secondment under way")
    _sign_out(page)

    # The move is in her history, and her council job shows she is seconded out
    page = sign_in("own_staff")
    _visit(page, "/profile/")
    ends = agreement.ends_on
    expect(
        page.get_by_text(f"Seconded out to {TRUST} until {ends.day} {ends:%B %Y}")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("Secondment")
    _sign_out(page)

    # The trust ends it early with a reason; she gives feedback; her manager records her return
    page = sign_in("partner_ld_lead")
    _visit(page, agreement_url)
    page.get_by_role("link", name="End early").click()
    check_accessibility(page)
    page.get_by_label("Reason").fill("The discharge project finished early")
    page.get_by_role("button", name="End secondment").click()
    expect(page.locator("#agreement-status")).to_have_text("Ended")
    check_accessibility(page)
    _sign_out(page)

    page = sign_in("own_staff")
    _visit(page, agreement_url)
    page.get_by_role("link", name="Give feedback").click()
    check_accessibility(page)
    page.get_by_label("Feedback").fill("I learnt how the wards plan discharges")
    page.get_by_role("button", name="Send feedback").click()
    check_accessibility(page)
    _sign_out(page)

    page = sign_in("own_line_manager")
    _visit(page, agreement_url)
    page.get_by_role("link", name="Record the return").click()
    check_accessibility(page)
    back = timezone.localdate() + dt.timedelta(days=1)
    page.get_by_label("Day").fill(str(back.day))
    page.get_by_label("Month").fill(str(back.month))
    page.get_by_label("Year").fill(str(back.year))
    page.get_by_role("button", name="Record return").click()
    expect(page.locator("#feedback")).to_contain_text("I learnt how the wards plan discharges")
    expect(page.locator("#feedback")).to_contain_text(f"{back.day} {back:%B %Y}")
    expect(page.locator("#steps")).to_contain_text("Return recorded")
    check_accessibility(page)
