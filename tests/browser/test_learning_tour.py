"""Every learning page a host, a line manager, a partner's lead and a learner work from is
accessible, with rows in its tables; the journeys cover the booking pages themselves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.learning import attendance, reservations, services
from joinedup.learning.models import Booking, Outcome, SharingPolicy
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory
from tests.browser.test_page_tour import visit_each

pytestmark = pytest.mark.browser


@pytest.fixture
def learning_world(browser_world):
    """A course held three days ago with outcomes, a charge and an evaluation; a course to come
    with a partner's block; a request awaiting a line manager's approval."""
    world = browser_world
    host = world.actor("own_ld_lead")
    past = RunFactory(
        programme=ProgrammeFactory(
            host=world.own, title="Motivational interviewing", partner_price=Decimal("150.00")
        ),
        capacity=12,
    )
    session = SessionFactory(run=past, date=timezone.localdate() - dt.timedelta(days=3))
    for persona in ("own_staff", "partner_staff"):
        services.book_place(actor=world.actor(persona), run=past, person=world.person(persona))
    services.release_unfilled_places(actor=host, run=past)
    booked = list(Booking.objects.filter(run=past))
    attendance.record_attendance(
        actor=host, session=session, present={booking.pk: True for booking in booked}
    )
    attendance.record_outcomes(
        actor=host, run=past, outcomes={booking.pk: Outcome.COMPLETED for booking in booked}
    )
    nurse = Booking.objects.get(run=past, person=world.partner_staff)
    attendance.submit_evaluation(
        actor=world.actor("partner_staff"),
        booking=nurse,
        ratings={name: 4 for name, _question in attendance.QUESTIONS},
        went_well="Real cases from both organisations.",
    )
    coming = RunFactory(
        programme=ProgrammeFactory(
            host=world.own,
            title="Strengths-based practice",
            sharing_policy=SharingPolicy.PARTNERS_FROM_START,
        ),
        capacity=10,
    )
    SessionFactory(run=coming)
    block = reservations.reserve_places(actor=world.actor("partner_ld_lead"), run=coming, places=2)
    approval = RunFactory(
        programme=ProgrammeFactory(
            host=world.own, title="Leading through change", approval_required=True
        )
    )
    SessionFactory(run=approval)
    request = services.book_place(
        actor=world.actor("own_staff"), run=approval, person=world.person("own_staff")
    )
    return {
        "past": past,
        "session": session,
        "coming": coming,
        "block": block,
        "request": request,
        "own_place": Booking.objects.get(run=past, person=world.own_staff),
        "charge": nurse.recharge,
    }


def test_every_page_a_host_works_from_is_accessible(learning_world, sign_in, subtests):
    past, coming = learning_world["past"], learning_world["coming"]
    page = sign_in("own_ld_lead")
    visit_each(
        page,
        subtests,
        [
            reverse("learning:manage"),
            reverse("learning:programme-new"),
            reverse("learning:programme-edit", args=[past.programme.pk]),
            reverse("learning:run-new", args=[past.programme.pk]),
            reverse("learning:run-manage", args=[past.pk]),
            reverse("learning:run-manage", args=[coming.pk]),
            reverse("learning:run-edit", args=[coming.pk]),
            reverse("learning:run-cancel", args=[coming.pk]),
            reverse("learning:run-release", args=[coming.pk]),
            reverse("learning:release-log"),
            reverse("learning:run-attendance", args=[past.pk]),
            reverse("learning:session-register", args=[learning_world["session"].pk]),
            reverse("learning:record-outcomes", args=[past.pk]),
            reverse("learning:run-evaluations", args=[past.pk]),
            reverse("learning:exchange"),
            reverse("learning:completions"),
            reverse("partnership:recharges"),
            reverse("partnership:recharge-entries"),
            reverse("partnership:recharge-reverse", args=[learning_world["charge"].pk]),
        ],
    )


def test_every_page_a_line_manager_and_a_partners_lead_work_from_is_accessible(
    learning_world, sign_in, subtests
):
    page = sign_in("own_line_manager")
    visit_each(
        page,
        subtests,
        [
            reverse("learning:my-team"),
            reverse("learning:approvals"),
            reverse("learning:decline-request", args=[learning_world["request"].pk]),
            reverse("learning:book-for-team", args=[learning_world["coming"].pk]),
        ],
    )
    page.get_by_role("button", name="Sign out").click()
    page = sign_in("partner_ld_lead")
    visit_each(
        page,
        subtests,
        [
            reverse("learning:run", args=[learning_world["coming"].pk]),
            reverse("learning:reserve", args=[learning_world["coming"].pk]),
            reverse("learning:name-into-reservation", args=[learning_world["block"].pk]),
            reverse("learning:exchange"),
            reverse("partnership:recharges"),
        ],
    )


def test_every_page_a_learner_works_from_after_a_course_is_accessible(
    learning_world, sign_in, subtests
):
    page = sign_in("own_staff")
    visit_each(
        page,
        subtests,
        [
            reverse("learning:my-learning"),
            reverse("learning:evaluate", args=[learning_world["own_place"].pk]),
            reverse("learning:calendar-feed-page"),
            reverse("learning:programme", args=[learning_world["past"].programme.pk]),
        ],
    )
