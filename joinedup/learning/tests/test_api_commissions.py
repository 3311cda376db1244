"""The joint commission API: list, detail with value for money, start, join and agree."""

from __future__ import annotations

from decimal import Decimal

import pytest

from joinedup.learning.models import CommissionStatus, JointCommission
from joinedup.learning.tests.test_commissions import joined, make_plan, started
from joinedup.partnership.models import RechargeEntry
from joinedup.partnership.tests.api_helpers import (
    API,
    api_client,
    api_queries,
    ids,
    organisation_client,
)

COMMISSIONS = f"{API}/learning/joint-commissions"


def test_the_plans_ld_lead_starts_one_and_a_partner_joins_and_the_lead_agrees(world):
    plan = make_plan(world)
    lead = api_client(world, "own_ld_lead")

    started_ = lead.post(
        COMMISSIONS,
        {"plan": plan.pk, "places": 40, "split_method": "equal"},
        content_type="application/json",
    )
    assert started_.status_code == 201, started_.content
    pk = started_.json()["id"]

    joined_ = api_client(world, "partner_ld_lead").post(
        f"{COMMISSIONS}/{pk}/join", {"places": 20}, content_type="application/json"
    )
    assert joined_.status_code == 200
    assert [p["places"] for p in joined_.json()["partners"]] == [40, 20]

    agreed = lead.post(
        f"{COMMISSIONS}/{pk}/agree",
        {"split_method": "places", "total_cost": "900.01"},
        content_type="application/json",
    )
    assert agreed.status_code == 200, agreed.content
    body = agreed.json()
    assert body["status"] == CommissionStatus.AGREED
    assert [Decimal(p["share"]) for p in body["partners"]] == [Decimal("600.01"), Decimal("300.00")]
    assert Decimal(body["total_cost"]) == Decimal("900.01")
    assert RechargeEntry.objects.get(source_kind="joint_commission").amount == Decimal("300.00")

    again = lead.post(f"{COMMISSIONS}/{pk}/agree", {}, content_type="application/json")
    assert again.status_code == 409
    assert "agreed" in again.json()["detail"]
    assert RechargeEntry.objects.filter(source_kind="joint_commission").count() == 1


def test_the_detail_reports_value_for_money(world):
    commission = joined(world, places=20)

    response = api_client(world, "partner_staff").get(f"{COMMISSIONS}/{commission.pk}")

    assert response.status_code == 200
    body = response.json()
    assert Decimal(body["separate_cost"]) == Decimal("46000")
    assert Decimal(body["total_cost"]) == Decimal("26000")
    assert Decimal(body["saving"]) == Decimal("20000")
    lead, partner = body["partners"]
    assert Decimal(lead["separate_cost"]) + Decimal(partner["separate_cost"]) == Decimal("46000")
    assert Decimal(lead["share"]) + Decimal(partner["share"]) == Decimal("26000")


def test_an_outsider_gets_a_404_and_lists_nothing_of_the_partnership(world):
    commission = started(world)
    client = api_client(world, "outsider")
    assert client.get(f"{COMMISSIONS}/{commission.pk}").status_code == 404
    assert ids(client.get(COMMISSIONS)) == []


@pytest.mark.parametrize(
    ("persona", "path", "data", "status"),
    [
        ("partner_ld_lead", "agree", {}, 403),
        ("own_ld_lead", "join", {"places": 3}, 403),
        ("partner_ld_lead", "join", {"places": 0}, 422),
        ("partner_ld_lead", "join", {"places": "many"}, 422),
        ("own_ld_lead", "agree", {"total_cost": "0.001"}, 422),
        ("own_ld_lead", "agree", {"split_method": "magic"}, 422),
        ("own_ld_lead", "agree", {}, 409),
    ],
)
def test_refusals_name_the_reason(world, persona, path, data, status):
    commission = started(world)
    response = api_client(world, persona).post(
        f"{COMMISSIONS}/{commission.pk}/{path}", data, content_type="application/json"
    )
    assert response.status_code == status, response.content
    assert response.json()["detail"]


def test_an_organisation_token_reads_but_may_not_start(world):
    plan = make_plan(world)
    started(world, title="Other")
    client = organisation_client(world, "own_admin")
    assert len(ids(client.get(COMMISSIONS))) == 1
    response = client.post(
        COMMISSIONS, {"plan": plan.pk, "places": 3}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not JointCommission.objects.filter(plan=plan).exists()


def test_the_list_asks_as_many_queries_for_many_commissions(world):
    joined(world, title="First")
    client = api_client(world, "partner_ld_lead")
    few = api_queries(client, COMMISSIONS)
    for title in ("Second", "Third", "Fourth"):
        joined(world, title=title)
    assert api_queries(client, COMMISSIONS) == few
    assert len(ids(client.get(COMMISSIONS))) == 4
