"""A run's discussion space: opened by its host; its members follow the run's confirmed bookings
and facilitators, through signals on saved bookings and runs and through the periodic job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from joinedup.learning.models import Booking, BookingStatus, Run
from joinedup.learning.tests.factories import RunFactory, SessionFactory
from joinedup.network import spaces
from joinedup.network.models import SpaceKind, SpaceMember
from joinedup.partnership.scheduler import JOBS, discover_jobs
from joinedup.partnership.tests.factories import EmploymentFactory


@pytest.fixture
def run(world) -> Run:
    made = RunFactory(programme__host=world.own, programme__title="Motivational interviewing")
    SessionFactory(run=made, date=dt.date(2027, 3, 4))
    return made


def _members(space) -> dict[int, int]:
    return dict(SpaceMember.objects.filter(space=space).values_list("person_id", "organisation_id"))


def _book(run: Run, person, organisation, status=BookingStatus.CONFIRMED) -> Booking:
    return Booking.objects.create(run=run, person=person, organisation=organisation, status=status)


def test_the_host_opens_one_space_per_run_owned_by_the_opener(world, run):
    space = spaces.open_run_space(actor=world.actor("own_ld_lead"), run=run)
    assert space.kind == SpaceKind.RUN
    assert space.run == run
    assert space.title == "Motivational interviewing, 4 March 2027"
    assert space.owner == world.own_ld_lead
    assert space.owner_organisation == world.own
    assert space.partnership == world.partnership
    assert _members(space) == {world.own_ld_lead.pk: world.own.pk}
    assert spaces.open_run_space(actor=world.actor("own_ld_lead"), run=run) == space


def test_only_the_runs_host_opens_its_space(world, run):
    for persona in ("own_staff", "partner_ld_lead", "partnership_lead"):
        with pytest.raises(PermissionDenied):
            spaces.open_run_space(actor=world.actor(persona), run=run)


def test_opening_takes_in_confirmed_bookings_and_the_trainer(world, run):
    _book(run, world.own_staff, world.own)
    _book(run, world.partner_staff, world.partner)
    _book(run, world.own_admin, world.own, status=BookingStatus.WAITING)
    Run.objects.filter(pk=run.pk).update(trainer=world.partner_ld_lead)
    space = spaces.open_run_space(actor=world.actor("own_ld_lead"), run=run)
    assert _members(space) == {
        world.own_ld_lead.pk: world.own.pk,
        world.own_staff.pk: world.own.pk,
        world.partner_staff.pk: world.partner.pk,
        world.partner_ld_lead.pk: world.partner.pk,
    }


def test_a_confirmed_booking_joins_and_a_cancelled_one_leaves_through_the_signal(world, run):
    space = spaces.open_run_space(actor=world.actor("own_ld_lead"), run=run)
    booking = _book(run, world.partner_staff, world.partner, status=BookingStatus.WAITING)
    assert world.partner_staff.pk not in _members(space)
    booking.status = BookingStatus.CONFIRMED
    booking.save()
    assert _members(space)[world.partner_staff.pk] == world.partner.pk
    booking.status = BookingStatus.CANCELLED
    booking.save()
    assert world.partner_staff.pk not in _members(space)


def test_a_trainer_change_swaps_the_facilitator_but_keeps_the_owner(world, run):
    space = spaces.open_run_space(actor=world.actor("own_ld_lead"), run=run)
    run.trainer = world.partner_staff
    run.save()
    assert _members(space)[world.partner_staff.pk] == world.partner.pk
    run.trainer = world.own_staff
    run.save()
    assert set(_members(space)) == {world.own_ld_lead.pk, world.own_staff.pk}


def test_a_trainer_from_outside_the_partnership_is_shown_with_the_host(world, run):
    outside_trainer = EmploymentFactory().person  # works for an organisation in no partnership
    space = spaces.open_run_space(actor=world.actor("own_ld_lead"), run=run)
    run.trainer = outside_trainer
    run.save()
    assert _members(space)[outside_trainer.pk] == world.own.pk


def test_the_job_catches_bookings_changed_by_bulk_updates(world, run):
    space = spaces.open_run_space(actor=world.actor("own_ld_lead"), run=run)
    _book(run, world.own_staff, world.own)
    _book(run, world.partner_staff, world.partner, status=BookingStatus.WAITING)
    Booking.objects.filter(person=world.own_staff).update(status=BookingStatus.CANCELLED)
    Booking.objects.filter(person=world.partner_staff).update(status=BookingStatus.CONFIRMED)
    assert world.own_staff.pk in _members(space)  # no signal for bulk updates
    discover_jobs()
    job = JOBS["network-run-spaces"]
    assert job.every == dt.timedelta(minutes=15)
    assert job.function() == 1
    assert set(_members(space)) == {world.own_ld_lead.pk, world.partner_staff.pk}
    assert job.function() == 0  # idempotent


def test_syncing_is_idempotent_and_keeps_moderators_named_by_the_owner(world, run):
    space = spaces.open_run_space(actor=world.actor("own_ld_lead"), run=run)
    _book(run, world.partner_staff, world.partner)
    spaces.name_moderator(actor=world.actor("own_ld_lead"), space=space, person=world.partner_staff)
    assert not spaces.sync_run_space(space)
    assert SpaceMember.objects.get(space=space, person=world.partner_staff).is_moderator


def test_a_run_without_a_space_is_left_alone(world, run):
    _book(run, world.own_staff, world.own)
    assert not SpaceMember.objects.exists()


def test_the_run_space_page_offers_the_host_a_button_and_links_members(world, run, client_for):
    url = reverse("network:run-space", args=[run.pk])
    page = client_for("own_ld_lead").get(url)
    assert "Open a discussion space" in page.content.decode()
    response = client_for("own_ld_lead").post(url)
    space = run.network_space
    assert response.status_code == 302
    assert response["Location"] == reverse("network:space", args=[space.pk])
    _book(run, world.partner_staff, world.partner)
    page = client_for("partner_staff").get(url).content.decode()
    assert reverse("network:space", args=[space.pk]) in page
    page = client_for("own_staff").get(url).content.decode()
    assert "This run has a discussion space" in page
    assert reverse("network:space", args=[space.pk]) not in page
    assert client_for("own_staff").post(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404
