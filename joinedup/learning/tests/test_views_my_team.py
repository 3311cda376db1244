"""My team: a line manager's view of their reports' bookings, approvals pending and completions."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.learning import services
from joinedup.learning.models import Booking, BookingStatus, Outcome, Run
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory
from joinedup.partnership.actor import Actor
from joinedup.partnership.tests.factories import EmploymentFactory

URL = reverse("learning:my-team")


def _run(world, title: str, days: int = 28, approval: bool = False, **fields) -> Run:
    programme = ProgrammeFactory(host=world.own, title=title, approval_required=approval)
    run = RunFactory(programme=programme, **fields)
    SessionFactory(run=run, date=timezone.localdate() + dt.timedelta(days=days))
    return run


def _book(person, organisation, run: Run) -> Booking:
    actor = Actor(person=person, organisation=organisation)
    return services.book_place(actor=actor, run=run, person=person)


def _report(world):
    """A further report of the standing line manager."""
    return EmploymentFactory(
        organisation=world.own, line_manager=world.employments["own_line_manager"]
    ).person


def test_a_line_manager_sees_their_reports_places_waits_offers_and_pending(world, client_for):
    staff = world.person("own_staff")
    _book(staff, world.own, _run(world, "Safeguarding adults"))
    _book(staff, world.own, _run(world, "Leading teams", capacity=1, places_taken=1))
    _book(staff, world.own, _run(world, "Budgeting", approval=True))
    _book(staff, world.own, _run(world, "Coaching skills", approval=True))
    offered = _run(world, "Mental health first aid", places_taken=1)
    Booking.objects.create(
        run=offered,
        person=staff,
        organisation=world.own,
        status=BookingStatus.OFFERED,
        offer_expires_at=timezone.now() + dt.timedelta(hours=48),
    )
    response = client_for("own_line_manager").get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Safeguarding adults" in page[page.index('id="upcoming"') :]
    assert "Leading teams" in page[page.index('id="waiting"') :]
    assert "Mental health first aid" in page[page.index('id="offers"') :]
    assert "2 bookings waiting for your approval" in page
    assert reverse("learning:approvals") in page
    assert "Budgeting" not in page


def test_completions_read_the_outcome_the_host_recorded(world, client_for):
    booking = _book(world.person("own_staff"), world.own, _run(world, "First aid", days=-10))
    Booking.objects.filter(pk=booking.pk).update(
        outcome=Outcome.COMPLETED, outcome_recorded_at=timezone.now()
    )
    not_completed = _book(world.person("own_staff"), world.own, _run(world, "Old course", days=-9))
    Booking.objects.filter(pk=not_completed.pk).update(outcome=Outcome.NOT_COMPLETED)
    page = client_for("own_line_manager").get(URL).content.decode()
    completions = page[page.index('id="completions"') :]
    assert "First aid" in completions
    assert "Old course" not in completions


def test_bookings_of_people_who_are_not_reports_are_not_shown(world, client_for):
    _book(world.person("own_admin"), world.own, _run(world, "Budgeting"))
    page = client_for("own_line_manager").get(URL).content.decode()
    assert "Budgeting" not in page
    assert 'id="no-upcoming"' in page


def test_people_who_manage_nobody_are_refused(world, client_for):
    for persona in ("own_staff", "own_ld_lead", "partner_admin", "outsider"):
        assert client_for(persona).get(URL).status_code == 403
    assert client_for("anonymous").get(URL)["Location"].startswith("/accounts/login/")


def test_my_team_takes_the_same_number_of_queries_however_big_the_team(world, client_for):
    client = client_for("own_line_manager")

    def grow(count: int) -> None:
        for number in range(count):
            person = _report(world)
            _book(person, world.own, _run(world, f"Course {number}"))
            _book(person, world.own, _run(world, f"Full {number}", capacity=1, places_taken=1))
            _book(person, world.own, _run(world, f"Approval {number}", approval=True))
            done = _book(person, world.own, _run(world, f"Done {number}", days=-5))
            Booking.objects.filter(pk=done.pk).update(
                outcome=Outcome.COMPLETED, outcome_recorded_at=timezone.now()
            )

    grow(1)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    grow(6)
    with CaptureQueriesContext(connection) as large:
        page = client.get(URL).content.decode()
    assert "7 bookings waiting for your approval" in page
    assert len(large) == len(small)
