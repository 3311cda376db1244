"""The own, partner's and outsider's objects behind the trainer pool routes (see objects.py):
a range of dates in the offer of each organisation's member of staff (the outsider's own)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from joinedup.materials.tests.pool_factories import (
    TrainerAvailabilityFactory,
    TrainerOfferFactory,
)
from joinedup.partnership.tests.world import World

from .objects import STAFF, Kwargs, Resolver, organisation_of


def availability(world: World, which: str) -> Kwargs:
    """A range of dates in the pooled offer of the organisation's member of staff."""
    offer = TrainerOfferFactory(
        person=world.person(STAFF[which]), organisation=organisation_of(world, which)
    )
    today = timezone.localdate()
    found = TrainerAvailabilityFactory(
        offer=offer, starts_on=today, ends_on=today + dt.timedelta(days=30)
    )
    return {"pk": found.pk}


RESOLVERS: dict[str, Resolver] = {
    "materials:pool-availability-remove": availability,
    "api:remove_availability": availability,
}

API_RESOLVERS: dict[str, Resolver] = {
    "DELETE /api/v1/trainers/pool/me/availability/{pk}": availability,
}
