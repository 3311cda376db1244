"""Every page an organisation admin or the partnership lead works from is accessible.

The journeys cover the pages on their way; this tour opens the rest, with rows in their tables.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from joinedup.partnership import services
from joinedup.partnership.models import (
    Membership,
    OrganisationRoleGrant,
    PartnershipRole,
)
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser


def visit_each(page, subtests, paths: list[str]) -> None:
    """Open each page and check it, reporting every inaccessible page rather than the first."""
    for path in paths:
        with subtests.test(msg=path):
            response = page.goto(path)
            assert response.status == 200, f"{path} answered {response.status}"
            check_accessibility(page)


def test_every_page_an_organisation_admin_manages_from_is_accessible(
    browser_world, sign_in, subtests
):
    # Given Barnet's organisation admin, with a grade they changed and tokens they made
    own = browser_world.own
    actor = browser_world.actor("own_admin")
    grade = services.save_grade(actor=actor, name="PO4", seniority=6)
    services.create_personal_token(actor=actor, name="Reporting script")
    services.create_organisation_token(actor=actor, organisation=own, name="HR feed")
    grant = OrganisationRoleGrant.objects.filter(organisation=own).exclude(
        person=browser_world.own_admin
    )[0]
    job = browser_world.employments["own_staff"]
    page = sign_in("own_admin")
    # When they open every management page
    visit_each(
        page,
        subtests,
        [
            reverse("partnership:manage", args=[own.pk]),
            reverse("partnership:manage-people", args=[own.pk]) + "?show=leavers",
            reverse("partnership:manage-roles", args=[own.pk]),
            reverse("partnership:grant-role", args=[own.pk]),
            reverse("partnership:remove-role", args=[own.pk, grant.pk]),
            reverse("partnership:manage-grades", args=[own.pk]),
            reverse("partnership:add-grade", args=[own.pk]),
            reverse("partnership:edit-grade", args=[own.pk, grade.pk]),
            reverse("partnership:manage-audit", args=[own.pk]),
            reverse("partnership:employment", args=[job.pk]),
            reverse("partnership:change-job", args=[job.pk]),
            reverse("partnership:organisation-tokens", args=[own.pk]),
            reverse("partnership:tokens"),
        ],
    )
    # Then each was accessible (checked on every visit), and the audit log lists their changes
    page.goto(reverse("partnership:manage-audit", args=[own.pk]))
    expect(page.locator("table")).to_contain_text("PO4")


def test_every_page_the_partnership_lead_works_from_is_accessible(browser_world, sign_in, subtests):
    # Given the partnership lead, who has granted a partnership role
    partnership = browser_world.partnership
    lead = browser_world.actor("partnership_lead")
    grant = services.grant_partnership_role(
        actor=lead,
        partnership=partnership,
        person=browser_world.partner_ld_lead,
        role=PartnershipRole.PARTNERSHIP_ANALYST,
    )
    membership = Membership.objects.get(partnership=partnership, organisation=browser_world.partner)
    page = sign_in("partnership_lead")
    # When they open every page for running the partnership
    visit_each(
        page,
        subtests,
        [
            reverse("partnership:partnership-manage"),
            reverse("partnership:add-organisation"),
            reverse("partnership:end-membership", args=[membership.pk]),
            reverse("partnership:partnership-roles"),
            reverse("partnership:grant-partnership-role"),
            reverse("partnership:remove-partnership-role", args=[grant.pk]),
            reverse("partnership:partnership-audit"),
        ],
    )
    # Then each was accessible (checked on every visit)
