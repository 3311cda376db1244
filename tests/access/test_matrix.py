"""The access matrix: every route, every persona, every object, every method, as declared."""

from __future__ import annotations

import pytest

from joinedup.partnership.services import create_organisation_token
from joinedup.partnership.tests.world import PERSONAS

from .declarations import GROUPS, ROUTES, declaration_for, is_declared
from .declarations.shapes import LOGIN, NOT_FOUND, signed_in
from .matrix import (
    as_grids,
    ask,
    check_route,
    describe,
    matches,
    objects_for,
    session_keys,
    url_for,
)
from .objects import PLACEHOLDER_KWARGS, RESOLVERS
from .routes import all_routes

pytestmark = pytest.mark.matrix

SHOWN = 30  # mismatches listed before the table of actual answers
ALL_ROUTES = {route.key: route for route in all_routes()}


def test_every_route_has_a_declaration():
    missing = sorted(key for key in ALL_ROUTES if not is_declared(key))
    assert not missing, "routes without a declaration in tests/access/declarations/: " + ", ".join(
        missing
    )


def test_every_declaration_names_a_route_that_exists():
    stale = sorted(set(ROUTES) - set(ALL_ROUTES))
    stale += sorted(
        group for group in GROUPS if not any(key.startswith(group + ":") for key in ALL_ROUTES)
    )
    assert not stale, "declarations for routes that no longer exist: " + ", ".join(stale)


def test_every_route_taking_an_object_has_a_resolver():
    missing = sorted(
        key
        for key, route in ALL_ROUTES.items()
        if route.params and key not in RESOLVERS and route.namespace not in PLACEHOLDER_KWARGS
    )
    stale = sorted(set(RESOLVERS) - set(ALL_ROUTES))
    assert not missing, "routes without an object resolver in objects.py: " + ", ".join(missing)
    assert not stale, "object resolvers for routes that no longer exist: " + ", ".join(stale)


@pytest.mark.parametrize("key", sorted(key for key in ALL_ROUTES if is_declared(key)))
def test_route_answers_every_persona_as_declared(key, world):
    cases, mismatches, seen = check_route(ALL_ROUTES[key], world)
    assert cases
    lines = [
        f"  {m.method} as {m.persona} on {m.obj} object: expected {m.expected}, got {m.actual}"
        for m in mismatches[:SHOWN]
    ]
    if len(mismatches) > SHOWN:
        lines.append(f"  ... and {len(mismatches) - SHOWN} more")
    assert not mismatches, (
        f"{key} answers differently from its declaration:\n"
        + "\n".join(lines)
        + "\nActual answers:\n"
        + as_grids(seen)
    )


def test_an_organisation_token_opens_no_page(world):
    """Pages read only the session: with an organisation token alone, each answers as anonymous."""
    _, raw = create_organisation_token(
        actor=world.actor("own_admin"), organisation=world.own, name="Integration"
    )
    bearer = {"Authorization": f"Bearer {raw}"}
    wrong = []
    for key, route in ALL_ROUTES.items():
        if route.namespace == "api":
            continue  # the API matrix asks every operation with organisation tokens
        objects = objects_for(route, world)
        obj = "own" if "own" in objects else "none"
        for method in ("GET", "POST"):
            expected = declaration_for(key).expected(method, "anonymous", obj)
            response = ask(url_for(route, objects[obj]), method, None, bearer)
            if not matches(expected, response):
                wrong.append(f"{method} {key}: expected {expected}, got {describe(response)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("address", "anonymous_status"),
    [("/no-such-page/", LOGIN), ("/api/v1/no-such-operation", NOT_FOUND)],
)
def test_an_unknown_address_reveals_nothing(address, anonymous_status, world):
    """Pages send anonymous visitors to sign in first; the API answers 404 to anyone."""
    keys = session_keys(world)
    answers = signed_in(NOT_FOUND).but({"anonymous": anonymous_status})
    wrong = []
    for persona in PERSONAS:
        response = ask(address, "GET", keys.get(persona))
        if not matches(answers(persona, "none"), response):
            wrong.append(f"{persona}: {describe(response)}")
    assert not wrong, f"{address}: " + "; ".join(wrong)
