"""The network "Done when" in Chromium, as new users would try it: apprentices of a council and a
trust discuss a module on its board across organisations, a post is reported and hidden; a
partnership lead records an initiative and its learning review, and a neighbouring council marks
it adopted with its own changes. Every page visited is checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from joinedup.network import spaces
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser

BOARD = "Level 3 Team Leader: Module 2, Leading people"
THREAD = "Tips for the coaching conversation assignment"
OPENING = (
    "The assignment is **due on Friday**. What helped me:\n\n"
    "- record a practice session\n"
    "- ask your mentor for notes\n\n"
    "The [assessment guide](https://example.org/guide) explains the marking.\n\n"
    "<script>alert(1)</script>\n\n"
    "Also [x](javascript:alert(1))"
)
FOLLOW_UP = "My resident Mrs J. Example of 12 Acacia Road can tell you how it went, ring her."
REPLY = "Thanks, recording a session helped me too. Our ward runs one every Tuesday."
INITIATIVE = "Discharge to assess: home first in Brent"


@pytest.fixture
def module_board(browser_world):
    """A module board the apprenticeship app would make: linked space with an apprentice of the
    council and one of the trust, and the trust's practice educator as its moderator."""
    world = browser_world
    board = spaces.context_space(
        partnership=world.partnership,
        owner_organisation=world.own,
        kind="apprenticeships.module",
        object_id="team-leader-2",
        label=BOARD,
    )
    members = [(world.own_staff, world.own), (world.partner_staff, world.partner)]
    moderators = []
    if world.person("space_moderator") is not None:
        members.append((world.space_moderator, world.partner))
        moderators.append(world.space_moderator)
    spaces.set_context_members(board, members, moderators=moderators)
    return board


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_apprentices_of_a_council_and_a_trust_discuss_a_module_and_a_post_is_hidden(
    sign_in, browser_world, module_board
):
    page = sign_in("own_staff")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # The council's apprentice finds the module board from Learning together
    page.get_by_role("link", name="Learning together").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning together")
    check_accessibility(page)
    page.get_by_role("link", name="Your spaces and communities to join").click()
    check_accessibility(page)
    page.get_by_role("link", name=BOARD).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BOARD)
    expect(page.get_by_text("No threads yet.")).to_be_visible()
    check_accessibility(page)

    # and starts a thread written in the safe text format, with something hostile in it
    page.get_by_role("link", name="Start a thread").click()
    check_accessibility(page)
    page.get_by_label("Title").fill(THREAD)
    page.get_by_label("Your post").fill(OPENING)
    page.get_by_role("button", name="Start the thread").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("thread has been started")
    expect(page.get_by_role("heading", level=1)).to_have_text(THREAD)
    check_accessibility(page)

    # The thread shows the formatting, the script as harmless text and no javascript: link
    opening = page.locator(".app-post__body").first
    expect(opening.locator("strong")).to_have_text("due on Friday")
    expect(opening.locator("li")).to_have_text(
        ["record a practice session", "ask your mentor for notes"]
    )
    expect(opening.get_by_role("link", name="assessment guide")).to_have_attribute(
        "href", "https://example.org/guide"
    )
    expect(opening).to_contain_text("<script>alert(1)</script>")
    assert opening.locator("script").count() == 0
    assert (
        page.evaluate(
            "() => [...document.querySelectorAll('[href], [src], [action]')].filter(e =>"
            " /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src')"
            " || e.getAttribute('action') || '')).length"
        )
        == 0
    )
    assert (
        page.evaluate(
            "() => [...document.querySelectorAll('.app-post__body *')]"
            ".filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length"
        )
        == 0
    )

    # She adds a follow-up that names a resident
    page.get_by_label("Your reply").fill(FOLLOW_UP)
    page.get_by_role("button", name="Post your reply").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("reply has been posted")
    check_accessibility(page)
    assert dialogs == []
    _sign_out(page)

    # The trust's apprentice sees the thread unread in My discussions, reads it and replies
    page = sign_in("partner_staff")
    page.get_by_role("link", name="Learning together").first.click()
    page.get_by_role("link", name=re.compile("^My discussions")).click()
    row = page.get_by_role("row", name=re.compile(THREAD))
    expect(row).to_contain_text("Unread")
    expect(row).to_contain_text(BOARD)
    check_accessibility(page)
    row.get_by_role("link", name=THREAD).click()
    expect(page.locator(".app-post__body").first.locator("strong")).to_have_text("due on Friday")
    check_accessibility(page)
    page.get_by_label("Your reply").fill(REPLY)
    page.get_by_role("button", name="Post your reply").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("reply has been posted")
    expect(page.locator(".app-post")).to_have_count(3)
    expect(page.locator(".app-post").nth(2)).to_contain_text(browser_world.partner.name)
    check_accessibility(page)
    assert dialogs == []

    # and reports the follow-up for naming a resident
    follow_up = page.locator(".app-post", has_text="Acacia Road")
    follow_up.get_by_role("link", name=re.compile("^Report")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a post")
    check_accessibility(page)
    page.get_by_label("Shares someone's personal details").check()
    page.get_by_label("Tell the moderators more").fill("It names a resident and her address.")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("moderators will look")
    check_accessibility(page)
    _sign_out(page)

    # The board's moderator (or the partnership lead) hides it from the queue, giving a reason
    moderator = "space_moderator" if browser_world.person("space_moderator") else "partnership_lead"
    page = sign_in(moderator)
    page.get_by_role("link", name="Learning together").first.click()
    page.get_by_role("link", name="Moderation: reported posts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation")
    reported = page.locator("section", has_text=THREAD)
    expect(reported).to_contain_text("Acacia Road")
    expect(reported).to_contain_text("Shares someone's personal details")
    check_accessibility(page)
    reported.get_by_role("link", name=re.compile("^Hide post")).click()
    check_accessibility(page)
    page.get_by_label("Why are you hiding this post?").fill(
        "It gives a resident's name and address. Please do not share personal details."
    )
    page.get_by_role("button", name=re.compile("Hide")).click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    expect(page.get_by_text("There are no open reports")).to_be_visible()
    check_accessibility(page)
    _sign_out(page)

    # The trust's apprentice no longer sees the hidden post; the rest of the thread is there
    page = sign_in("partner_staff")
    page.get_by_role("link", name="Learning together").first.click()
    page.get_by_role("link", name=re.compile("^My discussions")).click()
    page.get_by_role("link", name=THREAD).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(THREAD)
    expect(page.locator(".app-post")).to_have_count(2)
    expect(page.get_by_text("Acacia Road")).to_have_count(0)
    expect(page.get_by_text(REPLY)).to_be_visible()
    check_accessibility(page)
    assert dialogs == []


def test_a_lead_records_an_initiative_and_its_review_and_a_neighbouring_council_adopts_it(
    sign_in, browser_world
):
    world = browser_world
    # The partnership lead records an initiative of the ICB, with the trust as a partner
    page = sign_in("partnership_lead")
    page.get_by_role("link", name="Learning together").first.click()
    page.get_by_role("link", name="Record an initiative").click()
    check_accessibility(page)
    page.get_by_label("Title").fill(INITIATIVE)
    page.get_by_label("Summary").fill(
        "Patients well enough to leave hospital go home the same day; their needs are assessed "
        "there, by a joint health and social care team."
    )
    page.get_by_label("Problem or root cause it addresses").select_option(
        label="Hospital discharge"
    )
    page.get_by_label("Status").select_option(label="Pilot")
    page.get_by_label("Places").fill("Brent")
    page.locator("#partners-0-organisation").select_option(label=world.partner.name)
    page.locator("#partners-0-brings-staff").check()
    page.get_by_role("button", name="Save initiative").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(INITIATIVE)
    expect(page.locator("main")).to_contain_text(world.partner.name)
    check_accessibility(page)

    # and records a learning review with one outcome measure
    page.get_by_role("link", name="Record a learning review").click()
    check_accessibility(page)
    reviewed = page.get_by_role("group", name="Date of the review")
    reviewed.get_by_label("Day").fill("14")
    reviewed.get_by_label("Month").fill("9")
    reviewed.get_by_label("Year").fill("2026")
    page.get_by_label("What worked").fill(
        "Assessing at home: people's needs were lower there than on the ward."
    )
    page.get_by_label("Relationships").fill("The trust and the council share a discharge lead.")
    page.get_by_role("combobox", name="Frontline buy-in").select_option(label="High")
    measure = page.get_by_role("group", name="Outcome measure 1")
    measure.get_by_label("Name").fill("Median days from medically fit to discharge")
    measure.get_by_label("Value").fill("1.5")
    measure.get_by_label("Unit").fill("days")
    taken = measure.get_by_role("group", name="Date measure 1 was taken")
    taken.get_by_label("Day").fill("1")
    taken.get_by_label("Month").fill("9")
    taken.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Learning review recorded")
    reviews = page.locator("#reviews")
    expect(reviews).to_contain_text("people's needs were lower there")
    expect(reviews.get_by_role("row", name=re.compile("Median days"))).to_contain_text("1.5")
    check_accessibility(page)
    _sign_out(page)

    # The neighbouring council's L&D lead marks it adopted with Barnet's own changes
    page = sign_in("own_ld_lead")
    page.get_by_role("link", name="Learning together").first.click()
    page.get_by_role("link", name="The initiatives register").click()
    check_accessibility(page)
    page.get_by_role("link", name=INITIATIVE).click()
    expect(page.locator("#reviews")).to_contain_text("Median days")
    check_accessibility(page)
    page.get_by_role("link", name="Record that your organisation adopted this initiative").click()
    check_accessibility(page)
    page.get_by_label("Place").select_option(label="Barnet")
    adopted = page.get_by_role("group", name="Date adopted")
    adopted.get_by_label("Day").fill("2")
    adopted.get_by_label("Month").fill("11")
    adopted.get_by_label("Year").fill("2026")
    page.get_by_label("What you changed").fill(
        "Our reablement team makes the first visit, not the hospital's therapists."
    )
    page.get_by_label("What you learnt").fill("Agree who pays for equipment before the start.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Adoption recorded")

    # The initiative page shows where it spread and what Barnet changed
    spread = page.locator("#spread")
    expect(spread.get_by_role("heading", level=3)).to_have_text(f"{world.own.name}, Barnet")
    expect(spread).to_contain_text("Our reablement team makes the first visit")
    expect(spread).to_contain_text("Agree who pays for equipment")
    check_accessibility(page)
