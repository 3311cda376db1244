"""Organisation roles: the list, giving a role to current staff, removing one with confirmation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from joinedup.partnership.models import AuditEvent, OrganisationRole, OrganisationRoleGrant
from joinedup.partnership.tests.factories import EmploymentFactory, OrganisationRoleFactory
from joinedup.partnership.tests.manage_helpers import assert_status, queries_for


def roles_url(world) -> str:
    return reverse("partnership:manage-roles", args=[world.own.pk])


def grant_url(world) -> str:
    return reverse("partnership:grant-role", args=[world.own.pk])


def admin_grant(world) -> OrganisationRoleGrant:
    return OrganisationRoleGrant.objects.get(
        person=world.own_admin, role=OrganisationRole.ORG_ADMIN
    )


def remove_url(world, grant: OrganisationRoleGrant) -> str:
    return reverse("partnership:remove-role", args=[world.own.pk, grant.pk])


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("own_admin", 200),
        ("own_staff", 403),
        ("own_ld_lead", 403),
        ("partner_admin", 403),
        ("partnership_lead", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_only_own_admin_sees_roles_and_the_grant_form(client_for, world, persona, expected):
    client = client_for(persona)
    assert_status(client.get(roles_url(world)), expected)
    assert_status(client.get(grant_url(world)), expected)


def test_roles_list_shows_who_holds_what_with_constant_queries(client_for, world):
    client = client_for("own_admin")
    page = client.get(roles_url(world)).text
    assert "Organisation admin" in page and "Ada Admin" in page
    assert "Learning and development lead" in page and "Lee Learning" in page
    assert "Pam Admin" not in page
    small = queries_for(client, roles_url(world))
    for _ in range(20):
        employment = EmploymentFactory(organisation=world.own)
        OrganisationRoleFactory(
            person=employment.person, organisation=world.own, role=OrganisationRole.ASSESSOR
        )
    assert queries_for(client, roles_url(world)) == small


def test_admin_gives_a_role_to_current_staff(client_for, world):
    response = client_for("own_admin").post(
        grant_url(world),
        {"email": "SAM.STAFF@barnet.test", "role": OrganisationRole.ASSESSOR},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == roles_url(world)
    assert "Sam Staff is now assessor" in response.text
    assert OrganisationRoleGrant.objects.filter(
        person=world.own_staff, organisation=world.own, role=OrganisationRole.ASSESSOR
    ).exists()
    event = AuditEvent.objects.get(action="role.granted")
    assert (event.actor, event.organisation, event.object_id, event.changes) == (
        world.own_admin,
        world.own,
        str(world.own_staff.pk),
        {"role": "assessor"},
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"email": "pat.staff@lnwh.test", "role": "assessor"},
            "email",
            "No one working at London Borough of Barnet has this email address",
        ),
        (
            {"email": "nobody@example.test", "role": "assessor"},
            "email",
            "No one working at London Borough of Barnet has this email address",
        ),
        (
            {"email": "sam.staff@barnet.test", "role": "partnership_lead"},
            "role",
            "Choose a role from the list",
        ),
        ({"email": "sam.staff@barnet.test", "role": ""}, "role", "Choose a role"),
    ],
)
def test_bad_grant_is_named_and_nothing_is_written(client_for, world, data, field, message):
    grants_before = OrganisationRoleGrant.objects.count()
    response = client_for("own_admin").post(grant_url(world), data)
    assert response.status_code == 200
    assert f'<a href="#id_{field}">{message}</a>' in response.text
    assert OrganisationRoleGrant.objects.count() == grants_before
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("own_staff", 403), ("partner_admin", 403), ("outsider", 404), ("anonymous", 302)],
)
def test_others_cannot_give_a_role(client_for, world, persona, expected):
    data = {"email": "sam.staff@barnet.test", "role": OrganisationRole.ORG_ADMIN}
    assert_status(client_for(persona).post(grant_url(world), data), expected)
    assert not OrganisationRoleGrant.objects.filter(person=world.own_staff).exists()


def test_admin_confirms_then_removes_a_role(client_for, world):
    grant = OrganisationRoleGrant.objects.get(person=world.own_ld_lead)
    client = client_for("own_admin")
    confirm = client.get(remove_url(world, grant))
    assert "Remove learning and development lead from Lee Learning?" in confirm.text
    assert OrganisationRoleGrant.objects.filter(pk=grant.pk).exists()

    response = client.post(remove_url(world, grant), follow=True)
    assert response.redirect_chain[-1][0] == roles_url(world)
    assert "Lee Learning is no longer learning and development lead" in response.text
    assert not OrganisationRoleGrant.objects.filter(pk=grant.pk).exists()
    event = AuditEvent.objects.get(action="role.removed")
    assert (event.object_id, event.changes) == (str(world.own_ld_lead.pk), {"role": "ld_lead"})


def test_last_admin_cannot_be_removed(client_for, world):
    response = client_for("own_admin").post(remove_url(world, admin_grant(world)))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "An organisation must keep at least one admin." in response.text
    assert OrganisationRoleGrant.objects.filter(pk=admin_grant(world).pk).exists()
    assert not AuditEvent.objects.exists()


def test_admin_who_removes_their_own_admin_role_goes_home(client_for, world):
    OrganisationRoleFactory(person=world.own_line_manager, organisation=world.own)
    response = client_for("own_admin").post(remove_url(world, admin_grant(world)))
    assert response.url == reverse("partnership:home")
    assert client_for("own_admin").get(roles_url(world)).status_code == 403


def test_role_at_another_organisation_is_not_found_through_own_pages(client_for, world):
    theirs = OrganisationRoleGrant.objects.get(person=world.partner_ld_lead)
    client = client_for("own_admin")
    assert client.get(remove_url(world, theirs)).status_code == 404
    assert client.post(remove_url(world, theirs)).status_code == 404
    assert OrganisationRoleGrant.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("own_staff", 403), ("partner_admin", 403), ("outsider", 404), ("anonymous", 302)],
)
def test_others_cannot_remove_a_role(client_for, world, persona, expected):
    grant = OrganisationRoleGrant.objects.get(person=world.own_ld_lead)
    assert_status(client_for(persona).get(remove_url(world, grant)), expected)
    assert_status(client_for(persona).post(remove_url(world, grant)), expected)
    assert OrganisationRoleGrant.objects.filter(pk=grant.pk).exists()
