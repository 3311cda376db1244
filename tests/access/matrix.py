"""Asking every route as every persona, and comparing the answers with the declarations."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import resolve, reverse

from joinedup.partnership.tests.world import PERSONAS, World

from .declarations import declaration_for
from .declarations.shapes import METHODS, NO_OBJECT, OBJECTS, Redirect, Route, Status
from .objects import PLACEHOLDER_KWARGS, RESOLVERS
from .routes import RouteInfo

SIGN_IN_PAGES = ("/accounts/login/", "/django-admin/login/")


def matches(expected: Status, response: HttpResponse) -> bool:
    if isinstance(expected, Redirect):
        if response.status_code != 302:
            return False
        target = response["Location"]
        if expected.to is None:
            return not target.startswith(SIGN_IN_PAGES)
        return target.startswith(expected.to)
    return response.status_code == expected


def describe(response: HttpResponse) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code} to {response['Location'].split('?')[0]}"
    return str(response.status_code)


def token_for(response: HttpResponse) -> str:
    """The answer as a `grid` cell, so a failure message can be read like a declaration."""
    if response.status_code == 302:
        target = response["Location"]
        if target.startswith("/accounts/login/"):
            return "login"
        if target.startswith("/django-admin/login/"):
            return "admin-login"
        return "302"
    return str(response.status_code)


def url_for(route: RouteInfo, kwargs: dict) -> str:
    """Reverse a named route; fill the pattern in for the few without a name."""
    if route.name:
        return reverse(route.name, kwargs=kwargs)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route.pattern)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), url)
    url = "/" + url.replace("^", "").replace("$", "")
    resolve(url)  # raises Resolver404 if the filled-in pattern is wrong
    return url


def objects_for(route: RouteInfo, world: World) -> dict[str, dict]:
    """The keyword arguments for each object the route is asked about."""
    if not route.params:
        return {NO_OBJECT[0]: {}}
    if route.namespace in PLACEHOLDER_KWARGS:
        placeholders = PLACEHOLDER_KWARGS[route.namespace]
        return {NO_OBJECT[0]: {name: placeholders[name] for name in route.params}}
    resolver = RESOLVERS[route.key]
    return {which: resolver(world, which) for which in OBJECTS}


def session_keys(world: World) -> dict[str, str]:
    """One signed-in session per persona, shared by every request of a route."""
    keys = {}
    for persona in PERSONAS:
        person = world.person(persona)
        if person is not None:
            client = Client()
            client.force_login(person, backend="joinedup.partnership.auth.EmailBackend")
            keys[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


@dataclass(frozen=True)
class Mismatch:
    persona: str
    obj: str
    method: str
    expected: Status
    actual: str


def ask(
    url: str, method: str, session_key: str | None, headers: dict[str, str] | None = None
) -> HttpResponse:
    """One request in its own savepoint, rolled back so no case sees another's changes."""
    client = Client(raise_request_exception=False)
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    with transaction.atomic():
        response = client.generic(
            method,
            url,
            data=b"",
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )
        transaction.set_rollback(True)
    return response


def check_route(route: RouteInfo, world: World) -> tuple[int, list[Mismatch], dict]:
    """Every persona, object and method of one route (a method it does not accept, on its first
    object only): how many cases, the mismatches, the answers."""
    declaration: Route = declaration_for(route.key)
    keys = session_keys(world)
    cases = 0
    mismatches: list[Mismatch] = []
    seen: dict[tuple[str, str, str], str] = {}
    for position, (obj, kwargs) in enumerate(objects_for(route, world).items()):
        url = url_for(route, kwargs)
        for method in METHODS:
            if position and method not in declaration.answers:
                # A method the route does not accept is refused before any object is looked up,
                # so its answers (405, or sign in for anonymous) are asked of the first object only.
                continue
            for persona in PERSONAS:
                expected = declaration.expected(method, persona, obj)
                response = ask(url, method, keys.get(persona))
                cases += 1
                seen[(method, persona, obj)] = token_for(response)
                if not matches(expected, response):
                    mismatches.append(Mismatch(persona, obj, method, expected, describe(response)))
    return cases, mismatches, seen


def as_grids(seen: dict[tuple[str, str, str], str]) -> str:
    """The actual answers, one `grid` per method, to compare with the declaration."""
    methods = sorted({method for method, _, _ in seen}, key=METHODS.index)
    objects = [obj for obj in (*OBJECTS, *NO_OBJECT) if any(o == obj for _, _, o in seen)]
    parts = []
    for method in methods:
        rows = [f"    {'':18}" + "".join(f"{obj:10}" for obj in objects)]
        for persona in PERSONAS:
            cells = "".join(f"{seen[(method, persona, obj)]:10}" for obj in objects)
            rows.append(f"    {persona:18}{cells}")
        parts.append(f"  {method}:\n" + "\n".join(rows))
    return "\n".join(parts)
