"""A partner's member of staff finds a course another organisation hosts, joins its waiting list
before the cut-off and sees it in My learning; after the release she accepts the place offered,
and the host sees the release; every page checked with axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from joinedup.learning.jobs import release_and_lapse
from joinedup.learning.models import Booking, BookingStatus, ReleaseMode, Run, SharingPolicy
from joinedup.learning.services import book_place
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory
from joinedup.partnership.actor import Actor
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser


@pytest.fixture
def barnet_course(browser_world):
    programme = ProgrammeFactory(
        host=browser_world.own,
        title="Motivational interviewing",
        sharing_policy=SharingPolicy.OWN_THEN_PARTNERS,
    )
    run = RunFactory(programme=programme, capacity=12)
    SessionFactory(run=run, date=timezone.localdate() + dt.timedelta(days=40))
    return run


def test_partner_staff_join_the_waiting_list_of_a_course_hosted_by_a_partner(
    sign_in, barnet_course
):
    # Given a nurse at the partner trust and a Barnet course open to its own staff until the cut-off
    page = sign_in("partner_staff")
    # When they find it in the learning catalogue
    page.get_by_role("link", name="Learning").first.click()
    check_accessibility(page)
    page.get_by_label("Search", exact=True).fill("Motivational")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Motivational interviewing").click()
    check_accessibility(page)
    # Then the run says they can wait for a released place, and they join the waiting list
    page.get_by_role("link", name=f"Run {barnet_course.pk}").first.click()
    check_accessibility(page)
    page.locator("#book").click()
    check_accessibility(page)
    page.get_by_role("button", name="Book").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("waiting list")
    check_accessibility(page)
    # And My learning lists the course among the places they are waiting for
    page.goto("/learning/mine/")
    expect(page.get_by_text("Motivational interviewing").first).to_be_visible()
    check_accessibility(page)


def test_a_partner_sees_the_place_released_to_them_accepts_it_and_the_host_sees_the_release(
    sign_in, browser_world, barnet_course
):
    # Given the nurse is waiting on a full Barnet course whose places are offered at release
    Run.objects.filter(pk=barnet_course.pk).update(release_mode=ReleaseMode.OFFER)
    nurse = browser_world.partner_staff
    book_place(
        actor=Actor(person=nurse, organisation=browser_world.partner),
        run=barnet_course,
        person=nurse,
    )
    # When the cut-off passes and the every-minute job releases the run
    Run.objects.filter(pk=barnet_course.pk).update(
        cut_off_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert release_and_lapse()["released"] == 1
    # Then My learning shows her the offer, and she accepts it
    page = sign_in("partner_staff")
    page.goto("/learning/mine/")
    expect(page.get_by_text("Motivational interviewing").first).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Accept").first.click()
    check_accessibility(page)
    page.get_by_role("button", name="Accept").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    check_accessibility(page)
    assert Booking.objects.get(person=nurse, run=barnet_course).status == BookingStatus.CONFIRMED
    # And Barnet's L&D lead sees the release in the release log and the place on the run
    page.get_by_role("button", name="Sign out").click()
    host = sign_in("own_ld_lead")
    host.goto("/learning/releases/")
    expect(host.get_by_text("Motivational interviewing").first).to_be_visible()
    check_accessibility(host)
    host.goto(f"/learning/runs/{barnet_course.pk}/manage/")
    expect(host.get_by_text(nurse.full_name).first).to_be_visible()
    check_accessibility(host)
