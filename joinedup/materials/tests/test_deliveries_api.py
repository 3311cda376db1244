"""The delivery request operations of /api/v1/trainers/delivery-requests: asking, reading,
approving in turn, declining, withdrawing; organisation tokens read none and write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from joinedup.materials.models import DeliveryRequest, DeliveryStatus
from joinedup.materials.tests.delivery_helpers import lending
from joinedup.partnership import services as partnership_services
from joinedup.partnership.actor import Actor
from joinedup.partnership.tests.api_helpers import api_client, bearer, organisation_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/trainers/delivery-requests"


@pytest.fixture
def lend(world):
    return lending(world)


def _client_of(actor: Actor):
    _, raw = partnership_services.create_personal_token(actor=actor, name="Tests")
    return bearer(raw)


def _body(lend, **given) -> dict:
    return {
        "trainer": lend.trainer.pk,
        "programme": lend.programme.pk,
        "dates": [day.isoformat() for day in lend.days()],
        "starts_at": "09:30",
        "ends_at": "16:30",
        "places": 16,
        "venue": "Hendon Town Hall",
        "day_rate": "350.00",
        **given,
    }


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_an_ld_lead_asks_and_everyone_approves_in_turn(lend, world):
    response = _post(api_client(world, "own_ld_lead"), URL, _body(lend))
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["status"] == "awaiting_trainer"
    assert made["dates"] == [day.isoformat() for day in lend.days()]
    assert made["allowed"] == {"approve": False, "decline": False, "withdraw": True}
    approve = f"{URL}/{made['id']}/approve"

    assert _post(_client_of(lend.as_manager), approve).status_code == 403
    for actor, status in (
        (lend.as_trainer, "awaiting_manager"),
        (lend.as_manager, "awaiting_lead"),
        (lend.as_lead, "approved"),
    ):
        response = _post(_client_of(actor), approve)
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status
    run = DeliveryRequest.objects.get().run
    assert response.json()["run"] == run.pk
    assert run.trainer == lend.trainer


def test_refusals_name_the_field(lend, world):
    client = api_client(world, "own_ld_lead")
    far = (dt.date.today() + dt.timedelta(days=500)).isoformat()
    response = _post(client, URL, _body(lend, dates=[far]))
    assert response.status_code == 422
    assert response.json()["detail"].startswith("dates (body):")
    response = _post(client, URL, _body(lend, trainer=lend.manager.pk))
    assert response.status_code == 422
    assert response.json()["detail"].startswith("trainer (body):")
    response = _post(client, URL, _body(lend, places=0))
    assert response.status_code == 422
    response = _post(client, URL, _body(lend, starts_at="09:30+01:00"))
    assert response.status_code == 422
    assert response.json()["detail"].startswith("starts_at (body):")
    assert not DeliveryRequest.objects.exists()


def test_only_ld_leads_ask_and_never_with_an_organisation_token(lend, world):
    assert _post(api_client(world, "own_staff"), URL, _body(lend)).status_code == 403
    assert _post(organisation_client(world, "own_admin"), URL, _body(lend)).status_code == 403


def test_declining_needs_a_reason(lend):
    request = lend.ask()
    decline = f"{URL}/{request.pk}/decline"
    client = _client_of(lend.as_trainer)
    assert _post(client, decline, {"reason": ""}).status_code == 422
    response = _post(client, decline, {"reason": "On leave"})
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert response.json()["decline_reason"] == "On leave"


def test_withdrawing_and_then_approving_is_refused(lend, world):
    request = lend.ask()
    client = api_client(world, "own_ld_lead")
    response = _post(client, f"{URL}/{request.pk}/withdraw")
    assert response.status_code == 200
    assert response.json()["status"] == DeliveryStatus.WITHDRAWN
    assert _post(_client_of(lend.as_trainer), f"{URL}/{request.pk}/approve").status_code == 403


def test_a_stale_approval_is_a_conflict(lend):
    request = lend.ask()
    lend.offer.is_active = False
    lend.offer.save()
    response = _post(_client_of(lend.as_trainer), f"{URL}/{request.pk}/approve")
    assert response.status_code == 409
    assert "trainer pool" in response.json()["detail"]


def test_lists_show_what_the_caller_takes_part_in(lend, world):
    request = lend.ask()
    assert [item["id"] for item in api_client(world, "own_ld_lead").get(URL).json()["items"]] == [
        request.pk
    ]
    mine = _client_of(lend.as_trainer).get(URL, {"waiting_for_me": "true"}).json()["items"]
    assert [item["id"] for item in mine] == [request.pk]
    assert (
        api_client(world, "partner_ld_lead").get(URL, {"waiting_for_me": "true"}).json()["items"]
        == []
    )
    assert api_client(world, "outsider").get(URL).json()["items"] == []
    assert organisation_client(world, "own_admin").get(URL).json()["items"] == []
    assert api_client(world, "own_staff").get(f"{URL}/{request.pk}").status_code == 404


def test_the_list_asks_as_many_queries_for_many_requests(lend, world):
    client = api_client(world, "own_ld_lead")
    lend.ask()
    client.get(URL)  # the token's first use is noted once
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    lend.ask(dates=lend.days(60))
    lend.ask(dates=lend.days(90, 91))
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(URL).json()["items"]) == 3
    assert len(three) == len(one)
