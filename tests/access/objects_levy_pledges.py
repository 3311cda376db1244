"""The own, partner's and outsider's levy objects behind the pledges routes (see objects.py)."""

from __future__ import annotations

from .objects import Resolver

RESOLVERS: dict[str, Resolver] = {}
