"""The materials "Done when" in Chromium: the council's L&D lead finds the trust's facilitator guide
by a phrase inside its file, adapts it with credit and records its reuse; the trust's L&D lead
sees the reuse and the saving; an anonymous visitor reads and downloads the openly licensed
handout and gets nothing of the guide. Every page visited is checked with axe."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from joinedup.materials import documents, services
from joinedup.materials.models import ExtractionStatus, Licence, MaterialKind
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser

PHRASE = "kitchen table debrief"
GUIDE = "Reflective supervision for ward managers: facilitator guide"
HANDOUT = "Trauma-informed care: a handout for all staff"
ADAPTED = "Reflective supervision for social work team managers"


@pytest.fixture
def library(browser_world, settings, tmp_path):
    """The trust's guide (partnership members only) and its handout (OGL, published openly),
    added by its L&D lead; the background task reads their text as they are committed."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"
    settings.CLAMAV_SOCKET = ""
    lead = browser_world.actor("partner_ld_lead")
    common = {
        "actor": lead,
        "owner": lead.organisation,
        "programmes": [],
        "authors": [(lead.person, True)],
    }
    guide = services.create_material(
        **common,
        title=GUIDE,
        summary="A half-day session plan for ward managers who supervise staff.",
        kind=MaterialKind.FACILITATOR_GUIDE,
        licence=Licence.PARTNERSHIP,
        topics=["Supervision"],
        upload=SimpleUploadedFile(
            "reflective-supervision.docx",
            documents.docx(f"10:20 The {PHRASE} (40 minutes), in threes."),
        ),
    )
    handout = services.create_material(
        **common,
        title=HANDOUT,
        summary="Two pages on the six principles of trauma-informed care.",
        kind=MaterialKind.HANDOUT,
        licence=Licence.OGL_3,
        topics=["Trauma-informed practice"],
        upload=SimpleUploadedFile(
            "trauma-informed-care.pdf", documents.pdf([["The six principles."]])
        ),
    )
    services.publish_openly(
        actor=lead, material=handout, licence_confirmed=True, content_confirmed=True
    )
    guide.refresh_from_db()
    assert guide.current_version.extraction_status == ExtractionStatus.DONE
    return {"guide": guide, "handout": handout}


def test_a_council_adapts_and_reuses_a_trusts_guide_and_the_trust_sees_the_saving(sign_in, library):
    # The council's L&D lead searches the library for the phrase inside the guide's file
    page = sign_in("own_ld_lead")
    page.get_by_role("link", name="Materials", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Materials library")
    check_accessibility(page)
    page.get_by_label("Search", exact=True).fill(f'"{PHRASE}"')
    page.get_by_role("button", name="Search").click()
    check_accessibility(page)
    expect(page.get_by_role("link", name=HANDOUT)).to_have_count(0)
    page.get_by_role("link", name=GUIDE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(GUIDE)
    check_accessibility(page)

    # She adapts it, offered only the licences a members-only source allows
    page.get_by_role("link", name="Adapt this").click()
    check_accessibility(page)
    expect(page.get_by_label("Partnership members only")).to_be_visible()
    expect(page.get_by_label("Owner organisation only")).to_be_visible()
    expect(page.get_by_label("Open Government Licence v3.0")).to_have_count(0)
    page.get_by_label("Title").fill(f"{ADAPTED}: facilitator guide")
    page.get_by_label("Partnership members only").check()
    page.get_by_role("button", name="Add adaptation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("crediting")
    expect(page.locator("#adapted-from")).to_contain_text(
        f"Version 1 of {GUIDE}, by London North West University Healthcare NHS Trust"
    )
    check_accessibility(page)

    # and records that the council used the original
    page.get_by_role("link", name=GUIDE).click()
    page.get_by_role("link", name="We used this").click()
    check_accessibility(page)
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("10")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Where you used it").fill("Supervision skills for team managers")
    page.get_by_label("Learners reached").fill("14")
    page.get_by_label("Hours saved").fill("7.5")
    page.get_by_label("Cost saved in pounds").fill("600.00")
    page.get_by_role("button", name="Record use").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is recorded")
    check_accessibility(page)

    # The trust's L&D lead sees who used the guide and what it saved
    page.get_by_role("button", name="Sign out").click()
    page = sign_in("partner_ld_lead")
    page.get_by_role("link", name="Materials", exact=True).first.click()
    page.get_by_role("link", name="Your organisation's materials").click()
    expect(page.get_by_role("row", name=GUIDE)).to_contain_text("£600.00")
    expect(page.locator("#reuse-totals")).to_contain_text("£600.00")
    check_accessibility(page)
    page.get_by_role("link", name=GUIDE).click()
    expect(page.locator("#reuses")).to_contain_text("London Borough of Barnet")
    expect(page.locator("#reuses")).to_contain_text("£600.00")
    check_accessibility(page)


def test_an_anonymous_visitor_reads_the_open_handout_and_nothing_else(page, library):
    guide = library["guide"]
    page.goto("/materials/open/")
    check_accessibility(page)
    expect(page.get_by_role("link", name=GUIDE)).to_have_count(0)
    page.get_by_role("link", name=HANDOUT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HANDOUT)
    expect(page.locator("#licence")).to_have_text("Open Government Licence v3.0")
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download trauma-informed-care.pdf").click()
    assert download.value.suggested_filename == "trauma-informed-care.pdf"

    # The members-only guide is not found on the public pages; inside, she is asked to sign in
    assert page.goto(f"/materials/open/{guide.pk}/").status == 404
    page.goto(f"/materials/{guide.pk}/")
    expect(page).to_have_url(re.compile(rf"/accounts/login/\?next=/materials/{guide.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
