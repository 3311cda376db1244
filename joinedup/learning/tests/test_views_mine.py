"""My learning: a person's upcoming places, waiting lists, offers and history."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.learning import services
from joinedup.learning.models import Booking, BookingStatus, Run
from joinedup.learning.tests.factories import RunFactory, SessionFactory

URL = reverse("learning:my-learning")


def _run(world, title: str, days: int = 28, **fields) -> Run:
    run = RunFactory(programme__host=world.own, programme__title=title, **fields)
    SessionFactory(run=run, date=timezone.localdate() + dt.timedelta(days=days))
    return run


def _book(world, persona: str, run: Run) -> Booking:
    return services.book_place(actor=world.actor(persona), run=run, person=world.person(persona))


def test_own_staff_see_their_upcoming_confirmed_places(world, client_for):
    _book(world, "own_staff", _run(world, "Safeguarding adults"))
    response = client_for("own_staff").get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="upcoming"' in page
    assert "Safeguarding adults" in page


def test_partner_staff_see_their_waiting_list_position(world, client_for):
    run = _run(world, "Leading teams", capacity=1)
    _book(world, "own_staff", run)
    _book(world, "partner_admin", run)
    _book(world, "partner_staff", run)
    page = client_for("partner_staff").get(URL).content.decode()
    assert 'id="waiting"' in page
    assert "Number 2" in page


def test_offers_show_when_they_lapse_and_how_to_answer(world, client_for):
    run = _run(world, "Coaching")
    expires = timezone.now() + dt.timedelta(hours=48)
    booking = Booking.objects.create(
        run=run,
        person=world.person("partner_staff"),
        organisation=world.partner,
        status=BookingStatus.OFFERED,
        offer_expires_at=expires,
    )
    page = client_for("partner_staff").get(URL).content.decode()
    assert f"{timezone.localtime(expires):%H:%M}" in page
    assert reverse("learning:accept-offer", args=[booking.pk]) in page


def test_past_and_cancelled_bookings_are_history(world, client_for):
    past = _run(world, "Old course", days=-3)
    _book(world, "own_staff", past)
    cancelled = _book(world, "own_staff", _run(world, "Dropped course"))
    services.cancel_booking(actor=world.actor("own_staff"), booking=cancelled)
    page = client_for("own_staff").get(URL).content.decode()
    history = page[page.index('id="history"') :]
    assert "Old course" in history
    assert "Dropped course" in history
    assert 'id="no-upcoming"' in page


def test_people_never_see_someone_elses_bookings(world, client_for):
    _book(world, "own_staff", _run(world, "Safeguarding adults"))
    for persona in ("own_line_manager", "partner_staff", "outsider"):
        assert "Safeguarding adults" not in client_for(persona).get(URL).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(world, client_for):
    assert client_for("anonymous").get(URL)["Location"].startswith("/accounts/login/")


def test_my_learning_takes_the_same_number_of_queries_however_many_bookings(world, client_for):
    client = client_for("partner_staff")

    def add(count: int) -> None:
        for number in range(count):
            run = _run(world, f"Course {number}", days=28 + number, capacity=1)
            _book(world, "partner_staff", run)

    add(1)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    add(5)
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    assert Booking.objects.filter(person=world.person("partner_staff")).count() == 6
    assert len(large) == len(small)
