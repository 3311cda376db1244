"""The access functions work out an actor's roles and directory once per request, and forget them
when a service changes roles or memberships."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.partnership import access, services
from joinedup.partnership.models import OrganisationRole, PartnershipRole
from joinedup.partnership.tests.factories import MembershipFactory, PartnershipRoleFactory


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


def test_the_acting_organisations_partnerships_roles_and_members_in_one_query(world):
    # The ICB also joins the second partnership; the partner trust has left the first.
    MembershipFactory(partnership=world.other_partnership, organisation=world.icb)
    PartnershipRoleFactory(
        person=world.people["partnership_lead"],
        partnership=world.other_partnership,
        role=PartnershipRole.LEVY_LEAD,
    )
    left = world.partner.memberships.get(partnership=world.partnership)
    left.left_on = timezone.localdate()
    left.save()
    actor = world.actor("partnership_lead")

    with CaptureQueriesContext(connection) as queries:
        partnerships = access.acting_partnerships(actor)
        roles = access.partnership_roles(actor)
        members = set(access.partner_organisations(actor).values_list("pk", flat=True))

    assert [partnership.name for partnership in partnerships] == [
        "Elsewhere (test)",
        "West and North London (test)",
    ]
    assert partnerships[0].region == "North West"
    assert roles == {
        (world.partnership.pk, PartnershipRole.PARTNERSHIP_LEAD),
        (world.other_partnership.pk, PartnershipRole.LEVY_LEAD),
    }
    assert members == {world.own.pk, world.icb.pk, world.outsider_org.pk}
    assert len(queries) == 2  # the partnerships, then the members' organisations


def test_an_organisation_in_no_partnership_has_no_partners_and_staff_no_partnership_roles(world):
    world.own.memberships.update(left_on=timezone.localdate())
    actor = world.actor("own_admin")

    assert access.acting_partnerships(actor) == []
    assert access.partnership_roles(actor) == frozenset()
    assert not access.partner_organisations(actor).exists()
