"""Lists show exactly the objects their caller may see: own, partner's and outsider's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.partnership.tests.world import PERSONAS

from .api_matrix import tokens
from .declarations.lists import API_LISTS, PAGE_LISTS
from .declarations.shapes import API_CALLERS, CALLERS, OBJECTS
from .objects import API_RESOLVERS, RESOLVERS

pytestmark = pytest.mark.matrix

SIGNED_IN = [persona for persona in PERSONAS if persona != "anonymous"]


@pytest.mark.parametrize("list_route", sorted(PAGE_LISTS))
def test_list_page_links_to_exactly_what_each_persona_may_see(list_route, world, client_for):
    item_route, shown = PAGE_LISTS[list_route]
    links = {
        which: reverse(item_route, kwargs=RESOLVERS[item_route](world, which)) for which in OBJECTS
    }
    wrong = []
    for persona in SIGNED_IN:
        response = client_for(persona).get(reverse(list_route))
        assert response.status_code == 200, (persona, response.status_code)
        page = response.content.decode()
        for which, link in links.items():
            expected = shown(CALLERS[persona], which)
            if (f'href="{link}"' in page) != expected:
                wrong.append(f"{persona} {'misses' if expected else 'sees'} the {which} item")
    assert not wrong, f"{list_route}: " + "; ".join(wrong)


@pytest.mark.parametrize("operation", sorted(API_LISTS))
def test_api_list_holds_exactly_what_each_caller_may_see(operation, world):
    item_operation, shown = API_LISTS[operation]
    ids = {which: API_RESOLVERS[item_operation](world, which)["pk"] for which in OBJECTS}
    raw = tokens(world)
    path = operation.split(" ", 1)[1] + "?limit=200"
    wrong = []
    for caller in API_CALLERS:
        if caller == "anonymous":
            continue
        response = Client().get(path, headers={"Authorization": f"Bearer {raw[caller]}"})
        assert response.status_code == 200, (caller, response.status_code)
        body = response.json()
        assert body["next"] is None, "the world fits on one page"
        listed = {item["id"] for item in body["items"]}
        for which, pk in ids.items():
            expected = shown(CALLERS[caller], which)
            if (pk in listed) != expected:
                wrong.append(f"{caller} {'misses' if expected else 'sees'} the {which} item")
    assert not wrong, f"{operation}: " + "; ".join(wrong)
