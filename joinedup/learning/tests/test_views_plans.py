"""The design once pages: the plans list, recording, changing and closing a plan, a plan's similar
items, a new programme's similar programmes, and nothing typed in making a 500."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.learning import plans, similar
from joinedup.learning.models import CommissioningPlan, PlanStatus
from joinedup.learning.tests.factories import ProgrammeFactory

FORM = {
    "title": "Trauma-informed practice for housing officers",
    "need": "Frontline housing officers meet residents after trauma",
    "audience": "Housing officers",
    "topics": "Trauma-informed practice, Housing",
    "estimated_design_cost": "15000",
    "delivery_cost_per_place": "90",
    "expected_learners": "120",
    "starts_on_day": "1",
    "starts_on_month": "4",
    "starts_on_year": "2027",
    "ends_on_day": "",
    "ends_on_month": "",
    "ends_on_year": "",
}


@pytest.fixture(autouse=True)
def _fresh_index():
    similar.reset_for_tests()
    yield
    similar.reset_for_tests()


def partner_plan(world, title: str = "Trauma-informed housing practice") -> CommissioningPlan:
    return plans.create_plan(
        actor=world.actor("partner_ld_lead"),
        title=title,
        need="Our housing officers need trauma-informed practice",
        topics=["Trauma-informed practice"],
    )


def test_lead_records_a_plan_and_sees_the_partners_similar_programme_and_plan(world, client_for):
    programme = ProgrammeFactory(
        host=world.partner,
        title="Trauma-informed practice for frontline housing officers",
        summary="Responding to residents after trauma",
    )
    similar.record_change(similar.PROGRAMME, programme.pk)
    other = partner_plan(world)
    client = client_for("own_ld_lead")

    response = client.post(reverse("learning:plan-new"), FORM, follow=True)

    plan = CommissioningPlan.objects.get(organisation=world.own)
    assert response.redirect_chain[-1][0] == reverse("learning:plan", args=[plan.pk])
    page = response.content.decode()
    assert programme.title in page and world.partner.name in page
    assert other.title in page
    assert "Shared: trauma" in page or "Shared: housing" in page
    assert reverse("materials:library") + "?topic=" in page
    assert plan.starts_on.isoformat() == "2027-04-01"


def test_the_plan_links_to_its_joint_commission_and_the_list_to_commissions(world, client_for):
    plan = partner_plan(world)
    page = client_for("partner_ld_lead").get(reverse("learning:plan", args=[plan.pk]))
    assert reverse("learning:commission-join", args=[plan.pk]) in page.content.decode()
    listing = client_for("partner_ld_lead").get(reverse("learning:plans")).content.decode()
    assert f'href="{reverse("learning:commissions")}"' in listing
    assert f'href="{reverse("learning:commission-report")}"' in listing
    lead_listing = client_for("partnership_lead").get(reverse("learning:plans")).content.decode()
    assert f'href="{reverse("learning:commission-report")}"' in lead_listing
    assert f'href="{reverse("learning:commissions")}"' not in lead_listing


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Enter a title"),
        ("estimated_design_cost", "1e999", "Estimated design cost must"),
        ("delivery_cost_per_place", "£90", "Delivery cost per place must be an amount"),
        ("expected_learners", "9" * 10, "Expected learners must be from 0"),
        ("starts_on_month", "13", "Start date must be a real date"),
        ("starts_on_year", "27", "Year must include 4 numbers"),
        ("need", "a\x00b", "Null characters are not allowed"),
    ],
)
def test_junk_is_shown_again_with_the_fields_error_not_a_500(
    world, client_for, field, value, message
):
    response = client_for("own_ld_lead").post(reverse("learning:plan-new"), {**FORM, field: value})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CommissioningPlan.objects.exists()


def test_owner_changes_and_closes_a_plan(world, client_for):
    plan = plans.create_plan(
        actor=world.actor("own_ld_lead"),
        title="Coaching",
        need="Managers coach",
        topics=["Coaching"],
    )
    client = client_for("own_ld_lead")
    form = client.get(reverse("learning:plan-edit", args=[plan.pk])).content.decode()
    assert 'value="Coaching"' in form

    client.post(
        reverse("learning:plan-edit", args=[plan.pk]), {**FORM, "title": "Coaching for all"}
    )
    response = client.post(reverse("learning:plan-close", args=[plan.pk]))

    plan.refresh_from_db()
    assert response.status_code == 302
    assert plan.title == "Coaching for all" and plan.status == PlanStatus.CLOSED


def test_plans_list_shows_mine_and_partners_open_plans_in_constant_queries(world, client_for):
    plans.create_plan(actor=world.actor("own_ld_lead"), title="Our plan", need="Need")
    closed = partner_plan(world, "Partner closed plan")
    plans.close_plan(actor=world.actor("partner_ld_lead"), plan=closed)
    partner_plan(world, "Partner open plan")
    client = client_for("own_ld_lead")
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("learning:plans")).content.decode()
    for number in range(5):
        partner_plan(world, f"Another partner plan {number}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("learning:plans"))

    assert "Our plan" in page and "Partner open plan" in page
    assert "Partner closed plan" not in page
    assert len(many) == len(few)


def test_outsider_never_sees_a_plan(world, client_for):
    plan = partner_plan(world)
    response = client_for("outsider").get(reverse("learning:plan", args=[plan.pk]))
    assert response.status_code == 404


def test_a_new_programmes_first_run_page_shows_similar_programmes(world, client_for):
    ProgrammeFactory(host=world.partner, title="Budget management for team leaders")
    similar.record_rebuild()
    client = client_for("own_ld_lead")
    response = client.post(
        reverse("learning:programme-new"),
        {
            "title": "Managing a team budget",
            "kind": "course",
            "delivery_mode": "online",
            "seniority_min": "1",
            "seniority_max": "9",
            "hours": "3",
            "cost_per_place": "100",
            "partner_price": "50",
            "sharing_policy": "own_then_partners",
        },
        follow=True,
    )

    assert "Budget management for team leaders" in response.content.decode()
