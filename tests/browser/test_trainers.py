"""The trainer pool's "Done when" in Chromium: the council's L&D lead searches the trainer pool and
asks for the trust's accredited trainer to run a course at the council; the trainer, then their
line manager, then the trust's L&D lead approve in turn; the run appears at the council with the
trainer named. Every page visited is checked with axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from joinedup.learning.models import DeliveryMode, ProgrammeKind, SharingPolicy
from joinedup.learning.services import create_programme
from joinedup.materials import services
from joinedup.materials.models import DeliveryRequest
from joinedup.partnership.actor import Actor
from joinedup.partnership.tests.factories import TEST_PASSWORD, EmploymentFactory, PersonFactory
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser

COURSE = "Conflict resolution training"


@pytest.fixture
def lending(browser_world, page):
    """The trust's course, delivered by accredited trainers; a nurse its L&D lead accredited, with
    a line manager, in the pool for the council with dates over the coming months."""
    world = browser_world
    lead = world.actor("partner_ld_lead")
    programme = create_programme(
        actor=lead,
        title=COURSE,
        kind=ProgrammeKind.COURSE,
        delivery_mode=DeliveryMode.IN_PERSON,
        sharing_policy=SharingPolicy.PARTNERS_FROM_START,
        summary="De-escalation for staff facing the public.",
        topics=["Personal safety"],
        delivered_by_accredited_trainers=True,
    )
    manager = EmploymentFactory(
        person=PersonFactory(email="dawn.james@lnwh.test", given_name="Dawn", family_name="James"),
        organisation=world.partner,
        job_title="Senior staff nurse",
    )
    trainer = EmploymentFactory(
        person=PersonFactory(email="tara.osei@lnwh.test", given_name="Tara", family_name="Osei"),
        organisation=world.partner,
        job_title="Staff nurse",
        line_manager=manager,
    )
    today = timezone.localdate()
    services.accredit(
        actor=lead,
        person=trainer.person,
        programme=programme,
        accredited_on=today - dt.timedelta(days=60),
        expires_on=today + dt.timedelta(days=3 * 365),
        evidence_url="https://learning.lnwh.test/conflict-resolution/assessment",
    )
    as_trainer = Actor(person=trainer.person, organisation=world.partner)
    services.join_pool(actor=as_trainer, days_per_month=2, partners=[world.own])
    services.add_availability(
        actor=as_trainer,
        starts_on=today + dt.timedelta(days=14),
        ends_on=today + dt.timedelta(days=90),
    )
    _warm(page)
    return {"programme": programme, "trainer": trainer.person, "manager": manager.person}


def _warm(page) -> None:
    """The live server's first request imports every URL module, which can outlast a page's
    20-second timeout on a loaded machine: make it here, with time to spare."""
    page.goto("/healthz", timeout=180_000)


def _sign_in_by_email(page, email: str):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def _approve_from_the_list(page) -> None:
    """Open the request waiting for the signed-in person (the e-mail links here) and approve."""
    page.goto("/materials/deliveries/")
    check_accessibility(page)
    page.locator("#waiting").get_by_role("link", name=COURSE).click()
    check_accessibility(page)
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Approved")
    check_accessibility(page)


def test_a_council_borrows_the_trusts_accredited_trainer_approved_in_turn(
    sign_in, lending, browser_world
):
    trainer, manager = lending["trainer"], lending["manager"]
    first_day = timezone.localdate() + dt.timedelta(days=30)
    while first_day.weekday() >= 5:
        first_day += dt.timedelta(days=1)

    # The council's L&D lead searches the pool for the trust's course
    page = sign_in("own_ld_lead")
    page.get_by_role("link", name="Trainers", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trainer pool")
    check_accessibility(page)
    page.get_by_label("Programme").select_option(label=COURSE)
    page.get_by_role("button", name="Search").click()
    row = page.locator(f"#trainer-{trainer.pk}")
    expect(row).to_contain_text("Tara Osei")
    expect(row).to_contain_text("London North West University Healthcare NHS Trust")
    check_accessibility(page)

    # and asks for her for two days at the council
    row.get_by_role("link", name=f"Ask to deliver {COURSE} with Tara Osei").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for a trainer")
    check_accessibility(page)
    page.get_by_label("Dates").fill(f"{first_day:%d/%m/%Y}\nnot a date")
    page.get_by_label("Start time each day").fill("09:30")
    page.get_by_label("End time each day").fill("16:30")
    page.get_by_label("Places").fill("16")
    page.get_by_label("Venue").fill("Hendon Town Hall")
    page.get_by_role("button", name="Send request").click()
    # A line that is not a date is named, on the field
    expect(page.locator(".govuk-error-summary")).to_contain_text("Line 2")
    check_accessibility(page)
    page.get_by_label("Dates").fill(f"{first_day:%d/%m/%Y}")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#status")).to_have_text("Waiting for the trainer")
    check_accessibility(page)
    request_url = page.url

    # The trainer, her line manager and the trust's L&D lead approve in that order
    page.get_by_role("button", name="Sign out").click()
    _sign_in_by_email(page, trainer.email)
    _approve_from_the_list(page)
    expect(page.locator("#status")).to_have_text("Waiting for the trainer's line manager")
    page.get_by_role("button", name="Sign out").click()

    _sign_in_by_email(page, manager.email)
    _approve_from_the_list(page)
    expect(page.locator("#status")).to_have_text("Waiting for the lending organisation's L&D lead")
    page.get_by_role("button", name="Sign out").click()

    page = sign_in("partner_ld_lead")
    _approve_from_the_list(page)
    expect(page.locator("#status")).to_have_text("Approved: run created")
    expect(page.locator("#timeline")).to_contain_text("Dawn James")
    page.get_by_role("button", name="Sign out").click()

    # The run is at the council, with the trainer named
    page = sign_in("own_ld_lead")
    page.goto(request_url)
    expect(page.locator("#status")).to_have_text("Approved: run created")
    expect(page.locator("#run")).to_contain_text("London Borough of Barnet's copy")
    expect(page.locator("main")).to_contain_text("Tara Osei, London North West University")
    check_accessibility(page)
    run = DeliveryRequest.objects.get(trainer=trainer).run
    assert (run.programme.host, run.trainer) == (browser_world.own, trainer)
    page.goto(f"/learning/runs/{run.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(COURSE)
    expect(page.locator("main")).to_contain_text(f"{first_day:%-d %B %Y}")
    check_accessibility(page)
