"""The partnership lead's pages: members, adding an organisation, ending a membership, roles."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from joinedup.partnership.models import (
    AuditEvent,
    Employment,
    Membership,
    Organisation,
    OrganisationRole,
    OrganisationRoleGrant,
    PartnershipRole,
    PartnershipRoleGrant,
    Person,
)
from joinedup.partnership.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipRoleFactory,
)
from joinedup.partnership.tests.manage_helpers import assert_status, queries_for

OVERVIEW = "/partnership/"
ADD_ORGANISATION = "/partnership/organisations/add/"
ROLES = "/partnership/roles/"
GRANT_ROLE = "/partnership/roles/grant/"

# The standing world's partnership role grants: the partnership lead's and the mentoring lead's.
WORLD_GRANTS = 2

NOT_LEAD = [
    ("own_admin", 403),
    ("own_staff", 403),
    ("partner_admin", 403),
    ("outsider", 403),
    ("anonymous", 302),
]


def membership_of(world, organisation) -> Membership:
    return Membership.objects.get(partnership=world.partnership, organisation=organisation)


def end_url(membership: Membership) -> str:
    return reverse("partnership:end-membership", args=[membership.pk])


def lead_grant(world) -> PartnershipRoleGrant:
    return PartnershipRoleGrant.objects.get(person=world.partnership_lead)


def remove_url(grant: PartnershipRoleGrant) -> str:
    return reverse("partnership:remove-partnership-role", args=[grant.pk])


def test_urls_are_the_ones_the_navigation_uses():
    assert reverse("partnership:partnership-manage") == OVERVIEW
    assert reverse("partnership:add-organisation") == ADD_ORGANISATION
    assert reverse("partnership:partnership-roles") == ROLES
    assert reverse("partnership:grant-partnership-role") == GRANT_ROLE


@pytest.mark.parametrize(("persona", "expected"), [("partnership_lead", 200), *NOT_LEAD])
def test_only_the_partnership_lead_sees_the_partnership_pages(client_for, world, persona, expected):
    client = client_for(persona)
    for url in (OVERVIEW, ADD_ORGANISATION, ROLES, GRANT_ROLE):
        assert_status(client.get(url), expected)


def test_overview_lists_members_with_joined_and_left_dates(client_for, world):
    gone = OrganisationFactory(name="Former Housing Trust")
    MembershipFactory(
        partnership=world.partnership, organisation=gone, left_on=timezone.localdate()
    )
    client = client_for("partnership_lead")
    page = client.get(OVERVIEW).text
    for organisation in (world.own, world.partner, world.icb, gone):
        assert organisation.name in page
    assert world.outsider_org.name not in page
    assert "1 Apr 2024" in page
    assert end_url(membership_of(world, world.own)) in page
    assert end_url(membership_of(world, gone)) not in page

    small = queries_for(client, OVERVIEW)
    for _ in range(15):
        MembershipFactory(partnership=world.partnership)
    assert queries_for(client, OVERVIEW) == small


# --- Adding an organisation -------------------------------------------------------------------


def new_organisation(**overrides) -> dict[str, str]:
    data = {
        "name": "London Borough of Brent",
        "kind": "london_borough",
        "official_code": "e09000005",
        "is_levy_payer": "on",
        "headcount": "4200",
        "admin_email": "bea.admin@brent.test",
        "admin_given_name": "Bea",
        "admin_family_name": "Admin",
    }
    data.update(overrides)
    return data


def test_lead_adds_an_organisation_and_its_first_admin(
    client_for, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("partnership_lead").post(
            ADD_ORGANISATION, new_organisation(), follow=True
        )
    assert response.redirect_chain[-1][0] == OVERVIEW
    assert "London Borough of Brent has joined" in response.text
    brent = Organisation.objects.get(official_code="E09000005")
    assert (brent.sector, brent.is_levy_payer, brent.headcount) == ("local_government", True, 4200)
    assert membership_of(world, brent).left_on is None
    admin = Person.objects.get(email="bea.admin@brent.test")
    assert Employment.objects.current().filter(person=admin, organisation=brent).exists()
    assert OrganisationRoleGrant.objects.filter(
        person=admin, organisation=brent, role=OrganisationRole.ORG_ADMIN
    ).exists()
    event = AuditEvent.objects.get(action="organisation.added")
    assert (event.actor, event.partnership, event.organisation) == (
        world.partnership_lead,
        world.partnership,
        brent,
    )
    assert [message.to for message in mail.outbox] == [["bea.admin@brent.test"]]
    assert "http://testserver/accounts/reset/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"official_code": "R1K"}, "official_code", "Enter an ONS GSS code such as E09000005"),
        (
            {"official_code": "E09000003"},
            "official_code",
            "Another organisation already has this code",
        ),
        (
            {"kind": "nhs_trust", "official_code": "not a code"},
            "official_code",
            "Enter an NHS ODS code such as R1K or Z9B2Z",
        ),
        ({"headcount": "-1"}, "headcount", "Headcount must be 0 or more"),
        ({"headcount": "many"}, "headcount", "Headcount must be a whole number"),
        ({"kind": ""}, "kind", "Choose the kind of organisation"),
        (
            {"admin_email": "bea"},
            "admin_email",
            "Enter an email address in the correct format, like name@example.com",
        ),
    ],
)
def test_bad_organisation_is_named_and_nothing_is_written(
    client_for, world, overrides, field, message
):
    organisations_before = Organisation.objects.count()
    response = client_for("partnership_lead").post(ADD_ORGANISATION, new_organisation(**overrides))
    assert response.status_code == 200
    assert f'<a href="#id_{field}">{message}</a>' in response.text
    assert Organisation.objects.count() == organisations_before
    assert not Person.objects.filter(email="bea.admin@brent.test").exists()
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(("persona", "expected"), NOT_LEAD)
def test_others_cannot_add_an_organisation(client_for, world, persona, expected):
    assert_status(client_for(persona).post(ADD_ORGANISATION, new_organisation()), expected)
    assert not Organisation.objects.filter(name="London Borough of Brent").exists()


# --- Ending a membership ----------------------------------------------------------------------


def test_lead_confirms_then_ends_a_membership(client_for, world):
    membership = membership_of(world, world.partner)
    client = client_for("partnership_lead")
    confirm = client.get(end_url(membership))
    assert f"End the membership of {world.partner.name}?" in confirm.text
    assert Membership.objects.get(pk=membership.pk).left_on is None

    response = client.post(end_url(membership), follow=True)
    assert response.redirect_chain[-1][0] == OVERVIEW
    assert f"{world.partner.name} is no longer a member" in response.text
    membership.refresh_from_db()
    assert membership.left_on == timezone.localdate()
    assert Employment.objects.filter(organisation=world.partner).count() == 6
    event = AuditEvent.objects.get(action="membership.ended")
    assert (event.organisation, event.partnership) == (world.partner, world.partnership)


def test_lead_cannot_end_the_membership_of_the_organisation_they_act_for(client_for, world):
    membership = membership_of(world, world.icb)
    response = client_for("partnership_lead").post(end_url(membership))
    assert response.status_code == 200
    assert "You cannot end the membership of the organisation you act for." in response.text
    membership.refresh_from_db()
    assert membership.left_on is None
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_admin", 403),
        ("own_staff", 403),
        ("partner_admin", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_others_cannot_end_a_membership(client_for, world, persona, expected):
    membership = membership_of(world, world.partner)
    assert_status(client_for(persona).get(end_url(membership)), expected)
    assert_status(client_for(persona).post(end_url(membership)), expected)
    membership.refresh_from_db()
    assert membership.left_on is None


def test_lead_cannot_reach_another_partnerships_membership(client_for, world):
    theirs = Membership.objects.get(partnership=world.other_partnership)
    client = client_for("partnership_lead")
    assert client.get(end_url(theirs)).status_code == 404
    assert client.post(end_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.left_on is None


# --- Partnership roles ------------------------------------------------------------------------


def test_lead_gives_a_partnership_role_to_someone_at_a_member(client_for, world):
    response = client_for("partnership_lead").post(
        GRANT_ROLE, {"email": "pia.learning@lnwh.test", "role": "partnership_analyst"}, follow=True
    )
    assert response.redirect_chain[-1][0] == ROLES
    assert "Pia Learning is now partnership analyst" in response.text
    assert PartnershipRoleGrant.objects.filter(
        person=world.partner_ld_lead,
        partnership=world.partnership,
        role=PartnershipRole.PARTNERSHIP_ANALYST,
    ).exists()
    event = AuditEvent.objects.get(action="role.granted")
    assert (event.partnership, event.changes) == (
        world.partnership,
        {"role": "partnership_analyst"},
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"email": "oscar.outsider@manchester.test", "role": "levy_lead"},
            "email",
            "No one working at a member organisation has this email address",
        ),
        (
            {"email": "sam.staff@barnet.test", "role": "org_admin"},
            "role",
            "Choose a role from the list",
        ),
    ],
)
def test_bad_partnership_grant_is_named_and_nothing_is_written(
    client_for, world, data, field, message
):
    response = client_for("partnership_lead").post(GRANT_ROLE, data)
    assert f'<a href="#id_{field}">{message}</a>' in response.text
    assert PartnershipRoleGrant.objects.count() == WORLD_GRANTS
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(("persona", "expected"), NOT_LEAD)
def test_others_cannot_give_partnership_roles(client_for, world, persona, expected):
    data = {"email": "sam.staff@barnet.test", "role": "partnership_lead"}
    assert_status(client_for(persona).post(GRANT_ROLE, data), expected)
    assert PartnershipRoleGrant.objects.count() == WORLD_GRANTS


def test_roles_page_lists_grants_with_constant_queries(client_for, world):
    client = client_for("partnership_lead")
    assert "Paula Lead" in client.get(ROLES).text
    small = queries_for(client, ROLES)
    for persona in ("own_staff", "own_admin", "partner_staff", "partner_admin"):
        PartnershipRoleFactory(
            person=world.person(persona), partnership=world.partnership, role="mentoring_lead"
        )
    assert queries_for(client, ROLES) == small


def test_lead_removes_a_partnership_role_after_confirming(client_for, world):
    grant = PartnershipRoleFactory(
        person=world.own_staff, partnership=world.partnership, role="levy_lead"
    )
    client = client_for("partnership_lead")
    assert "Remove levy lead from Sam Staff?" in client.get(remove_url(grant)).text
    response = client.post(remove_url(grant), follow=True)
    assert response.redirect_chain[-1][0] == ROLES
    assert not PartnershipRoleGrant.objects.filter(pk=grant.pk).exists()
    event = AuditEvent.objects.get(action="role.removed")
    assert (event.object_id, event.changes) == (str(world.own_staff.pk), {"role": "levy_lead"})


def test_last_partnership_lead_cannot_be_removed(client_for, world):
    response = client_for("partnership_lead").post(remove_url(lead_grant(world)))
    assert response.status_code == 200
    assert "A partnership must keep at least one partnership lead." in response.text
    assert PartnershipRoleGrant.objects.filter(pk=lead_grant(world).pk).exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_admin", 403),
        ("own_staff", 403),
        ("partner_admin", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_others_cannot_remove_a_partnership_role(client_for, world, persona, expected):
    assert_status(client_for(persona).get(remove_url(lead_grant(world))), expected)
    assert_status(client_for(persona).post(remove_url(lead_grant(world))), expected)
    assert PartnershipRoleGrant.objects.count() == WORLD_GRANTS
