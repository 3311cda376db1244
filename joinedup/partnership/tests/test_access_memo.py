"""The access functions work out an actor's roles and directory once per request, and forget them
when a service changes roles or memberships."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from joinedup.partnership import access, services
from joinedup.partnership.models import OrganisationRole


def test_roles_are_read_from_the_database_once_per_actor(world):
    actor = world.actor("own_admin")
    with CaptureQueriesContext(connection) as first:
        assert access.has_role(actor, OrganisationRole.ORG_ADMIN)
    with CaptureQueriesContext(connection) as again:
        assert access.has_role(actor, OrganisationRole.ORG_ADMIN)
        assert not access.has_role(actor, OrganisationRole.LD_LEAD)
    assert len(first) == 1
    assert len(again) == 0


def test_the_directory_is_worked_out_once_per_actor(world):
    actor = world.actor("partnership_lead")
    ids = access.directory_organisation_ids(actor)
    assert set(ids) == {world.own.pk, world.partner.pk, world.icb.pk}
    with CaptureQueriesContext(connection) as again:
        assert access.directory_organisation_ids(actor) == ids
    assert len(again) == 0


def test_granting_a_role_is_seen_by_the_same_actor_at_once(world):
    actor = world.actor("own_admin")
    assert not access.has_role(actor, OrganisationRole.LD_LEAD)
    services.grant_organisation_role(
        actor=actor, person=world.own_admin, role=OrganisationRole.LD_LEAD
    )
    assert access.has_role(actor, OrganisationRole.LD_LEAD)


def test_ending_a_membership_narrows_the_leads_directory_at_once(world):
    actor = world.actor("partnership_lead")
    assert world.partner.pk in access.directory_organisation_ids(actor)
    membership = world.partner.memberships.get(partnership=world.partnership)
    services.end_membership(actor=actor, membership=membership)
    assert world.partner.pk not in access.directory_organisation_ids(actor)
