"""Rotation schemes at /api/v1/talent/schemes: the schemes of the caller's partnerships, and a
round's result for the caller, as participant (their placement) and as host (placements in their
organisation's posts).

A round's result is readable once published; before that only the scheme's partnership lead reads
it (everyone else is told it is not published, 409). Organisation tokens read the schemes list and
a published round's shape, but act for no person, so they see no placement.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import Error, Id, OrganisationRef, Pagination, page_of

from . import access
from .models import Placement, RoundStatus

router = Router(tags=["talent"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
SCHEME_ORDER = ("name", "id")


class SchemeOut(Schema):
    id: int
    name: str
    description: str
    partnership: str
    rounds: int
    placement_months: int


class SchemePage(Schema):
    items: list[SchemeOut]
    next: str | None


class PersonRef(Schema):
    id: int
    name: str


class PostRef(Schema):
    id: int
    title: str
    host: OrganisationRef


class PlacementOut(Schema):
    participant: PersonRef
    home_organisation: OrganisationRef
    post: PostRef
    manual: bool
    starts_on: dt.date
    ends_on: dt.date


class RoundResult(Schema):
    round: int
    number: int
    cohort: str
    scheme: str
    status: str
    starts_on: dt.date
    ends_on: dt.date
    placement: PlacementOut | None
    hosted: list[PlacementOut]
    placements: list[PlacementOut]


def _scheme(scheme) -> dict:
    return {
        "id": scheme.pk,
        "name": scheme.name,
        "description": scheme.description,
        "partnership": scheme.partnership.name,
        "rounds": scheme.rounds,
        "placement_months": scheme.placement_months,
    }


def _placement(placement: Placement) -> dict:
    person = placement.participant.person
    return {
        "participant": {"id": person.pk, "name": str(person)},
        "home_organisation": placement.participant.home_organisation,
        "post": {
            "id": placement.post.pk,
            "title": placement.post.title,
            "host": placement.post.host,
        },
        "manual": placement.manual,
        "starts_on": placement.round.starts_on,
        "ends_on": placement.round.ends_on,
    }


@router.get("", response={200: SchemePage, **ERRORS}, summary="List rotation schemes")
def list_rotation_schemes(request: HttpRequest, page: Query[Pagination]) -> dict:
    """The rotation schemes of the caller's partnerships, by name."""
    actor: Actor = request.auth
    schemes = access.visible_schemes(actor).select_related("partnership")
    result = page_of(schemes, SCHEME_ORDER, (str, int), page)
    return {"items": [_scheme(scheme) for scheme in result["items"]], "next": result["next"]}


@router.get(
    "/rounds/{pk}/results",
    response={200: RoundResult, **ERRORS},
    summary="A round's result for the caller",
)
def rotation_round_results(request: HttpRequest, pk: Id) -> dict:
    """The caller's placement in the round (as participant), the placements in posts of the
    organisation they act for (as its L&D lead or admin), and every placement they may read (the
    partnership lead: all, before publication too)."""
    actor: Actor = request.auth
    rotation_round = access.get_round_for(actor, pk)
    leads = access.may_lead_scheme(actor, rotation_round.cohort.scheme)
    if rotation_round.status != RoundStatus.PUBLISHED and not leads:
        raise HttpError(409, "This round's result is not published yet")
    placements = list(
        access.visible_placements(actor, rotation_round).select_related(
            "round", "participant__person", "participant__home_organisation", "post__host"
        )
    )
    mine = next(
        (p for p in placements if actor.person and p.participant.person_id == actor.person.pk),
        None,
    )
    hosted = [
        p for p in placements if access.may_host(actor) and p.post.host_id == actor.organisation_id
    ]
    cohort = rotation_round.cohort
    return {
        "round": rotation_round.pk,
        "number": rotation_round.number,
        "cohort": cohort.name,
        "scheme": cohort.scheme.name,
        "status": rotation_round.status,
        "starts_on": rotation_round.starts_on,
        "ends_on": rotation_round.ends_on,
        "placement": _placement(mine) if mine else None,
        "hosted": [_placement(p) for p in hosted],
        "placements": [_placement(p) for p in placements],
    }
