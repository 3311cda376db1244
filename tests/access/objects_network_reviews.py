"""The own, partner's and outsider's initiative, learning review and adoption for the review,
spread and public routes (see declarations/network_reviews.py), made anew on every call.

- An initiative is owned by the object's organisation, in its partnership, with no partners
  listed; the public routes' is marked public.
- A review is written by the object's staff persona for its organisation, on such an initiative.
- An adoption is the object's organisation taking on an initiative of another organisation of
  its partnership (the outsider's partnership gets a newcomer organisation for it), recorded by
  the object's staff persona.
"""

from __future__ import annotations

import datetime as dt

from joinedup.network.models import Adoption, LearningReview
from joinedup.network.tests.factories import InitiativeFactory
from joinedup.partnership.tests.factories import MembershipFactory, OrganisationFactory
from joinedup.partnership.tests.world import World

from .network_scene import partnership_of
from .objects import STAFF, Kwargs, Resolver, organisation_of


def _initiative(world: World, which: str, **fields):
    return InitiativeFactory(
        partnership=partnership_of(world, which),
        owner_organisation=organisation_of(world, which),
        created_by=world.person(STAFF[which]),
        **fields,
    )


def initiative(world: World, which: str) -> Kwargs:
    """A new initiative of the organisation."""
    return {"pk": _initiative(world, which).pk}


def public_initiative(world: World, which: str) -> Kwargs:
    """A new public initiative of the organisation."""
    return {"pk": _initiative(world, which, is_public=True).pk}


def review(world: World, which: str) -> Kwargs:
    """A new review by the organisation's staff persona of a new initiative of theirs."""
    made = LearningReview.objects.create(
        initiative=_initiative(world, which),
        organisation=organisation_of(world, which),
        author=world.person(STAFF[which]),
        reviewed_on=dt.date(2026, 1, 15),
        what_worked="A shared trusted assessor.",
    )
    return {"pk": made.pk}


def _other_owner(world: World, which: str):
    if which == "own":
        return world.partner
    if which == "partner":
        return world.own
    owner = OrganisationFactory()
    MembershipFactory(partnership=world.other_partnership, organisation=owner)
    return owner


def adoption(world: World, which: str) -> Kwargs:
    """The organisation's adoption (by its staff persona) of another organisation's initiative."""
    taken = InitiativeFactory(
        partnership=partnership_of(world, which), owner_organisation=_other_owner(world, which)
    )
    made = Adoption.objects.create(
        initiative=taken,
        organisation=organisation_of(world, which),
        adopted_on=dt.date(2026, 2, 1),
        local_changes="Run from the GP practices.",
        recorded_by=world.person(STAFF[which]),
    )
    return {"pk": made.pk}


RESOLVERS: dict[str, Resolver] = {
    "network:review-new": initiative,
    "network:review-edit": review,
    "network:adoption-new": initiative,
    "network:adoption-edit": adoption,
    "network:public-initiative": public_initiative,
    "api:initiative_detail": initiative,
    "api:change_initiative": initiative,
    "api:initiative_reviews": initiative,
    "api:create_review": initiative,
    "api:open_data_initiative": public_initiative,
}

INITIATIVES = "/api/v1/network/initiatives"
API_RESOLVERS: dict[str, Resolver] = {
    f"GET {INITIATIVES}/{{pk}}": initiative,
    f"PUT {INITIATIVES}/{{pk}}": initiative,
    f"GET {INITIATIVES}/{{pk}}/reviews": initiative,
    f"POST {INITIATIVES}/{{pk}}/reviews": initiative,
    "GET /api/v1/network/public/initiatives/{pk}": public_initiative,
}
