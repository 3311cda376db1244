"""What every page's shell needs: the acting organisation, the switcher and the navigation."""

from __future__ import annotations

from django.http import HttpRequest

from . import access
from .navigation import navigation_for


def shell(request: HttpRequest) -> dict:
    actor = getattr(request, "actor", None)
    if actor is None or actor.person is None:
        return {"actor": actor, "navigation": [], "switchable_organisations": []}
    partnership = access.partnerships_of(actor).first()
    return {
        "actor": actor,
        "current_partnership": partnership,
        "switchable_organisations": list(access.organisations_for(actor.person).order_by("name")),
        "navigation": navigation_for(request, actor),
    }
