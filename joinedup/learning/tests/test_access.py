"""The learning access funnel: who sees which programmes, runs and bookings, persona by persona."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from joinedup.learning import access
from joinedup.learning.models import SharingPolicy as Policy
from joinedup.learning.services import book_place
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory
from joinedup.partnership.actor import Actor

OWN_ORGANISATION = ["own_staff", "own_line_manager", "own_admin", "own_ld_lead", "own_levy_officer"]
PARTNERS = ["partner_staff", "partner_admin", "partner_ld_lead", "partnership_lead"]


@pytest.fixture
def catalogue(world):
    """One programme of each sharing policy hosted by the own organisation, and an outsider's."""
    programmes = {
        policy: ProgrammeFactory(host=world.own, sharing_policy=policy, title=policy)
        for policy in Policy
    }
    programmes["outsider"] = ProgrammeFactory(
        host=world.outsider_org, sharing_policy=Policy.PARTNERS_FROM_START, title="outsider"
    )
    return programmes


def titles(actor) -> set[str]:
    return set(access.visible_programmes(actor).values_list("title", flat=True))


@pytest.mark.parametrize("persona", OWN_ORGANISATION)
def test_own_organisation_sees_all_its_own_programmes(world, catalogue, persona):
    assert titles(world.actor(persona)) == set(Policy)


@pytest.mark.parametrize("persona", PARTNERS)
def test_partners_see_the_hosts_shared_programmes_but_not_those_for_own_staff(
    world, catalogue, persona
):
    assert titles(world.actor(persona)) == {Policy.OWN_THEN_PARTNERS, Policy.PARTNERS_FROM_START}


def test_outsider_sees_only_their_own_partnerships_programmes(world, catalogue):
    assert titles(world.actor("outsider")) == {"outsider"}


def test_anonymous_sees_no_programmes(world, catalogue):
    assert titles(world.actor("anonymous")) == set()


def test_a_run_of_an_invisible_programme_is_not_found(world, catalogue):
    own_only = RunFactory(programme=catalogue[Policy.OWN_ONLY])

    assert access.get_run_for(world.actor("own_staff"), own_only.pk) == own_only
    for persona in ("partner_staff", "outsider", "anonymous"):
        with pytest.raises(Http404):
            access.get_run_for(world.actor(persona), own_only.pk)


def test_a_shared_run_is_found_by_partners_but_not_by_the_outsider(world, catalogue):
    run = RunFactory(programme=catalogue[Policy.OWN_THEN_PARTNERS])

    assert access.get_run_for(world.actor("partner_staff"), run.pk) == run
    assert access.get_programme_for(world.actor("partner_staff"), run.programme.pk)
    with pytest.raises(Http404):
        access.get_run_for(world.actor("outsider"), run.pk)
    with pytest.raises(Http404):
        access.get_programme_for(world.actor("outsider"), run.programme.pk)


def test_a_booking_is_seen_by_its_person_their_line_manager_and_the_hosts_leads(world, catalogue):
    run = RunFactory(programme=catalogue[Policy.OWN_THEN_PARTNERS])
    booking = book_place(actor=world.actor("own_staff"), run=run, person=world.own_staff)

    for persona in ("own_staff", "own_line_manager", "own_ld_lead"):
        assert access.get_booking_for(world.actor(persona), booking.pk) == booking
    for persona in ("own_admin", "partner_staff", "partner_ld_lead", "outsider", "anonymous"):
        with pytest.raises(Http404):
            access.get_booking_for(world.actor(persona), booking.pk)


# --- Line managers ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [*OWN_ORGANISATION, *PARTNERS, "outsider"])
def test_only_a_current_line_manager_may_manage_a_team(world, persona):
    assert access.may_manage_team(world.actor(persona)) == (persona == "own_line_manager")
    assert (
        access.may_manage_team(world.actor(persona))
        == access.managed_employments(world.actor(persona)).exists()
    )


def test_a_manager_whose_only_report_has_left_no_longer_manages_a_team(world):
    # own_line_manager manages own_staff and the apprentice: both leave.
    for persona in ("own_staff", "apprentice"):
        report = world.employments[persona]
        report.end_date = timezone.localdate() - dt.timedelta(days=1)
        report.save()
    assert not access.may_manage_team(world.actor("own_line_manager"))


def test_a_manager_acting_for_another_organisation_does_not_manage_that_team(world):
    manager = world.actor("own_line_manager")
    elsewhere = Actor(person=manager.person, organisation=world.partner)
    assert not access.may_manage_team(elsewhere)
