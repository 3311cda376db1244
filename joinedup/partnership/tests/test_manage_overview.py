"""The organisation admin's manage page and the navigation entries for admins and leads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from joinedup.partnership.models import Destination
from joinedup.partnership.tests.factories import EmploymentFactory
from joinedup.partnership.tests.manage_helpers import assert_status


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
def test_only_own_admin_may_open_the_manage_page(client_for, world, persona, expected):
    response = client_for(persona).get(reverse("partnership:manage", args=[world.own.pk]))
    assert_status(response, expected)


def test_partner_admin_manages_their_own_organisation(client_for, world):
    response = client_for("partner_admin").get(
        reverse("partnership:manage", args=[world.partner.pk])
    )
    assert response.status_code == 200
    assert world.partner.name in response.text


def test_unknown_organisation_is_not_found(client_for, world):
    response = client_for("own_admin").get(reverse("partnership:manage", args=[999_999]))
    assert response.status_code == 404


def test_manage_page_counts_current_staff_and_leavers(client_for, world):
    EmploymentFactory(
        organisation=world.own,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2023, 1, 1),
        destination=Destination.RETIRED,
    )
    response = client_for("own_admin").get(reverse("partnership:manage", args=[world.own.pk]))
    assert '<dd class="govuk-summary-list__value" id="staff-count">6</dd>' in response.text
    assert '<dd class="govuk-summary-list__value" id="leaver-count">1</dd>' in response.text
    for name in ("manage-people", "add-person", "manage-roles", "manage-grades", "manage-audit"):
        assert reverse(f"partnership:{name}", args=[world.own.pk]) in response.text


def test_navigation_offers_manage_organisation_to_admins_only(client_for, world):
    manage_url = reverse("partnership:manage", args=[world.own.pk])
    admin_home = client_for("own_admin").get("/").text
    staff_home = client_for("own_staff").get("/").text
    assert f'href="{manage_url}"' in admin_home
    assert "Manage organisation" in admin_home
    assert "Manage organisation" not in staff_home


def test_navigation_offers_partnership_to_the_partnership_lead_only(client_for, world):
    url = reverse("partnership:partnership-manage")
    assert f'href="{url}"' in client_for("partnership_lead").get("/").text
    assert f'href="{url}"' not in client_for("own_admin").get("/").text


def test_manage_page_links_to_every_admin_page(client_for, world):
    response = client_for("own_admin").get(reverse("partnership:manage", args=[world.own.pk]))
    for name in (
        "manage-people",
        "add-person",
        "staff-import",
        "manage-roles",
        "manage-grades",
        "manage-audit",
        "organisation-tokens",
    ):
        assert reverse(f"partnership:{name}", args=[world.own.pk]) in response.text
