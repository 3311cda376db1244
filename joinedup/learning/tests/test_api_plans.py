"""The commissioning plans API at /api/v1/learning/plans: list, detail with similar items,
create, change and close, with field-named errors."""

from __future__ import annotations

import pytest

from joinedup.learning import plans, similar
from joinedup.learning.models import CommissioningPlan, PlanStatus
from joinedup.learning.tests.factories import ProgrammeFactory
from joinedup.partnership.tests.api_helpers import API, api_client, api_queries, ids

PLANS = f"{API}/learning/plans"
BODY = {
    "title": "Trauma-informed practice for housing officers",
    "need": "Frontline housing officers meet residents after trauma",
    "topics": ["Trauma-informed practice"],
    "estimated_design_cost": "15000.00",
    "delivery_cost_per_place": "90",
    "expected_learners": 120,
    "starts_on": "2027-04-01",
}


@pytest.fixture(autouse=True)
def _fresh_index():
    similar.reset_for_tests()
    yield
    similar.reset_for_tests()


def partner_plan(world, title: str = "Trauma-informed housing practice") -> CommissioningPlan:
    return plans.create_plan(
        actor=world.actor("partner_ld_lead"), title=title, need="Trauma-informed housing work"
    )


def test_creating_a_plan_answers_with_its_similar_items_and_their_shared_terms(world):
    programme = ProgrammeFactory(
        host=world.partner, title="Trauma-informed practice for frontline housing officers"
    )
    similar.record_change(similar.PROGRAMME, programme.pk)
    other = partner_plan(world)

    response = api_client(world, "own_ld_lead").post(PLANS, BODY, content_type="application/json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"]["id"] == world.own.pk
    assert body["estimated_design_cost"] == "15000.00"
    assert body["similar_programmes"][0]["id"] == programme.pk
    assert "trauma" in body["similar_programmes"][0]["shared_terms"]
    assert [item["id"] for item in body["similar_plans"]] == [other.pk]


def test_list_has_own_and_partners_plans_in_constant_queries(world):
    mine = plans.create_plan(actor=world.actor("own_ld_lead"), title="Ours", need="Need")
    theirs = partner_plan(world)
    client = api_client(world, "own_ld_lead")

    assert sorted(ids(client.get(PLANS))) == sorted([mine.pk, theirs.pk])
    few = api_queries(client, PLANS)
    for number in range(4):
        partner_plan(world, f"More {number}")
    assert api_queries(client, PLANS) == few


def test_a_bad_field_is_a_422_naming_it(world):
    client = api_client(world, "own_ld_lead")

    response = client.post(
        PLANS, {**BODY, "ends_on": "2027-01-01"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "ends_on (body)" in response.json()["detail"]
    response = client.post(PLANS, {**BODY, "title": "a\x00"}, content_type="application/json")
    assert response.status_code == 422


def test_owner_changes_and_closes_but_a_partner_may_not(world):
    plan = plans.create_plan(actor=world.actor("own_ld_lead"), title="Ours", need="Need")
    url = f"{PLANS}/{plan.pk}"

    refused = api_client(world, "partner_ld_lead").patch(
        url, {"title": "Theirs"}, content_type="application/json"
    )
    changed = api_client(world, "own_ld_lead").patch(
        url, {"expected_learners": 30}, content_type="application/json"
    )
    closed = api_client(world, "own_ld_lead").post(f"{url}/close")
    again = api_client(world, "own_ld_lead").post(f"{url}/close")

    assert refused.status_code == 403
    assert changed.status_code == 200 and changed.json()["expected_learners"] == 30
    assert closed.json()["status"] == PlanStatus.CLOSED
    assert again.status_code == 409
