"""The own, partner's and outsider's initiative and mission (see objects.py), made anew on every
call.

An initiative is recorded by the organisation's staff persona (own_staff, partner_staff, outsider)
for their organisation, in the standing partnership (own, partner) or the other one (outsider).
A mission belongs to the standing partnership (own, partner) or the other one (outsider).
"""

from __future__ import annotations

import uuid

from joinedup.network.models import Mission
from joinedup.network.tests.factories import InitiativeFactory
from joinedup.partnership.tests.world import World

from .network_scene import partnership_of
from .objects import STAFF, Kwargs, Resolver, organisation_of


def initiative(world: World, which: str) -> Kwargs:
    """A new initiative of the organisation, recorded by its staff persona."""
    made = InitiativeFactory(
        partnership=partnership_of(world, which),
        owner_organisation=organisation_of(world, which),
        created_by=world.person(STAFF[which]),
    )
    return {"pk": made.pk}


def mission(world: World, which: str) -> Kwargs:
    """A new mission of the object's partnership."""
    made = Mission.objects.create(
        partnership=partnership_of(world, which), name=f"Mission {uuid.uuid4().hex[:12]}"
    )
    return {"pk": made.pk}


RESOLVERS: dict[str, Resolver] = {
    "network:initiative": initiative,
    "network:initiative-edit": initiative,
    "network:mission-edit": mission,
}

API_RESOLVERS: dict[str, Resolver] = {}
