"""The person page: who may open it, what of the history and roles each viewer sees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from joinedup.partnership.models import Destination, OrganisationRole, PartnershipRole
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    OrganisationFactory,
    OrganisationRoleFactory,
    PartnershipRoleFactory,
)
from joinedup.partnership.tests.manage_helpers import assert_status, queries_for


def url_of(world, persona: str) -> str:
    return reverse("partnership:person", args=[world.person(persona).pk])


@pytest.mark.parametrize(
    ("viewer", "subject", "expected"),
    [
        ("own_staff", "own_line_manager", 200),
        ("own_staff", "own_staff", 200),
        ("own_staff", "partner_staff", 404),
        ("own_staff", "partnership_lead", 404),
        ("own_staff", "outsider", 404),
        ("own_admin", "own_staff", 200),
        ("own_admin", "partner_staff", 404),
        ("partner_staff", "own_staff", 404),
        ("partner_admin", "partner_staff", 200),
        ("partnership_lead", "own_staff", 200),
        ("partnership_lead", "partner_staff", 200),
        ("partnership_lead", "outsider", 404),
        ("outsider", "own_staff", 404),
        ("outsider", "partnership_lead", 404),
        ("outsider", "outsider", 200),
        ("anonymous", "own_staff", 302),
    ],
)
def test_who_may_open_a_person_page(client_for, world, viewer, subject, expected):
    assert_status(client_for(viewer).get(url_of(world, subject)), expected)


def test_an_unknown_person_is_not_found(client_for, world):
    response = client_for("partnership_lead").get(reverse("partnership:person", args=[999_999]))
    assert response.status_code == 404


@pytest.fixture
def earlier_job(world):
    """Sam once worked at a private company and left for Barnet."""
    return EmploymentFactory(
        person=world.own_staff,
        organisation=OrganisationFactory(name="Acme Care Limited"),
        job_title="Care assistant",
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2021, 12, 31),
        destination=Destination.OTHER_PUBLIC,
    )


def test_colleagues_see_current_job_but_not_the_history(client_for, world, earlier_job):
    response = client_for("own_line_manager").get(url_of(world, "own_staff"))
    assert "Social worker" in response.text
    assert "Acme Care Limited" not in response.text
    assert "Employment history" not in response.text


@pytest.mark.parametrize("viewer", ["own_staff", "own_admin", "partnership_lead"])
def test_the_person_their_admin_and_the_lead_see_the_history(
    client_for, world, earlier_job, viewer
):
    response = client_for(viewer).get(url_of(world, "own_staff"))
    assert "Employment history" in response.text
    assert "Acme Care Limited" in response.text
    assert "Other public sector" in response.text


def test_roles_are_shown_within_the_viewers_directory_only(client_for, world):
    OrganisationRoleFactory(
        person=world.partner_staff, organisation=world.partner, role=OrganisationRole.ASSESSOR
    )
    PartnershipRoleFactory(
        person=world.own_admin,
        partnership=world.other_partnership,
        role=PartnershipRole.MENTORING_LEAD,
    )
    admin_seen_by_staff = client_for("own_staff").get(url_of(world, "own_admin")).text
    assert f"Organisation admin, {world.own.name}" in admin_seen_by_staff
    assert world.other_partnership.name not in admin_seen_by_staff
    nurse_seen_by_lead = client_for("partnership_lead").get(url_of(world, "partner_staff")).text
    assert f"Assessor, {world.partner.name}" in nurse_seen_by_lead


def test_partner_jobs_of_a_joint_post_are_hidden_from_own_staff(client_for, world):
    EmploymentFactory(
        person=world.own_line_manager, organisation=world.partner, job_title="Joint post lead"
    )
    own_view = client_for("own_staff").get(url_of(world, "own_line_manager")).text
    lead_view = client_for("partnership_lead").get(url_of(world, "own_line_manager")).text
    assert "Joint post lead" not in own_view
    assert "Joint post lead" in lead_view


def test_the_person_page_query_count_does_not_grow_with_history(client_for, world):
    client = client_for("partnership_lead")
    few = queries_for(client, url_of(world, "own_staff"))
    for year in range(2000, 2010):
        EmploymentFactory(
            person=world.own_staff,
            start_date=dt.date(year, 1, 1),
            end_date=dt.date(year, 12, 31),
            destination=Destination.PRIVATE,
        )
    assert queries_for(client, url_of(world, "own_staff")) == few
