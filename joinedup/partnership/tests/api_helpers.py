"""Helpers for the API tests: clients that send a persona's or an organisation's token."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from joinedup.partnership import services
from joinedup.partnership.tests.world import World

API = "/api/v1"


def bearer(raw: str) -> Client:
    """A client that sends this raw token with every request."""
    return Client(headers={"Authorization": f"Bearer {raw}"})


def personal_token(world: World, persona: str) -> str:
    """A fresh personal token of the persona, acting for the organisation of their employment."""
    _, raw = services.create_personal_token(actor=world.actor(persona), name="Tests")
    return raw


def api_client(world: World, persona: str) -> Client:
    """A client using the persona's personal token; "anonymous" gives one with no token."""
    if world.person(persona) is None:
        return Client()
    return bearer(personal_token(world, persona))


def organisation_client(world: World, admin_persona: str) -> Client:
    """A client using a token of the organisation this admin persona administers."""
    actor = world.actor(admin_persona)
    _, raw = services.create_organisation_token(
        actor=actor, organisation=actor.organisation, name="Integration"
    )
    return bearer(raw)


def api_queries(client: Client, url: str) -> int:
    """How many queries a repeated GET of an API operation makes (it must answer 200).

    The first call is not counted: it also notes the token's first use, a write made once a minute.
    """
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]
