"""The figures' routes and operations take no object: they show the actor's own scope."""

from __future__ import annotations

from .objects import Resolver

RESOLVERS: dict[str, Resolver] = {}
API_RESOLVERS: dict[str, Resolver] = {}
