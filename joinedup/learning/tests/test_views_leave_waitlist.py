"""Leaving a waiting list from My learning, in words that say so."""

from __future__ import annotations

from django.urls import reverse

from joinedup.learning import services
from joinedup.learning.models import Booking, BookingStatus, Run
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory

MINE = reverse("learning:my-learning")


def _full_run(world, **programme) -> Run:
    run = RunFactory(
        programme=ProgrammeFactory(host=world.own, **programme), capacity=1, places_taken=1
    )
    SessionFactory(run=run)
    return run


def _book(world, persona: str, run: Run) -> Booking:
    return services.book_place(actor=world.actor(persona), run=run, person=world.person(persona))


def test_my_learning_offers_leaving_each_waiting_list(world, client_for):
    booking = _book(world, "own_staff", _full_run(world))
    page = client_for("own_staff").get(MINE).content.decode()
    waiting = page[page.index('id="waiting"') :]
    assert "Leave waiting list" in waiting
    assert reverse("learning:cancel-booking", args=[booking.pk]) in waiting


def test_leaving_a_waiting_list_says_so_and_ends_the_wait(world, client_for):
    booking = _book(world, "own_staff", _full_run(world))
    client = client_for("own_staff")
    url = reverse("learning:cancel-booking", args=[booking.pk])
    page = client.get(url).content.decode()
    assert "Leave the waiting list" in page
    assert "Cancel booking" not in page
    response = client.post(url)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert "You have left the waiting list." in client.get(response["Location"]).content.decode()
    assert "Leave waiting list" not in client.get(MINE).content.decode()


def test_a_request_awaiting_approval_is_withdrawn_in_those_words(world, client_for):
    booking = _book(world, "own_staff", _full_run(world, approval_required=True))
    client = client_for("own_staff")
    assert "Withdraw request" in client.get(MINE).content.decode()
    url = reverse("learning:cancel-booking", args=[booking.pk])
    assert "Withdraw your booking request" in client.get(url).content.decode()


def test_a_line_manager_taking_a_report_off_a_waiting_list_is_told_so(world, client_for):
    booking = _book(world, "own_staff", _full_run(world))
    url = reverse("learning:cancel-booking", args=[booking.pk])
    assert (
        "Take them off the waiting list" in client_for("own_line_manager").get(url).content.decode()
    )


def test_my_learning_and_the_catalogue_link_line_managers_to_their_team(world, client_for):
    for url in (MINE, reverse("learning:catalogue")):
        page = client_for("own_line_manager").get(url).content.decode()
        assert reverse("learning:my-team") in page
        assert reverse("learning:approvals") in page
        staff_page = client_for("own_staff").get(url).content.decode()
        assert reverse("learning:my-team") not in staff_page
    lead_page = client_for("own_ld_lead").get(MINE).content.decode()
    assert reverse("learning:completions") in lead_page
