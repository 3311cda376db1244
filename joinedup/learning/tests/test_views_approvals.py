"""The approvals queue: a line manager approves or declines their reports' booking requests."""

from __future__ import annotations

from django.urls import reverse

from joinedup.learning import services
from joinedup.learning.models import Booking, BookingStatus, Run
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory
from joinedup.partnership.models import AuditEvent

URL = reverse("learning:approvals")


def _run(world, title: str = "Safeguarding adults", **fields) -> Run:
    programme = ProgrammeFactory(host=world.own, title=title, approval_required=True)
    run = RunFactory(programme=programme, **fields)
    SessionFactory(run=run)
    return run


def _request(world, persona: str = "own_staff", run: Run | None = None) -> Booking:
    run = run or _run(world)
    return services.book_place(actor=world.actor(persona), run=run, person=world.person(persona))


def _approve(client, booking: Booking):
    return client.post(reverse("learning:approve-booking", args=[booking.pk]))


def test_nothing_is_confirmed_before_the_line_manager_approves(world, client_for):
    run = _run(world)
    booking = _request(world, run=run)
    assert booking.status == BookingStatus.REQUESTED
    run.refresh_from_db()
    assert run.places_taken == 0
    mine = client_for("own_staff").get(reverse("learning:my-learning")).content.decode()
    assert "Awaiting approval" in mine
    assert 'id="no-upcoming"' in mine


def test_a_line_manager_sees_their_reports_requests_and_nobody_elses(world, client_for):
    _request(world, run=_run(world, title="Leading teams"))
    _request(world, "own_admin", run=_run(world, title="Budgeting"))
    response = client_for("own_line_manager").get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Leading teams" in page
    assert "Sam Staff" in page
    assert "Budgeting" not in page


def test_approving_a_request_with_a_place_free_confirms_it(world, client_for):
    booking = _request(world)
    client = client_for("own_line_manager")
    response = _approve(client, booking)
    assert response["Location"] == URL
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.approved_by == world.person("own_line_manager")
    assert booking.run.places_taken == 1
    assert AuditEvent.objects.filter(action="booking.approved", object_id=str(booking.pk)).exists()
    page = client.get(URL).content.decode()
    assert "their place is confirmed" in page
    assert 'id="no-requests"' in page


def test_approving_a_request_on_a_full_run_puts_them_on_the_waiting_list(world, client_for):
    booking = _request(world, run=_run(world, capacity=1, places_taken=1))
    client = client_for("own_line_manager")
    _approve(client, booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.WAITING
    assert "they are on the waiting list" in client.get(URL).content.decode()


def test_a_request_already_decided_is_not_approved_twice(world, client_for):
    booking = _request(world)
    client = client_for("own_line_manager")
    _approve(client, booking)
    response = _approve(client, booking)
    assert response.status_code == 302
    assert "This booking has changed" in client.get(URL).content.decode()
    booking.run.refresh_from_db()
    assert booking.run.places_taken == 1


def test_declining_needs_a_reason_shown_in_the_error_summary(world, client_for):
    booking = _request(world)
    url = reverse("learning:decline-request", args=[booking.pk])
    response = client_for("own_line_manager").post(url, {"reason": "  "})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert 'href="#id_reason"' in page
    assert "Enter a reason for declining the booking" in page
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_declining_with_a_reason_keeps_it_on_the_booking(world, client_for):
    booking = _request(world)
    url = reverse("learning:decline-request", args=[booking.pk])
    response = client_for("own_line_manager").post(url, {"reason": "Not this quarter"})
    assert response["Location"] == URL
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED
    assert booking.decline_reason == "Not this quarter"
    assert booking.run.places_taken == 0


def test_the_person_cannot_approve_their_own_request(world, client_for):
    booking = _request(world)
    assert _approve(client_for("own_staff"), booking).status_code == 403
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_others_cannot_see_or_decide_a_request(world, client_for):
    booking = _request(world)
    for persona in ("own_admin", "partner_ld_lead", "outsider"):
        client = client_for(persona)
        assert _approve(client, booking).status_code == 404
        assert client.get(reverse("learning:decline-request", args=[booking.pk])).status_code == 404
    assert _approve(client_for("own_ld_lead"), booking).status_code == 403


def test_people_who_manage_nobody_are_refused_the_queue(world, client_for):
    for persona in ("own_staff", "partner_ld_lead", "outsider"):
        assert client_for(persona).get(URL).status_code == 403


def test_approving_is_a_post(world, client_for):
    booking = _request(world)
    url = reverse("learning:approve-booking", args=[booking.pk])
    assert client_for("own_line_manager").get(url).status_code == 405
