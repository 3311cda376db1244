"""The run page: sessions, places the viewer can take, and their own booking."""

from __future__ import annotations

from django.urls import reverse

from joinedup.learning import services
from joinedup.learning.models import SharingPolicy
from joinedup.learning.tests.factories import RunFactory, SessionFactory


def _run(world, **fields):
    run = RunFactory(programme__host=world.own, programme__title="Safeguarding adults", **fields)
    SessionFactory(run=run, venue="Barnet House")
    return run


def _url(run) -> str:
    return reverse("learning:run", args=[run.pk])


def _book(world, persona: str, run):
    return services.book_place(actor=world.actor(persona), run=run, person=world.person(persona))


def test_own_staff_see_the_sessions_and_the_places_they_can_book(world, client_for):
    run = _run(world, capacity=5)
    response = client_for("own_staff").get(_url(run))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Barnet House" in page
    assert f"5. Open to {world.own.name} staff." in page


def test_own_staff_see_their_confirmed_booking(world, client_for):
    run = _run(world)
    _book(world, "own_staff", run)
    page = client_for("own_staff").get(_url(run)).content.decode()
    assert 'id="my-booking">Confirmed<' in page


def test_partner_staff_see_their_place_on_the_waiting_list(world, client_for):
    run = _run(world, capacity=1)
    _book(world, "own_staff", run)
    _book(world, "partner_staff", run)
    _book(world, "partner_admin", run)
    page = client_for("partner_admin").get(_url(run)).content.decode()
    assert "Waiting, number 2 on the waiting list" in page
    assert "Open to partners from" in page


def test_partners_see_the_places_left_to_them_under_the_cap(world, client_for):
    run = _run(world, capacity=5, partner_cap=1)
    run.programme.sharing_policy = SharingPolicy.PARTNERS_FROM_START
    run.programme.save()
    _book(world, "partner_staff", run)
    page = client_for("partner_admin").get(_url(run)).content.decode()
    assert "holds its limit of 1 places" in page


def test_an_outsider_gets_not_found(world, client_for):
    assert client_for("outsider").get(_url(_run(world))).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(world, client_for):
    response = client_for("anonymous").get(_url(_run(world)))
    assert response["Location"].startswith("/accounts/login/")
