"""Booking a place, cancelling, and answering an offer from the run page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from joinedup.learning import services
from joinedup.learning.models import Booking, BookingStatus, Run
from joinedup.learning.tests.factories import RunFactory, SessionFactory


def _run(world, **fields) -> Run:
    run = RunFactory(programme__host=world.own, **fields)
    SessionFactory(run=run)
    return run


def _book(world, persona: str, run: Run) -> Booking:
    return services.book_place(actor=world.actor(persona), run=run, person=world.person(persona))


def _offer(world, persona: str, run: Run) -> Booking:
    """A place offered to the persona (set up directly, as a release would leave it)."""
    Run.objects.filter(pk=run.pk).update(places_taken=1)
    return Booking.objects.create(
        run=run,
        person=world.person(persona),
        organisation=world.employments[persona].organisation,
        status=BookingStatus.OFFERED,
        offer_expires_at=timezone.now() + dt.timedelta(hours=48),
    )


def test_own_staff_see_a_confirm_page_with_a_reasonable_adjustments_note(world, client_for):
    run = _run(world)
    response = client_for("own_staff").get(reverse("learning:book", args=[run.pk]))
    assert response.status_code == 200
    assert "Reasonable adjustments (optional)" in response.content.decode()


def test_own_staff_booking_a_free_place_are_confirmed(world, client_for):
    run = _run(world)
    client = client_for("own_staff")
    response = client.post(reverse("learning:book", args=[run.pk]), {"note": "Step-free access"})
    assert response["Location"] == reverse("learning:run", args=[run.pk])
    booking = Booking.objects.get(run=run, person=world.person("own_staff"))
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.adjustments_note == "Step-free access"
    assert "Your place is confirmed." in client.get(response["Location"]).content.decode()


def test_partner_staff_join_the_waiting_list_before_the_cut_off(world, client_for):
    run = _run(world)
    client = client_for("partner_staff")
    response = client.post(reverse("learning:book", args=[run.pk]))
    page = client.get(response["Location"]).content.decode()
    assert "you are on the waiting list" in page
    assert "number 1 on the waiting list" in page


def test_a_booking_needing_approval_is_awaiting_it(world, client_for):
    run = _run(world, programme__approval_required=True)
    client = client_for("own_staff")
    response = client.post(reverse("learning:book", args=[run.pk]))
    assert "waiting for your line manager" in client.get(response["Location"]).content.decode()


def test_booking_twice_is_refused_in_the_error_summary_not_a_server_error(world, client_for):
    run = _run(world)
    _book(world, "own_staff", run)
    response = client_for("own_staff").post(reverse("learning:book", args=[run.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "already have a booking on this run" in page


def test_an_overlong_note_is_named_in_the_error_summary(world, client_for):
    run = _run(world)
    response = client_for("own_staff").post(
        reverse("learning:book", args=[run.pk]), {"note": "x" * 2001}
    )
    assert "Reasonable adjustments must be 2,000 characters or fewer" in response.content.decode()
    assert not Booking.objects.filter(run=run).exists()


def test_an_outsider_cannot_book_and_gets_not_found(world, client_for):
    run = _run(world)
    assert client_for("outsider").post(reverse("learning:book", args=[run.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_to_book(world, client_for):
    response = client_for("anonymous").post(reverse("learning:book", args=[_run(world).pk]))
    assert response["Location"].startswith("/accounts/login/")


def test_cancelling_a_confirmed_booking_frees_the_place(world, client_for):
    run = _run(world, capacity=1)
    booking = _book(world, "own_staff", run)
    response = client_for("own_staff").post(reverse("learning:cancel-booking", args=[booking.pk]))
    assert response["Location"] == reverse("learning:run", args=[run.pk])
    booking.refresh_from_db()
    run.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert run.places_taken == 0


def test_cancelling_twice_is_explained_not_a_server_error(world, client_for):
    booking = _book(world, "own_staff", _run(world))
    client = client_for("own_staff")
    url = reverse("learning:cancel-booking", args=[booking.pk])
    client.post(url)
    response = client.post(url)
    assert response.status_code == 200
    assert "This booking has changed" in response.content.decode()


def test_partner_staff_cannot_see_someone_elses_booking(world, client_for):
    booking = _book(world, "own_staff", _run(world))
    url = reverse("learning:cancel-booking", args=[booking.pk])
    assert client_for("partner_staff").post(url).status_code == 404


def test_accepting_an_offer_confirms_the_place(world, client_for):
    booking = _offer(world, "partner_staff", _run(world))
    response = client_for("partner_staff").post(reverse("learning:accept-offer", args=[booking.pk]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_a_lapsed_offer_cannot_be_accepted_and_says_so(world, client_for):
    booking = _offer(world, "partner_staff", _run(world))
    Booking.objects.filter(pk=booking.pk).update(offer_expires_at=timezone.now())
    response = client_for("partner_staff").post(reverse("learning:accept-offer", args=[booking.pk]))
    assert response.status_code == 200
    assert "This offer has lapsed." in response.content.decode()


def test_declining_an_offer_frees_the_place(world, client_for):
    run = _run(world)
    booking = _offer(world, "partner_staff", run)
    client_for("partner_staff").post(reverse("learning:decline-offer", args=[booking.pk]))
    booking.refresh_from_db()
    run.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED
    assert run.places_taken == 0


def test_the_hosts_lead_sees_an_offer_but_may_not_answer_it(world, client_for):
    booking = _offer(world, "own_staff", _run(world))
    url = reverse("learning:accept-offer", args=[booking.pk])
    assert client_for("own_ld_lead").post(url).status_code == 403


def test_an_offer_shows_accept_and_decline_on_the_run_page(world, client_for):
    run = _run(world)
    booking = _offer(world, "partner_staff", run)
    page = client_for("partner_staff").get(reverse("learning:run", args=[run.pk])).content.decode()
    assert reverse("learning:accept-offer", args=[booking.pk]) in page
    assert reverse("learning:decline-offer", args=[booking.pk]) in page
