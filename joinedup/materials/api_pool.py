"""API operations for the trainer pool: searching it, and a trainer's own offer and dates.

Searching is for the people who may search the pool on the pages (`access.may_search_pool`: L&D
leads, programme leaders and admins, and partnership leads), with the same filters and results as
the search page (`pool_queries`), in cursor pages. The offer operations are about "me": the
caller's own offer, changed only through `services.pool`; organisation tokens, which never act
as a person, are refused with 403. A refused field is a 422 naming it; a refusal by the rules
(no current accreditation, not in the pool) is a 409.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import (
    NOT_A_PERSON,
    Error,
    Id,
    OrganisationRef,
    Pagination,
    page_of,
    storable,
)

from . import access, pool_queries, services
from .models import TrainerAvailability, TrainerOffer
from .services.fields import WHOLE

router = Router(tags=["trainers"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
NOT_A_SEARCHER = (
    "Only L&D leads, programme leaders and admins, and partnership leads search the trainer pool"
)
NOT_IN_POOL = "You have not joined the trainer pool"
PROGRAMME_NOT_SEEN = (
    "programme (query): choose a programme delivered by accredited trainers that you can see"
)
ORGANISATION_NOT_SEEN = "organisation (query): choose an organisation of your partnerships"


# --- Schemas ------------------------------------------------------------------------------------


class ProgrammeRef(Schema):
    id: int
    title: str


class RangeOut(Schema):
    id: int
    starts_on: dt.date
    ends_on: dt.date
    note: str


class AccreditedOut(Schema):
    programme: ProgrammeRef
    expires_on: dt.date | None


class TrainerOut(Schema):
    id: int = Field(description="The trainer's person id (for a delivery request).")
    given_name: str
    family_name: str
    employer: OrganisationRef = Field(description="The organisation lending them.")
    days_per_month: int | None = Field(description="Blank for no set limit.")
    note: str
    accredited_for: list[AccreditedOut] = Field(description="Current accreditations.")
    availability: list[RangeOut] = Field(description="Ranges that have not ended yet.")


class TrainerPage(Schema):
    items: list[TrainerOut]
    next: str | None


class PoolFilters(Schema):
    programme: Id | None = Field(None, description="Accredited, and current, for this programme.")
    organisation: Id | None = Field(None, description="Lent by this organisation.")
    available_from: dt.date | None = Field(None, description="Available on this date...")
    available_to: dt.date | None = Field(
        None, description="...and every day to this one (blank for the one day)."
    )


class OfferOut(Schema):
    in_pool: bool
    employer: OrganisationRef
    days_per_month: int | None
    partners: list[OrganisationRef] = Field(description="None means every partner.")
    note: str
    availability: list[RangeOut]


class OfferIn(Schema):
    days_per_month: int | None = Field(None, description="1 to 31; blank for no set limit.")
    partners: list[Id] = Field(default_factory=list, max_length=200)
    note: str = Field("", max_length=2000)

    _storable_note = field_validator("note")(storable)


class RangeIn(Schema):
    starts_on: dt.date
    ends_on: dt.date
    note: str = Field("", max_length=200)

    _storable_note = field_validator("note")(storable)


# --- Helpers ------------------------------------------------------------------------------------


def _range(found: TrainerAvailability) -> dict:
    return {
        "id": found.pk,
        "starts_on": found.starts_on,
        "ends_on": found.ends_on,
        "note": found.note,
    }


def _trainer(offer: TrainerOffer) -> dict:
    return {
        "id": offer.person_id,
        "given_name": offer.person.given_name,
        "family_name": offer.person.family_name,
        "employer": offer.organisation,
        "days_per_month": offer.days_per_month,
        "note": offer.note,
        "accredited_for": [
            {
                "programme": {"id": held.programme_id, "title": held.programme.title},
                "expires_on": held.expires_on,
            }
            for held in pool_queries.accredited_programmes(offer)
        ],
        "availability": [_range(found) for found in offer.coming],
    }


def _offer(offer: TrainerOffer) -> dict:
    return {
        "in_pool": offer.is_active,
        "employer": offer.organisation,
        "days_per_month": offer.days_per_month,
        "partners": list(offer.partners.order_by("name", "pk")),
        "note": offer.note,
        "availability": [_range(found) for found in offer.availability.order_by("starts_on")],
    }


def _me(request: HttpRequest) -> Actor:
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    if not access.may_offer_self(actor):
        raise HttpError(403, "Act for your employer to offer yourself as a trainer")
    return actor


def _refused(refusal: services.MaterialRefused) -> HttpError:
    fields = {field: message for field, message in refusal.errors.items() if field != WHOLE}
    if not fields:
        return HttpError(409, refusal.message)
    return HttpError(
        422, "; ".join(f"{field} (body): {message}" for field, message in fields.items())
    )


def _checked_filters(actor: Actor, filters: PoolFilters) -> pool_queries.PoolFilters:
    programmes = pool_queries.programme_choices(actor)
    if filters.programme is not None and not programmes.filter(pk=filters.programme).exists():
        raise HttpError(422, PROGRAMME_NOT_SEEN)
    lenders = pool_queries.lender_choices(actor)
    if filters.organisation is not None and not lenders.filter(pk=filters.organisation).exists():
        raise HttpError(422, ORGANISATION_NOT_SEEN)
    first, last = filters.available_from, filters.available_to
    if last is not None and first is None:
        raise HttpError(422, "available_from (query): give the first date with available_to")
    if first is not None and last is not None:
        if last < first:
            raise HttpError(422, "available_to (query): must be the same as or after the first")
        if last - first > pool_queries.LONGEST_SPAN:
            raise HttpError(422, "available_to (query): must be within a year of available_from")
    return pool_queries.PoolFilters(
        programme_id=filters.programme,
        organisation_id=filters.organisation,
        available_from=first,
        available_to=last,
    )


# --- Operations ---------------------------------------------------------------------------------


@router.get("", response={200: TrainerPage, **ERRORS}, summary="Search the trainer pool")
def search_pool(request: HttpRequest, filters: Query[PoolFilters], page: Query[Pagination]) -> dict:
    """Trainers in the pool who deliver for the caller's organisation, by name: narrowed by a
    programme they hold a current accreditation for, their employer, and dates one of their
    availability ranges covers."""
    actor: Actor = request.auth
    if not access.may_search_pool(actor):
        raise HttpError(403, NOT_A_SEARCHER)
    chosen = _checked_filters(actor, filters)
    offers = pool_queries.with_details(pool_queries.searched_offers(actor, chosen))
    result = page_of(offers, pool_queries.POOL_ORDER, (str, str, int), page)
    return {"items": [_trainer(offer) for offer in result["items"]], "next": result["next"]}


@router.get("/me", response={200: OfferOut, **ERRORS}, summary="Your trainer offer")
def my_offer(request: HttpRequest) -> dict:
    """The caller's own offer to the trainer pool (also after leaving it); 404 if never made."""
    offer = access.own_offer(_me(request))
    if offer is None:
        raise HttpError(404, NOT_IN_POOL)
    return _offer(offer)


@router.put("/me", response={200: OfferOut, **ERRORS}, summary="Join the pool or change your offer")
def put_my_offer(request: HttpRequest, data: OfferIn) -> dict:
    """Join the trainer pool (a current accreditation is needed), or change the offer: days per
    month, the partner organisations delivered for (none for every partner) and a note. The
    employer lending the trainer is the organisation the caller acts for."""
    actor = _me(request)
    try:
        offer = services.join_pool(
            actor=actor, days_per_month=data.days_per_month, partners=data.partners, note=data.note
        )
    except services.MaterialRefused as refusal:
        raise _refused(refusal) from refusal
    return _offer(offer)


@router.delete("/me", response={200: OfferOut, **ERRORS}, summary="Leave the trainer pool")
def leave_pool(request: HttpRequest) -> dict:
    """Leave the trainer pool; the offer and its dates are kept for a return."""
    actor = _me(request)
    try:
        offer = services.leave_pool(actor=actor)
    except services.MaterialRefused as refusal:
        raise _refused(refusal) from refusal
    return _offer(offer)


@router.post(
    "/me/availability", response={201: RangeOut, **ERRORS}, summary="Add dates you are available"
)
def add_availability(request: HttpRequest, data: RangeIn) -> Status:
    """Add a range of dates (today onwards, within two years); it merges with any range it
    overlaps or touches, and the merged range is returned."""
    actor = _me(request)
    try:
        added = services.add_availability(
            actor=actor, starts_on=data.starts_on, ends_on=data.ends_on, note=data.note
        )
    except services.MaterialRefused as refusal:
        raise _refused(refusal) from refusal
    return Status(201, _range(added))


@router.delete("/me/availability/{pk}", response={204: None, **ERRORS}, summary="Remove dates")
def remove_availability(request: HttpRequest, pk: Id) -> Status:
    """Remove one of the caller's availability ranges; anyone else's is a 404."""
    actor = _me(request)
    found = access.get_own_availability(actor, pk)
    try:
        services.remove_availability(actor=actor, availability=found)
    except services.MaterialRefused as refusal:
        raise _refused(refusal) from refusal
    return Status(204, None)
