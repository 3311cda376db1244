"""The service navigation's links, reversed once and kept: they follow the site's prefix and the
organisation the person acts for."""

from __future__ import annotations

from django.test import RequestFactory
from django.urls import clear_script_prefix, set_script_prefix

from joinedup.partnership.navigation import navigation_for


def _links(world, persona: str) -> dict[str, str]:
    request = RequestFactory().get("/people/")
    return {item.label: item.url for item in navigation_for(request, world.actor(persona))}


def test_links_follow_the_script_prefix_the_site_is_served_under(world):
    assert _links(world, "own_admin")["People"] == "/people/"
    set_script_prefix("/joined-up/")
    try:
        assert _links(world, "own_admin")["People"] == "/joined-up/people/"
    finally:
        clear_script_prefix()
    assert _links(world, "own_admin")["People"] == "/people/"


def test_the_manage_link_is_the_acting_organisations(world):
    own = _links(world, "own_admin")["Manage organisation"]
    outsider = _links(world, "outsider")["Manage organisation"]

    assert own == f"/organisations/{world.own.pk}/manage/"
    assert outsider == f"/organisations/{world.outsider_org.pk}/manage/"
