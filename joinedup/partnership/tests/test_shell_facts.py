"""The page shell reads the actor's organisations, roles and partnerships once per request, in two
queries, and never carries them from one request (or person) to the next."""

from __future__ import annotations

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.partnership import access, services
from joinedup.partnership.context_processors import shell
from joinedup.partnership.models import OrganisationRole, PartnershipRole
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    OrganisationRoleFactory,
    PartnershipRoleFactory,
)


def _second_job_at_the_outsider(world, persona: str) -> None:
    """The persona also works at the outsider's organisation, as its organisation admin."""
    person = world.person(persona)
    EmploymentFactory(person=person, organisation=world.outsider_org, job_title="Board member")
    OrganisationRoleFactory(
        person=person, organisation=world.outsider_org, role=OrganisationRole.ORG_ADMIN
    )


def test_the_actor_acts_for_their_first_organisation_by_name_with_its_roles_only(world):
    _second_job_at_the_outsider(world, "own_ld_lead")
    with CaptureQueriesContext(connection) as queries:
        actor = access.actor_acting_for(world.own_ld_lead, None)
        roles = access.organisation_roles(actor)
        switcher = access.switchable_organisations(actor)
    assert len(queries) == 1
    assert actor.organisation == world.own  # "London Borough ..." before "Manchester ..."
    assert roles == {OrganisationRole.LD_LEAD}
    assert switcher == [world.own, world.outsider_org]


def test_the_chosen_organisation_brings_its_own_roles(world):
    _second_job_at_the_outsider(world, "own_ld_lead")
    actor = access.actor_acting_for(world.own_ld_lead, world.outsider_org.pk)
    assert actor.organisation == world.outsider_org
    assert access.organisation_roles(actor) == {OrganisationRole.ORG_ADMIN}
    assert not access.has_role(actor, OrganisationRole.LD_LEAD)


def test_a_chosen_organisation_they_do_not_work_for_is_ignored(world):
    actor = access.actor_acting_for(world.own_staff, world.partner.pk)
    assert actor.organisation == world.own
    assert access.organisation_roles(actor) == frozenset()


def test_someone_employed_nowhere_acts_for_no_organisation(world):
    employment = world.employments["own_staff"]
    employment.end_date = employment.start_date
    employment.save()
    actor = access.actor_acting_for(world.own_staff, None)
    assert actor.organisation is None
    assert access.switchable_organisations(actor) == []


def test_partnerships_with_the_roles_and_members_are_one_query(world):
    actor = access.actor_acting_for(world.partnership_lead, None)
    with CaptureQueriesContext(connection) as queries:
        assert access.acting_partnerships(actor) == [world.partnership]
        assert PartnershipRole.PARTNERSHIP_LEAD in access.roles_of(actor)
        assert list(access.led_partnerships(actor)) == [world.partnership]
        assert list(access.partnerships_of(actor)) == [world.partnership]
        members = set(access.partner_organisations(actor))
    assert members == {world.own, world.partner, world.icb}
    # The partnerships with the roles and members, then the three querysets built from them.
    assert len(queries) == 4


def test_no_query_asks_whether_someone_who_leads_nothing_leads_a_partnership(world):
    actor = access.actor_acting_for(world.own_staff, None)
    access.acting_partnerships(actor)
    with CaptureQueriesContext(connection) as queries:
        assert not access.led_partnerships(actor).exists()
        assert PartnershipRole.PARTNERSHIP_LEAD not in access.roles_of(actor)
    assert len(queries) == 0


def test_a_partnership_role_counts_only_while_acting_for_a_member_of_that_partnership(world):
    # The lead also works at the outsider's organisation, which is not in the lead's partnership.
    EmploymentFactory(
        person=world.partnership_lead, organisation=world.outsider_org, job_title="Adviser"
    )
    elsewhere = access.actor_acting_for(world.partnership_lead, world.outsider_org.pk)
    assert access.acting_partnerships(elsewhere) == [world.other_partnership]
    assert list(access.partner_organisations(elsewhere)) == [world.outsider_org]
    assert PartnershipRole.PARTNERSHIP_LEAD not in access.roles_of(elsewhere)
    assert not access.led_partnerships(elsewhere).exists()
    at_the_board = access.actor_acting_for(world.partnership_lead, world.icb.pk)
    assert access.led_partnerships(at_the_board).get() == world.partnership


def test_granting_a_partnership_role_is_seen_by_the_same_actor_at_once(world):
    lead = access.actor_acting_for(world.partnership_lead, None)
    assert access.roles_of(lead) == {PartnershipRole.PARTNERSHIP_LEAD}
    services.grant_partnership_role(
        actor=lead,
        partnership=world.partnership,
        person=world.partnership_lead,
        role=PartnershipRole.PARTNERSHIP_ANALYST,
    )
    assert access.roles_of(lead) == {
        PartnershipRole.PARTNERSHIP_LEAD,
        PartnershipRole.PARTNERSHIP_ANALYST,
    }


def test_the_shell_needs_two_queries_whatever_the_persona(world):
    PartnershipRoleFactory(
        person=world.own_admin,
        partnership=world.partnership,
        role=PartnershipRole.PARTNERSHIP_ANALYST,
    )
    counts = {}
    for persona in ("own_staff", "own_admin", "partnership_lead", "outsider"):
        request = RequestFactory().get("/")
        with CaptureQueriesContext(connection) as queries:
            request.actor = access.actor_acting_for(world.person(persona), None)
            context = shell(request)
            labels = [item.label for item in context["navigation"]]
        counts[persona] = len(queries)
        if persona == "partnership_lead":
            assert context["current_partnership"] == world.partnership
            assert "Partnership" in labels
        else:
            assert "Partnership" not in labels
        assert ("Manage organisation" in labels) == (persona in ("own_admin", "outsider"))
    assert counts == dict.fromkeys(counts, 2)


def test_each_request_reads_its_own_persons_roles(client_for, world):
    link = f'href="{reverse("partnership:partnership-manage")}"'
    lead = client_for("partnership_lead")
    staff = client_for("own_staff")
    for _ in range(2):
        assert link in lead.get("/").text
        assert link not in staff.get("/").text


def test_an_organisation_that_left_the_partnership_today_is_no_longer_a_partner(world):
    membership = world.partner.memberships.get(partnership=world.partnership)
    membership.left_on = timezone.localdate()
    membership.save()
    actor = access.actor_acting_for(world.own_staff, None)
    assert set(access.partner_organisations(actor)) == {world.own, world.icb}
