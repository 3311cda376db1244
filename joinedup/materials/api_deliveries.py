"""API operations for delivery requests: organisation B asks for organisation A's accredited
trainer; the trainer, their line manager and A's L&D lead approve in turn.

Everything is fetched through `materials.access` and written through `materials.services`, so the
API allows what the pages allow. Requests involve named people, so organisation tokens see none
and every write needs a personal token (403 otherwise). A refusal of a field is a 422 naming it;
a refusal of the whole request by the rules (it changed, the trainer is no longer free) is a 409.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from joinedup.learning import access as learning_access
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

from . import access, services
from .models import DeliveryRequest, DeliveryStatus
from .services.deliveries import DAYS_MAX, MESSAGE_MAX, PLACES_MAX, REASON_MAX, VENUE_MAX

router = Router(tags=["trainers"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
ORDER = ("-id",)
TRAINER_NOT_POOLED = "trainer (body): choose a trainer in the pool of a partner organisation"
PROGRAMME_NOT_SEEN = "programme (body): choose a programme your organisation can see"


# --- Schemas ------------------------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    name: str


class ProgrammeRef(Schema):
    id: int
    title: str


class AllowedOut(Schema):
    approve: bool = Field(description="It is the caller's turn to approve.")
    decline: bool
    withdraw: bool


class DeliveryOut(Schema):
    id: int
    status: DeliveryStatus
    requesting_organisation: OrganisationRef
    lending_organisation: OrganisationRef
    trainer: PersonRef
    programme: ProgrammeRef
    dates: list[dt.date]
    starts_at: dt.time
    ends_at: dt.time
    places: int
    venue: str
    day_rate: Decimal | None = Field(description="Pounds a day, charged after delivery; or null.")
    requested_at: dt.datetime
    trainer_approved_at: dt.datetime | None
    manager_approved_at: dt.datetime | None
    lead_approved_at: dt.datetime | None
    declined_at: dt.datetime | None
    decline_reason: str
    run: int | None = Field(description="The run set up at the requesting organisation.")


class DeliveryDetail(DeliveryOut):
    message: str
    allowed: AllowedOut


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next: str | None


class DeliveryFilters(Schema):
    status: DeliveryStatus | None = None
    waiting_for_me: bool = Field(False, description="Only those whose turn is the caller's.")


class DeliveryIn(Schema):
    trainer: Id = Field(description="A trainer in the pool of a partner organisation.")
    programme: Id = Field(description="A programme delivered by accredited trainers.")
    dates: list[dt.date] = Field(min_length=1, max_length=DAYS_MAX)
    starts_at: dt.time
    ends_at: dt.time
    places: int = Field(ge=1, le=PLACES_MAX)
    venue: str = Field("", max_length=VENUE_MAX)
    day_rate: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    message: str = Field("", max_length=MESSAGE_MAX)

    _venue_storable = field_validator("venue")(storable)
    _message_storable = field_validator("message")(storable)


class DeclineIn(Schema):
    reason: str = Field(min_length=1, max_length=REASON_MAX)

    _reason_storable = field_validator("reason")(storable)


# --- Shapes -------------------------------------------------------------------------------------


def _listed(requests):
    return requests.select_related(
        "requesting_organisation", "lending_organisation", "trainer", "programme"
    ).prefetch_related("days")


def _delivery(found: DeliveryRequest) -> dict:
    return {
        "id": found.pk,
        "status": found.status,
        "requesting_organisation": found.requesting_organisation,
        "lending_organisation": found.lending_organisation,
        "trainer": {"id": found.trainer_id, "name": found.trainer.full_name},
        "programme": {"id": found.programme_id, "title": found.programme.title},
        "dates": sorted(day.date for day in found.days.all()),
        "starts_at": found.starts_at,
        "ends_at": found.ends_at,
        "places": found.places,
        "venue": found.venue,
        "day_rate": found.day_rate,
        "requested_at": found.requested_at,
        "trainer_approved_at": found.trainer_approved_at,
        "manager_approved_at": found.manager_approved_at,
        "lead_approved_at": found.lead_approved_at,
        "declined_at": found.declined_at,
        "decline_reason": found.decline_reason,
        "run": found.run_id,
    }


def _detail(actor: Actor, found: DeliveryRequest) -> dict:
    return {
        **_delivery(found),
        "message": found.message,
        "allowed": {
            "approve": access.may_approve_delivery(actor, found),
            "decline": access.may_decline_delivery(actor, found),
            "withdraw": access.may_withdraw_delivery(actor, found),
        },
    }


def _person(request: HttpRequest) -> Actor:
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    return actor


def _refused(refusal: services.MaterialRefused) -> HttpError:
    fields = {field: message for field, message in refusal.errors.items() if field != "__all__"}
    if not fields:
        return HttpError(409, refusal.message)
    return HttpError(422, "; ".join(f"{field} (body): {text}" for field, text in fields.items()))


# --- Operations ---------------------------------------------------------------------------------


@router.get("", response={200: DeliveryPage, **ERRORS}, summary="List delivery requests")
def list_delivery_requests(
    request: HttpRequest, filters: Query[DeliveryFilters], page: Query[Pagination]
) -> dict:
    """Requests the caller takes part in or looks after, newest first."""
    actor: Actor = request.auth
    requests = (
        access.delivery_requests_waiting_for(actor)
        if filters.waiting_for_me
        else access.visible_delivery_requests(actor)
    )
    if filters.status:
        requests = requests.filter(status=filters.status)
    result = page_of(_listed(requests), ORDER, (int,), page)
    return {"items": [_delivery(found) for found in result["items"]], "next": result["next"]}


@router.post("", response={201: DeliveryDetail, **ERRORS}, summary="Ask for a trainer")
def create_delivery_request(request: HttpRequest, data: DeliveryIn) -> Status:
    """An L&D lead of the caller's organisation asks for a partner's accredited trainer."""
    actor = _person(request)
    if not access.may_request_delivery(actor):
        raise HttpError(403, "Only a learning and development lead can ask for a trainer")
    trainer = access.pooled_trainer_for(actor, data.trainer)
    if trainer is None:
        raise HttpError(422, TRAINER_NOT_POOLED)
    programme = learning_access.visible_programmes(actor).filter(pk=data.programme).first()
    if programme is None:
        raise HttpError(422, PROGRAMME_NOT_SEEN)
    try:
        made = services.request_delivery(
            actor=actor,
            trainer=trainer,
            programme=programme,
            dates=data.dates,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            places=data.places,
            venue=data.venue,
            day_rate=data.day_rate,
            message=data.message,
        )
    except services.MaterialRefused as refusal:
        raise _refused(refusal) from refusal
    return Status(201, _detail(actor, access.get_delivery_request_for(actor, made.pk)))


@router.get("/{pk}", response={200: DeliveryDetail, **ERRORS}, summary="A delivery request")
def delivery_request_detail(request: HttpRequest, pk: Id) -> dict:
    """One request the caller takes part in or looks after, with what they may do to it."""
    actor: Actor = request.auth
    return _detail(actor, access.get_delivery_request_for(actor, pk))


@router.post(
    "/{pk}/approve", response={200: DeliveryDetail, **ERRORS}, summary="Approve a delivery request"
)
def approve_delivery_request(request: HttpRequest, pk: Id) -> dict:
    """The trainer, then their line manager, then the lender's L&D lead; the last approval sets
    up the run at the requesting organisation."""
    actor = _person(request)
    found = access.get_approvable_delivery(actor, pk)
    try:
        services.approve_delivery(actor=actor, request=found)
    except services.MaterialRefused as refusal:
        raise _refused(refusal) from refusal
    return _detail(actor, access.get_delivery_request_for(actor, pk))


@router.post(
    "/{pk}/decline", response={200: DeliveryDetail, **ERRORS}, summary="Decline a delivery request"
)
def decline_delivery_request(request: HttpRequest, pk: Id, data: DeclineIn) -> dict:
    """The one whose turn it is, or the lender's L&D lead, declines with a reason."""
    actor = _person(request)
    found = access.get_declinable_delivery(actor, pk)
    try:
        services.decline_delivery(actor=actor, request=found, reason=data.reason)
    except services.MaterialRefused as refusal:
        raise _refused(refusal) from refusal
    return _detail(actor, access.get_delivery_request_for(actor, pk))


@router.post(
    "/{pk}/withdraw",
    response={200: DeliveryDetail, **ERRORS},
    summary="Withdraw a delivery request",
)
def withdraw_delivery_request(request: HttpRequest, pk: Id) -> dict:
    """The requesting organisation's L&D lead, or whoever asked, before approval is complete."""
    actor = _person(request)
    found = access.get_withdrawable_delivery(actor, pk)
    try:
        services.withdraw_delivery(actor=actor, request=found)
    except services.MaterialRefused as refusal:
        raise _refused(refusal) from refusal
    return _detail(actor, access.get_delivery_request_for(actor, pk))
