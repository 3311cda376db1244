"""Asking every API operation as every caller: personal tokens and organisation tokens."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse
from django.test import Client

from joinedup.partnership.services import create_organisation_token, create_personal_token
from joinedup.partnership.tests.world import PERSONAS, World

from .declarations import OPERATIONS
from .declarations.shapes import API_CALLERS, NO_OBJECT, OBJECTS
from .matrix import Mismatch, describe, matches
from .objects import ADMINS, API_RESOLVERS, organisation_of


def all_operations() -> dict[str, dict]:
    """Every operation of the OpenAPI schema, keyed "METHOD /path"."""
    from joinedup.api import api

    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}": operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


def tokens(world: World) -> dict[str, str]:
    """A raw token per caller: each persona's personal token, each organisation's token."""
    raw = {}
    for persona in PERSONAS:
        if world.person(persona) is not None:
            _, raw[persona] = create_personal_token(actor=world.actor(persona), name="Matrix")
    for which in OBJECTS:
        _, raw[f"{which}_org_token"] = create_organisation_token(
            actor=world.actor(ADMINS[which]),
            organisation=organisation_of(world, which),
            name="Matrix",
        )
    return raw


def call(method: str, path: str, token: str | None) -> HttpResponse:
    """One call in its own savepoint, rolled back (token use is recorded, for one)."""
    client = Client(raise_request_exception=False)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with transaction.atomic():
        response = client.generic(method, path, headers=headers)
        transaction.set_rollback(True)
    return response


def check_operation(key: str, world: World) -> tuple[int, list[Mismatch]]:
    """Every caller and object of one operation: how many cases, and the mismatches."""
    method, path = key.split(" ", 1)
    answers = OPERATIONS[key]
    raw = tokens(world)
    if "{" in path:
        objects = {which: API_RESOLVERS[key](world, which) for which in OBJECTS}
    else:
        objects = {NO_OBJECT[0]: {}}
    cases = 0
    mismatches = []
    for obj, params in objects.items():
        url = path.format(**params)
        for who in API_CALLERS:
            expected = answers(who, obj)
            response = call(method, url, raw.get(who))
            cases += 1
            if not matches(expected, response):
                mismatches.append(Mismatch(who, obj, method, expected, describe(response)))
    return cases, mismatches
