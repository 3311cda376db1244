"""Pages of reserved blocks (reserve, name someone, remove them) and of registering interest."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from joinedup.learning import reservations
from joinedup.learning.models import Booking, BookingStatus, Interest, Reservation, Run
from joinedup.learning.models import SharingPolicy as Policy
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory
from joinedup.partnership.tests.factories import EmploymentFactory


def _run(world, **fields) -> Run:
    run = RunFactory(programme__host=world.own, programme__title="Safeguarding adults", **fields)
    SessionFactory(run=run)
    return run


def _block(world, run: Run, places: int = 3) -> Reservation:
    return reservations.reserve_places(actor=world.actor("partner_ld_lead"), run=run, places=places)


def _run_page(client, run: Run) -> str:
    return client.get(reverse("learning:run", args=[run.pk])).content.decode()


# --- The run page ------------------------------------------------------------------------------


def test_a_partner_lead_is_offered_to_reserve_places_for_their_organisation(world, client_for):
    page = _run_page(client_for("partner_ld_lead"), _run(world))
    assert f"Reserve places for {world.partner.name}" in page


def test_the_hosts_lead_and_partner_staff_are_not_offered_to_reserve(world, client_for):
    run = _run(world)
    for persona in ("own_ld_lead", "partner_staff", "partner_admin"):
        assert "Reserve places for" not in _run_page(client_for(persona), run)


def test_a_partner_lead_sees_their_block_with_named_and_unnamed_places(world, client_for):
    run = _run(world)
    block = _block(world, run, 3)
    reservations.name_into_reservation(
        actor=world.actor("partner_ld_lead"),
        reservation=block,
        person=world.person("partner_staff"),
    )
    page = _run_page(client_for("partner_ld_lead"), run)
    assert world.person("partner_staff").full_name in page
    assert 'id="unnamed">2, until the cut-off<' in page
    assert reverse("learning:name-into-reservation", args=[block.pk]) in page


def test_the_hosts_lead_sees_the_blocks_partners_hold(world, client_for):
    run = _run(world)
    _block(world, run, 3)
    page = _run_page(client_for("own_ld_lead"), run)
    assert "Places reserved by partners" in page
    assert world.partner.name in page
    assert "Places reserved by partners" not in _run_page(client_for("own_staff"), run)


# --- Reserving ---------------------------------------------------------------------------------


def test_reserving_places_holds_them_and_returns_to_the_run(world, client_for):
    run = _run(world, capacity=8)
    response = client_for("partner_ld_lead").post(
        reverse("learning:reserve", args=[run.pk]), {"places": "3"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:run", args=[run.pk])
    assert Reservation.objects.get(run=run).places == 3
    run.refresh_from_db()
    assert run.places_taken == 3


def test_asking_for_more_places_than_are_left_shows_why(world, client_for):
    run = _run(world, capacity=2)
    response = client_for("partner_ld_lead").post(
        reverse("learning:reserve", args=[run.pk]), {"places": "5"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "not enough places free on this run: 2 left" in page
    assert not Reservation.objects.exists()


def test_a_number_that_is_not_one_names_the_field(world, client_for):
    run = _run(world)
    response = client_for("partner_ld_lead").post(
        reverse("learning:reserve", args=[run.pk]), {"places": "lots"}
    )
    assert response.status_code == 200
    assert 'href="#id_places">Number of places must be a whole number' in response.content.decode()


def test_changing_the_size_of_a_block_gives_unnamed_places_back(world, client_for):
    run = _run(world, capacity=8)
    _block(world, run, 5)
    response = client_for("partner_ld_lead").post(
        reverse("learning:reserve", args=[run.pk]), {"places": "2"}
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.places_taken == 2


def test_the_host_may_not_reserve_on_its_own_run(world, client_for):
    run = _run(world)
    assert client_for("own_ld_lead").get(
        reverse("learning:reserve", args=[run.pk])
    ).status_code == (403)


def test_an_outsider_gets_not_found_when_reserving(world, client_for):
    run = _run(world)
    response = client_for("outsider").post(
        reverse("learning:reserve", args=[run.pk]), {"places": 1}
    )
    assert response.status_code == 404
    assert not Reservation.objects.exists()


# --- Naming and removing -----------------------------------------------------------------------


def test_the_lead_chooses_from_their_current_staff_and_names_someone(world, client_for):
    run = _run(world)
    block = _block(world, run)
    url = reverse("learning:name-into-reservation", args=[block.pk])
    client = client_for("partner_ld_lead")
    page = client.get(url).content.decode()
    assert world.person("partner_staff").full_name in page
    assert world.person("own_staff").full_name not in page

    response = client.post(url, {"person": world.person("partner_staff").pk})

    assert response.status_code == 302
    booking = Booking.objects.get(run=run, person=world.person("partner_staff"))
    assert (booking.status, booking.reservation_id) == (BookingStatus.CONFIRMED, block.pk)


def test_searching_staff_narrows_the_list(world, client_for):
    block = _block(world, _run(world))
    EmploymentFactory(organisation=world.partner, person__family_name="Zephaniah")
    url = reverse("learning:name-into-reservation", args=[block.pk])
    page = client_for("partner_ld_lead").get(url, {"q": "zeph"}).content.decode()
    assert "Zephaniah" in page
    assert world.person("partner_staff").full_name not in page


def test_naming_someone_from_another_organisation_is_refused_with_the_field_named(
    world, client_for
):
    block = _block(world, _run(world))
    url = reverse("learning:name-into-reservation", args=[block.pk])
    response = client_for("partner_ld_lead").post(url, {"person": world.person("own_staff").pk})
    assert response.status_code == 200
    assert 'href="#id_person">Choose a person from the list' in response.content.decode()
    assert not Booking.objects.exists()


def test_removing_a_named_person_gives_the_place_back_to_the_block(world, client_for):
    run = _run(world)
    block = _block(world, run, 2)
    booking = reservations.name_into_reservation(
        actor=world.actor("partner_ld_lead"),
        reservation=block,
        person=world.person("partner_staff"),
    )
    url = reverse("learning:remove-named", args=[booking.pk])

    response = client_for("partner_ld_lead").post(url)

    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    block.refresh_from_db()
    assert block.places_named == 0
    run.refresh_from_db()
    assert run.places_taken == 2


def test_the_hosts_lead_sees_a_block_but_may_not_name_into_it(world, client_for):
    block = _block(world, _run(world))
    url = reverse("learning:name-into-reservation", args=[block.pk])
    assert client_for("own_ld_lead").get(url).status_code == 403
    assert client_for("partner_staff").get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 404


# --- Registering interest ----------------------------------------------------------------------


def test_a_programme_without_a_bookable_run_offers_to_register_interest(world, client_for):
    programme = ProgrammeFactory(host=world.own)
    url = reverse("learning:programme", args=[programme.pk])
    client = client_for("partner_staff")
    assert "Register interest" in client.get(url).content.decode()

    response = client.post(reverse("learning:register-interest", args=[programme.pk]))

    assert response["Location"] == url
    assert Interest.objects.filter(programme=programme).count() == 1
    page = client.get(url).content.decode()
    assert "You registered your interest" in page
    assert "Withdraw interest" in page


def test_withdrawing_interest_from_the_programme_page(world, client_for):
    programme = ProgrammeFactory(host=world.own)
    client = client_for("own_staff")
    client.post(reverse("learning:register-interest", args=[programme.pk]))
    client.post(reverse("learning:withdraw-interest", args=[programme.pk]))
    assert not Interest.objects.exists()


def test_a_programme_with_a_bookable_run_offers_no_interest(world, client_for):
    run = _run(world)
    run.bookings_close_at = timezone.now() + dt.timedelta(days=20)
    run.save()
    page = client_for("own_staff").get(reverse("learning:programme", args=[run.programme_id]))
    assert "Register interest" not in page.content.decode()


def test_the_host_sees_how_many_are_interested(world, client_for):
    programme = ProgrammeFactory(host=world.own, sharing_policy=Policy.OWN_THEN_PARTNERS)
    for persona in ("own_staff", "partner_staff"):
        client_for(persona).post(reverse("learning:register-interest", args=[programme.pk]))
    url = reverse("learning:programme", args=[programme.pk])
    assert "2 people are waiting to be told" in client_for("own_ld_lead").get(url).content.decode()
    assert "waiting to be told" not in client_for("own_staff").get(url).content.decode()


def test_an_outsider_cannot_register_interest(world, client_for):
    programme = ProgrammeFactory(host=world.own)
    response = client_for("outsider").post(
        reverse("learning:register-interest", args=[programme.pk])
    )
    assert response.status_code == 404
    assert not Interest.objects.exists()
