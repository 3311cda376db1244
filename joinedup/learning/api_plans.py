"""API operations for commissioning plans and their similar items, at /api/v1/learning/plans.

Plans are read and written by the acting organisation's L&D leads and programme leaders, as on
the pages; organisation tokens act for no person and are refused (403). Partners' plans that are
not closed are readable; only the plan's own organisation changes or closes it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
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

from . import access, plans, similar
from .models import CommissioningPlan

router = Router(tags=["design once"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
PLAN_ORDER = ("-created_at", "-id")
NOT_A_PLANNER = (
    "Only the acting organisation's L&D leads and programme leaders read and write plans"
)


class PlanOut(Schema):
    id: int
    organisation: OrganisationRef
    title: str
    need: str
    audience: str
    topics: list[str]
    estimated_design_cost: Decimal
    delivery_cost_per_place: Decimal
    expected_learners: int
    starts_on: dt.date | None
    ends_on: dt.date | None
    status: str
    created_at: dt.datetime


class PlanPage(Schema):
    items: list[PlanOut]
    next: str | None


class SimilarProgrammeOut(Schema):
    id: int
    title: str
    host: OrganisationRef
    score: float = Field(description="Cosine similarity from 0 to 1.")
    shared_terms: list[str] = Field(description="The terms counting most for the match.")


class SimilarPlanOut(Schema):
    id: int
    title: str
    organisation: OrganisationRef
    score: float
    shared_terms: list[str]


class PlanDetail(PlanOut):
    similar_programmes: list[SimilarProgrammeOut]
    similar_plans: list[SimilarPlanOut] = Field(
        description="Other organisations' open plans in the partnership most like this one."
    )


class PlanIn(Schema):
    title: str = Field(max_length=200)
    need: str = Field(max_length=5000)
    audience: str = Field("", max_length=300)
    topics: list[str] = Field(default_factory=list, max_length=20)
    estimated_design_cost: Decimal = Field(Decimal("0"), ge=0, lt=100_000_000, decimal_places=2)
    delivery_cost_per_place: Decimal = Field(Decimal("0"), ge=0, lt=100_000_000, decimal_places=2)
    expected_learners: int = Field(0, ge=0, le=plans.LEARNERS_LIMIT)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None

    @field_validator("title", "need", "audience")
    @classmethod
    def storable(cls, value: str) -> str:
        return storable(value)

    @field_validator("topics")
    @classmethod
    def storable_topics(cls, value: list[str]) -> list[str]:
        return [storable(name) for name in value]


class PlanChange(Schema):
    title: str | None = Field(None, max_length=200)
    need: str | None = Field(None, max_length=5000)
    audience: str | None = Field(None, max_length=300)
    topics: list[str] | None = Field(None, max_length=20)
    estimated_design_cost: Decimal | None = Field(None, ge=0, lt=100_000_000, decimal_places=2)
    delivery_cost_per_place: Decimal | None = Field(None, ge=0, lt=100_000_000, decimal_places=2)
    expected_learners: int | None = Field(None, ge=0, le=plans.LEARNERS_LIMIT)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None

    @field_validator("title", "need", "audience")
    @classmethod
    def storable(cls, value: str | None) -> str | None:
        return None if value is None else storable(value)

    @field_validator("topics")
    @classmethod
    def storable_topics(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [storable(name) for name in value]


def _planner(actor: Actor) -> None:
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    if not access.may_plan(actor):
        raise HttpError(403, NOT_A_PLANNER)


def _refusal(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field} (body): {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _plan(plan: CommissioningPlan, topics: list[str] | None = None) -> dict:
    if topics is None:
        topics = sorted(topic.name for topic in plan.topics.all())
    return {
        "id": plan.pk,
        "organisation": plan.organisation,
        "topics": topics,
        "status": plan.status,
        "created_at": plan.created_at,
        **{field: getattr(plan, field) for field in plans.PLAN_FIELDS},
    }


def _detail(actor: Actor, plan: CommissioningPlan) -> dict:
    found = similar.similar_for_plan(plan, actor)
    return {
        **_plan(plan),
        "similar_programmes": [
            {
                "id": item.programme.pk,
                "title": item.programme.title,
                "host": item.programme.host,
                "score": item.score,
                "shared_terms": list(item.shared_terms),
            }
            for item in found.programmes
        ],
        "similar_plans": [
            {
                "id": item.plan.pk,
                "title": item.plan.title,
                "organisation": item.plan.organisation,
                "score": item.score,
                "shared_terms": list(item.shared_terms),
            }
            for item in found.plans
        ],
    }


@router.get("", response={200: PlanPage, **ERRORS}, summary="List commissioning plans")
def list_plans(request: HttpRequest, page: Query[Pagination]) -> dict:
    """The acting organisation's plans and partners' plans not closed, newest first."""
    actor: Actor = request.auth
    _planner(actor)
    visible = access.visible_plans(actor).select_related("organisation")
    result = page_of(visible.prefetch_related("topics"), PLAN_ORDER, (dt.datetime, int), page)
    return {"items": [_plan(plan) for plan in result["items"]], "next": result["next"]}


@router.get("/{pk}", response={200: PlanDetail, **ERRORS}, summary="A plan with its similar items")
def plan_detail(request: HttpRequest, pk: Id) -> dict:
    """One plan, with the programmes most like it that the caller sees and other organisations'
    open plans in the partnership, each with its score and the shared terms explaining it."""
    actor: Actor = request.auth
    _planner(actor)
    return _detail(actor, access.get_plan_for(actor, pk))


@router.post("", response={201: PlanDetail, **ERRORS}, summary="Record a plan")
def create_plan(request: HttpRequest, data: PlanIn) -> Status:
    """Record a plan for the acting organisation; the answer includes its similar items."""
    actor: Actor = request.auth
    _planner(actor)
    try:
        plan = plans.create_plan(actor=actor, **data.dict())
    except ValidationError as error:
        raise HttpError(422, _refusal(error)) from error
    return Status(201, _detail(actor, plan))


@router.patch("/{pk}", response={200: PlanDetail, **ERRORS}, summary="Change a plan")
def change_plan(request: HttpRequest, pk: Id, data: PlanChange) -> dict:
    """Change an open plan of the acting organisation; fields left out keep their values."""
    actor: Actor = request.auth
    _planner(actor)
    plan = access.get_plan_for(actor, pk)
    try:
        plans.update_plan(actor=actor, plan=plan, **data.dict(exclude_unset=True))
    except PermissionDenied as error:
        raise HttpError(403, "Only the plan's own organisation changes it") from error
    except ValidationError as error:
        status = 422 if hasattr(error, "error_dict") else 409
        raise HttpError(status, _refusal(error)) from error
    return _detail(actor, plan)


@router.post("/{pk}/close", response={200: PlanOut, **ERRORS}, summary="Close a plan")
def close_plan(request: HttpRequest, pk: Id) -> dict:
    """Close an open plan of the acting organisation: it is no longer offered as similar."""
    actor: Actor = request.auth
    _planner(actor)
    plan = access.get_plan_for(actor, pk)
    try:
        plans.close_plan(actor=actor, plan=plan)
    except PermissionDenied as error:
        raise HttpError(403, "Only the plan's own organisation closes it") from error
    except ValidationError as error:
        raise HttpError(409, _refusal(error)) from error
    return _plan(plan)
