"""The pledge API: the same services and access as the pages, amounts as strings to the penny."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from joinedup.levy import pledges
from joinedup.levy.models import ApplicationStatus, Pledge, PledgeApplication
from joinedup.levy.tests.factories import LevyAccountFactory
from joinedup.levy.tests.pledge_setup import application_fields, funded_account, levy_officer
from joinedup.partnership.services import create_organisation_token, create_personal_token

pytestmark = pytest.mark.django_db

API = "/api/v1/levy"


@pytest.fixture
def sender(world):
    return funded_account(world.own)


@pytest.fixture
def partner_officer(world):
    return levy_officer(world.partner, email="pip.levy@lnwh.test")


def calling(actor) -> Client:
    _, raw = create_personal_token(actor=actor, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def a_pledge(world, sender, amount="20000") -> Pledge:
    return pledges.create_pledge(
        actor=world.actor("own_levy_officer"), account=sender, amount=Decimal(amount)
    )


APPLICATION = {
    "standard_title": "Adult care worker",
    "level": 2,
    "job_role": "Care worker",
    "location": "Barnet",
    "apprentices": 2,
    "duration_months": 18,
    "funding_band": "6000",
    "start_month": "2027-01",
}


def test_levy_officer_makes_a_pledge(world, sender):
    response = calling(world.actor("own_levy_officer")).post(
        f"{API}/pledges",
        {"amount": "2500.50", "levels": [3], "approval_mode": "automatic_after"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["amount"] == "2500.50"
    assert body["remaining"] == "2500.50"
    assert body["levels"] == [3]
    assert body["organisation"]["id"] == world.own.pk


def test_pledge_below_the_minimum_is_a_409_saying_why(world, sender):
    response = calling(world.actor("own_levy_officer")).post(
        f"{API}/pledges", {"amount": "1999.99"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "at least £2,000" in response.json()["detail"]


def test_pledge_in_fractions_of_a_penny_is_a_422_naming_the_field(world, sender):
    response = calling(world.actor("own_levy_officer")).post(
        f"{API}/pledges", {"amount": "2000.001"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "amount" in response.json()["detail"]


def test_admin_cannot_make_a_pledge(world, sender):
    response = calling(world.actor("own_admin")).post(
        f"{API}/pledges", {"amount": "5000"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_organisation_token_reads_but_cannot_apply(world, sender):
    pledge = a_pledge(world, sender)
    _, raw = create_organisation_token(
        actor=world.actor("partner_admin"), organisation=world.partner, name="integration"
    )
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get(f"{API}/pledges").status_code == 200
    response = client.post(
        f"{API}/pledges/{pledge.pk}/applications", APPLICATION, content_type="application/json"
    )
    assert response.status_code == 403


def test_partner_applies_with_its_sector_by_default_and_the_sender_approves(
    world, sender, partner_officer
):
    pledge = a_pledge(world, sender)
    response = calling(partner_officer).post(
        f"{API}/pledges/{pledge.pk}/applications", APPLICATION, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sector"] == "health"
    assert body["match_score"] == 100
    assert body["first_year_cost"] == "6400.00"
    assert body["status"] == ApplicationStatus.PENDING

    approved = calling(world.actor("own_levy_officer")).post(
        f"{API}/pledge-applications/{body['id']}/approve"
    )
    assert approved.status_code == 200
    assert approved.json()["status"] == ApplicationStatus.APPROVED
    detail = calling(partner_officer).get(f"{API}/pledges/{pledge.pk}").json()
    assert detail["remaining"] == "13600.00"


def test_accepting_a_pending_application_is_a_409(world, sender, partner_officer):
    application = pledges.apply_to_pledge(
        actor=partner_officer,
        pledge=a_pledge(world, sender),
        account=LevyAccountFactory(organisation=world.partner),
        **application_fields(),
    )
    response = calling(partner_officer).post(f"{API}/pledge-applications/{application.pk}/accept")
    assert response.status_code == 409
    assert "cannot be accepted" in response.json()["detail"]


def test_applications_list_shows_only_those_the_caller_sees(
    world, sender, partner_officer, django_assert_max_num_queries
):
    pledge = a_pledge(world, sender)
    for _ in range(3):
        pledges.apply_to_pledge(
            actor=partner_officer,
            pledge=pledge,
            account=LevyAccountFactory(organisation=world.partner),
            **application_fields(),
        )
    client = calling(world.actor("own_levy_officer"))
    with django_assert_max_num_queries(12):
        items = client.get(f"{API}/pledge-applications").json()["items"]
    assert len(items) == 3 == PledgeApplication.objects.count()
    assert calling(world.actor("own_staff")).get(f"{API}/pledge-applications").json() == {
        "items": [],
        "next": None,
    }
