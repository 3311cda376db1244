"""The levy link in the service navigation, for those who read levy figures."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("own_levy_officer", True),
        ("own_admin", True),
        ("partnership_lead", True),
        ("own_staff", False),
        ("own_ld_lead", False),
        ("outsider", True),  # the admin of their own organisation
    ],
)
def test_levy_link_is_in_the_navigation_of_levy_readers(world, client_for, persona, shown):
    page = client_for(persona).get(reverse("partnership:home")).content.decode()
    assert (f'href="{reverse("levy:home")}"' in page) is shown
