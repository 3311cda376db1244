"""The needs, optimiser runs and recommendations API: the same plan and pledge as the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from joinedup.levy.models import Need, Pledge
from joinedup.levy.tests.pooling import add_months, build_pooling
from joinedup.partnership.actor import Actor
from joinedup.partnership.services import create_organisation_token, create_personal_token

pytestmark = pytest.mark.django_db


def bearer(actor: Actor) -> dict[str, str]:
    _, raw = create_personal_token(actor=actor, name="Test")
    return {"Authorization": f"Bearer {raw}"}


def test_lead_adds_a_need_runs_the_optimiser_and_reads_the_explained_plan(world):
    pooling = build_pooling(world)
    lead = bearer(world.actor("partnership_lead"))
    client = Client()
    start = add_months(pooling.today, 2)
    added = client.post(
        "/api/v1/levy/needs",
        {
            "organisation": pooling.charity.pk,
            "standard_title": "Team leader",
            "level": 3,
            "start_month": f"{start:%Y-%m}",
            "duration_months": 18,
            "funding_band": "8000",
            "priority": 1,
        },
        content_type="application/json",
        headers=lead,
    )
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["start_month"] == f"{start:%Y-%m}"
    assert Decimal(body["cost"]) == Decimal("8000")
    assert len(body["costs"]) == 18

    ran = client.post("/api/v1/levy/optimiser-runs", headers=lead)
    assert ran.status_code == 201, ran.content
    run = ran.json()
    assert run["status"] == "optimal"
    assert Decimal(run["expiry_without_transfers"]) == Decimal("20000")
    assert Decimal(run["greedy_expiry_avoided"]) <= Decimal(run["expiry_avoided"])
    funded = {item["need"]: item for item in run["recommendations"]}
    care = funded[pooling.need.pk]
    assert care["sender"]["id"] == pooling.trust.pk
    assert care["saves"][0]["month"] == f"{pooling.expiry_month:%Y-%m}"
    assert care["explanation"].endswith("are spent instead of lost.")

    listed = client.get("/api/v1/levy/optimiser-runs", headers=lead).json()
    assert [item["id"] for item in listed["items"]] == [run["id"]]
    detail = client.get(f"/api/v1/levy/optimiser-runs/{run['id']}", headers=lead).json()
    assert detail["recommendations"] == run["recommendations"]


def test_senders_levy_officer_pledges_a_recommendation_others_may_not(world):
    pooling = build_pooling(world)
    client = Client()
    run = client.post(
        "/api/v1/levy/optimiser-runs", headers=bearer(world.actor("partnership_lead"))
    ).json()
    pk = run["recommendations"][0]["id"]
    lead_try = client.post(
        f"/api/v1/levy/recommendations/{pk}/pledge",
        headers=bearer(world.actor("partnership_lead")),
    )
    assert lead_try.status_code == 403
    outsider_try = client.post(
        f"/api/v1/levy/recommendations/{pk}/pledge", headers=bearer(world.actor("outsider"))
    )
    assert outsider_try.status_code == 404

    officer = bearer(pooling.officer())
    mine = client.get("/api/v1/levy/recommendations", headers=officer).json()
    assert [item["id"] for item in mine["items"]] == [pk]
    made = client.post(f"/api/v1/levy/recommendations/{pk}/pledge", headers=officer)
    assert made.status_code == 201, made.content
    pledge = Pledge.objects.get(pk=made.json()["pledge"])
    assert pledge.amount == Decimal("6000")
    again = client.post(f"/api/v1/levy/recommendations/{pk}/pledge", headers=officer)
    assert again.status_code == 409
    assert Pledge.objects.count() == 1


def test_bad_need_is_a_422_naming_the_fields(world):
    response = Client().post(
        "/api/v1/levy/needs",
        {
            "organisation": world.own.pk,
            "standard_title": "Chef",
            "level": 9,
            "start_month": "2027-01",
            "duration_months": 12,
            "funding_band": "-5",
            "priority": 2,
        },
        content_type="application/json",
        headers=bearer(world.actor("own_levy_officer")),
    )
    assert response.status_code == 422
    assert "level (body)" in response.json()["detail"]
    assert "funding_band (body)" in response.json()["detail"]
    assert not Need.objects.exists()


def test_organisation_tokens_and_staff_see_no_needs(world):
    pooling = build_pooling(world)
    _, raw = create_organisation_token(
        actor=world.actor("partner_admin"), organisation=world.partner, name="Test"
    )
    client = Client()
    token = client.get("/api/v1/levy/needs", headers={"Authorization": f"Bearer {raw}"})
    assert token.status_code == 403
    staff = client.get("/api/v1/levy/needs", headers=bearer(world.actor("own_staff")))
    assert staff.status_code == 403
    lead = client.get("/api/v1/levy/needs", headers=bearer(world.actor("partnership_lead")))
    assert [item["id"] for item in lead.json()["items"]] == [pooling.need.pk]


def test_needs_list_queries_do_not_grow_with_needs(world):
    pooling = build_pooling(world)
    client = Client()
    lead = bearer(world.actor("partnership_lead"))
    client.get("/api/v1/levy/needs", headers=lead)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/levy/needs", headers=lead)
    for number in range(4):
        Need.objects.create(
            partnership=world.partnership,
            organisation=pooling.charity,
            standard_title=f"Standard {number}",
            level=3,
            start_month=pooling.need.start_month,
            duration_months=18,
            funding_band=Decimal("9000"),
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/levy/needs", headers=lead)
    assert len(many) == len(few)
