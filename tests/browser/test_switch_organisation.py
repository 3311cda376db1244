"""Someone with jobs at two organisations switches the one they act for in the header."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from joinedup.partnership.models import EmploymentKind
from joinedup.partnership.tests.factories import EmploymentFactory
from tests.browser.accessibility import check_accessibility

pytestmark = pytest.mark.browser


def test_person_with_a_joint_post_switches_organisation_in_the_header(browser_world, sign_in):
    # Given a social worker at Barnet who also holds a joint post at the partner NHS trust
    EmploymentFactory(
        person=browser_world.own_staff,
        organisation=browser_world.partner,
        job_title="Discharge liaison social worker",
        kind=EmploymentKind.JOINT_POST,
    )
    page = sign_in("own_staff")
    expect(page.locator("#acting-organisation")).to_have_text("London Borough of Barnet")
    # When they choose the trust under "Act for" and switch
    page.get_by_label("Act for").select_option(label=browser_world.partner.name)
    page.get_by_role("button", name="Switch organisation").click()
    # Then they act for the trust, on the page they were on
    expect(page.locator("#acting-organisation")).to_have_text(browser_world.partner.name)
    expect(page.get_by_label("Act for")).to_have_value(str(browser_world.partner.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sam")
    check_accessibility(page)


def test_person_with_one_job_has_no_switcher(sign_in):
    # Given a member of staff with a single job
    # When they sign in
    page = sign_in("own_staff")
    # Then the header names their organisation and offers nothing to switch to
    expect(page.locator("#acting-organisation")).to_have_text("London Borough of Barnet")
    expect(page.get_by_label("Act for")).to_have_count(0)
    check_accessibility(page)
