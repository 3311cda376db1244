"""The "Trainers" link in the service navigation, and the links between the trainer pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

POOL = reverse("materials:pool")
MINE = reverse("materials:my-accreditations")


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("own_ld_lead", POOL),
        ("own_admin", POOL),
        ("partnership_lead", POOL),
        ("own_staff", MINE),
        ("own_line_manager", MINE),
    ],
)
def test_trainers_link_goes_to_the_pool_for_searchers_and_to_their_own_page_for_staff(
    world, client_for, persona, target
):
    page = client_for(persona).get(reverse("partnership:home")).content.decode()
    assert f'href="{target}"' in page
    other = MINE if target == POOL else POOL
    assert f'href="{other}"' not in page


@pytest.mark.parametrize(
    "url",
    [MINE, reverse("materials:pool-offer"), reverse("materials:delivery-requests")],
)
def test_each_trainer_page_links_to_the_others(world, client_for, url):
    page = client_for("own_staff").get(url).content.decode()
    for name in (
        "materials:my-accreditations",
        "materials:pool-offer",
        "materials:delivery-requests",
    ):
        assert f'href="{reverse(name)}"' in page
