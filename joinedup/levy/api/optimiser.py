"""API operations for apprenticeship needs, pooling optimiser runs and their recommendations.

Everything is fetched through `levy.access` and every write goes through `levy.optimising`, so
the API shows and allows what the pages do: needs for their organisation's levy readers and the
partnership's levy and partnership leads; runs for the leads; a recommendation also for the
sending organisation's levy readers, and only its levy officer makes it a pledge. Organisation
tokens are not a person and see no levy figures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import Error, Id, OrganisationRef, Pagination, page_of

from .. import access, optimising, rules
from ..models import Need, OptimiserRun, Recommendation
from ..payments import PaymentTerms
from ..pledges import PledgeRefused

router = Router(tags=["levy"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
NEED_ORDER = ("start_month", "id")
RUN_ORDER = ("-run_at", "-id")
RECOMMENDATION_ORDER = ("-optimiser_run_id", "id")
NOT_A_READER = "Only levy officers, organisation admins and the partnership's leads see needs"
NOT_A_LEAD = "Only the partnership's levy lead or partnership lead runs the optimiser"


class PartnershipRef(Schema):
    id: int
    name: str


class NeedOut(Schema):
    id: int
    organisation: OrganisationRef
    standard_code: str
    standard_title: str
    level: int
    start_month: str = Field(description="YYYY-MM")
    duration_months: int
    apprentices: int
    funding_band: Decimal = Field(description="For one apprentice, in pounds.")
    priority: int = Field(description="1 (low) to 3 (high).")
    job_role: str
    location: str
    withdrawn: bool
    cost: Decimal = Field(description="The total of the cost schedule.")
    costs: dict[str, Decimal] = Field(
        description="The cost schedule by month (YYYY-MM): the band times the apprentices "
        "through the payment rules."
    )


class NeedPage(Schema):
    items: list[NeedOut]
    next: str | None


class NeedIn(Schema):
    organisation: Id
    standard_title: str = Field(max_length=200)
    standard_code: str = Field("", max_length=10)
    level: int
    start_month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")
    duration_months: int
    apprentices: int = 1
    funding_band: Decimal
    priority: int = 2
    job_role: str = Field("", max_length=200)
    location: str = Field("", max_length=200)


class Saving(Schema):
    month: str = Field(description="YYYY-MM: when these funds would expire.")
    amount: Decimal


class RecommendationOut(Schema):
    id: int
    run: int
    need: int
    need_organisation: OrganisationRef
    sender: OrganisationRef
    amount: Decimal
    expiry_avoided: Decimal
    saves: list[Saving]
    explanation: str
    pledge: int | None


class RecommendationPage(Schema):
    items: list[RecommendationOut]
    next: str | None


class RunOut(Schema):
    id: int
    partnership: PartnershipRef
    run_at: dt.datetime
    status: str = Field(description='"optimal", or "time_limit" when the limit was reached.')
    gap: Decimal = Field(description="How much more expiry the best plan might avoid.")
    time_limit_seconds: int
    seconds: Decimal
    expiry_avoided: Decimal
    priority_funded: int
    greedy_expiry_avoided: Decimal
    greedy_priority_funded: int
    expiry_without_transfers: Decimal


class RunDetail(RunOut):
    recommendations: list[RecommendationOut]


class RunPage(Schema):
    items: list[RunOut]
    next: str | None


class RunIn(Schema):
    partnership: Id | None = Field(
        None, description="Which partnership (one you oversee); your first when left out."
    )


class PledgeOut(Schema):
    pledge: int
    amount: Decimal


def _need(need: Need, terms: tuple[PaymentTerms, ...] | None = None) -> dict:
    costs = optimising.need_costs(need, terms)
    return {
        "id": need.pk,
        "organisation": need.organisation,
        "standard_code": need.standard_code,
        "standard_title": need.standard_title,
        "level": need.level,
        "start_month": f"{need.start_month:%Y-%m}",
        "duration_months": need.duration_months,
        "apprentices": need.apprentices,
        "funding_band": need.funding_band,
        "priority": need.priority,
        "job_role": need.job_role,
        "location": need.location,
        "withdrawn": need.withdrawn_at is not None,
        "cost": sum(costs.values(), Decimal(0)),
        "costs": costs,
    }


def _recommendation(item: Recommendation) -> dict:
    return {
        "id": item.pk,
        "run": item.optimiser_run_id,
        "need": item.need_id,
        "need_organisation": item.need.organisation,
        "sender": item.sender.organisation,
        "amount": item.amount,
        "expiry_avoided": item.expiry_avoided,
        "saves": item.explanation,
        "explanation": optimising.in_words(item),
        "pledge": item.pledge_id,
    }


def _run(run: OptimiserRun) -> dict:
    fields = (
        "run_at",
        "status",
        "gap",
        "time_limit_seconds",
        "seconds",
        "expiry_avoided",
        "priority_funded",
        "greedy_expiry_avoided",
        "greedy_priority_funded",
        "expiry_without_transfers",
    )
    return {"id": run.pk, "partnership": run.partnership, **{f: getattr(run, f) for f in fields}}


def _refusal(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field} (body): {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


RECOMMENDATION_RELATED = ("need__organisation", "sender__organisation")


@router.get("/needs", response={200: NeedPage, **ERRORS}, summary="List apprenticeship needs")
def list_needs(request: HttpRequest, page: Query[Pagination]) -> dict:
    """Open needs the caller sees, by start month."""
    actor: Actor = request.auth
    if not access.may_see_needs(actor):
        raise HttpError(403, NOT_A_READER)
    needs = (
        access.visible_needs(actor).filter(withdrawn_at__isnull=True).select_related("organisation")
    )
    result = page_of(needs, NEED_ORDER, (dt.date, int), page)
    terms = rules.payment_terms()
    return {"items": [_need(need, terms) for need in result["items"]], "next": result["next"]}


@router.post("/needs", response={201: NeedOut, **ERRORS}, summary="Add an apprenticeship need")
def create_need(request: HttpRequest, data: NeedIn) -> Status:
    """Add a need for your organisation (levy officer) or a member you oversee (the leads)."""
    actor: Actor = request.auth
    organisation = access.need_organisations(actor).filter(pk=data.organisation).first()
    if organisation is None:
        if not access.need_organisations(actor).exists():
            raise HttpError(403, "Only levy officers and the partnership's leads add needs")
        raise HttpError(422, "organisation (body): choose an organisation you may add needs for")
    values = data.dict()
    values["organisation"] = organisation
    values["start_month"] = dt.date(int(data.start_month[:4]), int(data.start_month[5:]), 1)
    try:
        need = optimising.create_need(actor=actor, **values)
    except ValidationError as error:
        raise HttpError(422, _refusal(error)) from error
    return Status(201, _need(need))


@router.get(
    "/optimiser-runs", response={200: RunPage, **ERRORS}, summary="List pooling optimiser runs"
)
def list_optimiser_runs(request: HttpRequest, page: Query[Pagination]) -> dict:
    """Runs of the partnerships whose levy the caller oversees, newest first."""
    actor: Actor = request.auth
    if not access.oversees_levy(actor):
        raise HttpError(403, NOT_A_LEAD)
    runs = access.visible_optimiser_runs(actor).select_related("partnership")
    result = page_of(runs, RUN_ORDER, (dt.datetime, int), page)
    return {"items": [_run(run) for run in result["items"]], "next": result["next"]}


@router.post(
    "/optimiser-runs", response={201: RunDetail, **ERRORS}, summary="Run the pooling optimiser"
)
def create_optimiser_run(request: HttpRequest, data: Query[RunIn]) -> Status:
    """Plan transfers for a partnership you oversee, within the page's time limit."""
    actor: Actor = request.auth
    overseen = access.overseen_partnerships(actor).order_by("name", "pk")
    if data.partnership is not None:
        overseen = overseen.filter(pk=data.partnership)
    partnership = overseen.first()
    if partnership is None or not access.may_run_optimiser(actor, partnership):
        raise HttpError(403, NOT_A_LEAD)
    try:
        run = optimising.run_optimiser(actor=actor, partnership=partnership)
    except optimising.OptimiserRefused as refusal:
        raise HttpError(409, str(refusal)) from refusal
    return Status(201, _run_detail(run))


def _run_detail(run: OptimiserRun) -> dict:
    items = run.recommendations.select_related(*RECOMMENDATION_RELATED).order_by("pk")
    return {**_run(run), "recommendations": [_recommendation(item) for item in items]}


@router.get(
    "/optimiser-runs/{pk}", response={200: RunDetail, **ERRORS}, summary="A pooling optimiser run"
)
def optimiser_run_detail(request: HttpRequest, pk: Id) -> dict:
    """One run with its figures and every recommended transfer, explained."""
    actor: Actor = request.auth
    return _run_detail(access.get_optimiser_run_for(actor, pk))


@router.get(
    "/recommendations",
    response={200: RecommendationPage, **ERRORS},
    summary="List recommended transfers",
)
def list_recommendations(request: HttpRequest, page: Query[Pagination]) -> dict:
    """Recommendations of runs the caller oversees or whose sender's figures they read."""
    actor: Actor = request.auth
    if not access.may_see_needs(actor):
        raise HttpError(403, NOT_A_READER)
    items = access.visible_recommendations(actor).select_related(*RECOMMENDATION_RELATED)
    result = page_of(items, RECOMMENDATION_ORDER, (int, int), page)
    return {
        "items": [_recommendation(item) for item in result["items"]],
        "next": result["next"],
    }


@router.get(
    "/recommendations/{pk}",
    response={200: RecommendationOut, **ERRORS},
    summary="A recommended transfer",
)
def recommendation_detail(request: HttpRequest, pk: Id) -> dict:
    """One recommended transfer, with the expiring funds it saves."""
    return _recommendation(access.get_recommendation_for(request.auth, pk))


@router.post(
    "/recommendations/{pk}/pledge",
    response={201: PledgeOut, **ERRORS},
    summary="Make a recommendation a pledge",
)
def pledge_recommendation(request: HttpRequest, pk: Id) -> Status:
    """The sender's levy officer pledges the recommended amount, with the need's criteria."""
    actor: Actor = request.auth
    found = access.get_recommendation_for(actor, pk)
    if not access.may_pledge_recommendation(actor, found):
        raise HttpError(403, "Only the sending organisation's levy officer makes this a pledge")
    try:
        pledge = optimising.pledge_recommendation(actor=actor, recommendation=found)
    except PledgeRefused as refusal:
        raise HttpError(409, " ".join(refusal.reasons)) from refusal
    return Status(201, {"pledge": pledge.pk, "amount": pledge.amount})
