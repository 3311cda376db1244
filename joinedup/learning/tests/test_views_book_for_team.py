"""A line manager books a place on a run for someone in their team."""

from __future__ import annotations

from django.urls import reverse

from joinedup.learning.models import Booking, BookingStatus, Run
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory
from joinedup.partnership.models import AuditEvent


def _run(world, approval: bool = False, **fields) -> Run:
    programme = ProgrammeFactory(host=world.own, approval_required=approval)
    run = RunFactory(programme=programme, **fields)
    SessionFactory(run=run)
    return run


def _url(run: Run) -> str:
    return reverse("learning:book-for-team", args=[run.pk])


def test_the_run_page_offers_a_line_manager_booking_for_their_team(world, client_for):
    run = _run(world)
    page = client_for("own_line_manager").get(reverse("learning:run", args=[run.pk]))
    assert _url(run) in page.content.decode()
    for persona in ("own_staff", "own_ld_lead", "partner_staff"):
        other = client_for(persona).get(reverse("learning:run", args=[run.pk])).content.decode()
        assert _url(run) not in other


def test_the_run_page_says_a_managers_booking_counts_as_approval(world, client_for):
    run = _run(world, approval=True)
    page = client_for("own_line_manager").get(reverse("learning:run", args=[run.pk]))
    assert "booking it for them counts as yours" in page.content.decode()
    form = client_for("own_line_manager").get(_url(run)).content.decode()
    assert "it counts as your approval" in form
    assert "Sam Staff" in form


def test_a_line_manager_books_a_confirmed_place_for_a_report(world, client_for):
    run = _run(world)
    client = client_for("own_line_manager")
    staff = world.person("own_staff")
    response = client.post(_url(run), {"person": staff.pk, "note": "Hearing loop"})
    assert response["Location"] == reverse("learning:my-team")
    booking = Booking.objects.get(run=run, person=staff)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.booked_by == world.person("own_line_manager")
    assert booking.adjustments_note == "Hearing loop"
    assert booking.approved_by is None
    assert "it is confirmed" in client.get(response["Location"]).content.decode()


def test_a_managers_booking_where_approval_is_required_is_approved_by_it(world, client_for):
    run = _run(world, approval=True)
    client = client_for("own_line_manager")
    staff = world.person("own_staff")
    response = client.post(_url(run), {"person": staff.pk})
    booking = Booking.objects.get(run=run, person=staff)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.approved_by == world.person("own_line_manager")
    assert AuditEvent.objects.filter(action="booking.confirmed", object_id=str(booking.pk)).exists()
    assert "counts as your approval" in client.get(response["Location"]).content.decode()


def test_a_report_goes_on_the_waiting_list_when_no_place_is_free(world, client_for):
    run = _run(world, capacity=1, places_taken=1)
    client = client_for("own_line_manager")
    response = client.post(_url(run), {"person": world.person("own_staff").pk})
    assert Booking.objects.get(run=run).status == BookingStatus.WAITING
    assert "they are on the waiting list" in client.get(response["Location"]).content.decode()


def test_choosing_nobody_or_someone_outside_the_team_is_an_error(world, client_for):
    run = _run(world)
    client = client_for("own_line_manager")
    page = client.post(_url(run), {}).content.decode()
    assert "Choose who you are booking for" in page
    assert 'href="#id_person"' in page
    page = client.post(_url(run), {"person": world.person("own_admin").pk}).content.decode()
    assert "Choose someone in your team from the list" in page
    assert not Booking.objects.filter(run=run).exists()


def test_a_service_refusal_is_shown_in_the_error_summary(world, client_for):
    run = _run(world)
    client = client_for("own_line_manager")
    client.post(_url(run), {"person": world.person("own_staff").pk})
    page = client.post(_url(run), {"person": world.person("own_staff").pk}).content.decode()
    assert "govuk-error-summary" in page
    assert "They already have a booking on this run." in page


def test_people_who_manage_nobody_may_not_book_for_others(world, client_for):
    run = _run(world)
    for persona in ("own_staff", "own_ld_lead", "partner_ld_lead"):
        client = client_for(persona)
        assert client.get(_url(run)).status_code == 403
        assert client.post(_url(run), {"person": world.person("own_staff").pk}).status_code == 403
    assert client_for("outsider").get(_url(run)).status_code == 404
    assert not Booking.objects.filter(run=run).exists()
