"""What every page's shell needs: the acting organisation, the switcher and the navigation."""

from __future__ import annotations

from django.http import HttpRequest

from . import access
from .navigation import navigation_for


def shell(request: HttpRequest) -> dict:
    actor = getattr(request, "actor", None)
    if actor is None or actor.person is None:
        return {"actor": actor, "navigation": [], "switchable_organisations": []}
    # Both lists were read once for the request (with the person's roles), not again here.
    partnerships = access.acting_partnerships(actor)
    return {
        "actor": actor,
        "current_partnership": partnerships[0] if partnerships else None,
        "switchable_organisations": access.switchable_organisations(actor),
        "navigation": navigation_for(request, actor),
    }
