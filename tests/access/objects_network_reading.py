"""The own, partner's and outsider's space for the subscription and mark-read routes (see
network_scene.py: each made anew, its organisation's staff persona a member)."""

from __future__ import annotations

from joinedup.partnership.tests.world import World

from . import network_scene
from .objects import Kwargs


def space(world: World, which: str) -> Kwargs:
    """A space with a thread, so marking it read has something to mark."""
    return {"pk": network_scene.thread(world, which).space_id}


RESOLVERS = {
    "network:space-subscription": space,
    "network:space-mark-read": space,
}
