"""API operations for joint commissions, at /api/v1/learning/joint-commissions.

Reading follows the pages: anyone acting for a member of the lead's partnership reads a
commission, with its value for money. Writing needs a person (organisation tokens get 403): a
plan's L&D lead starts one, a partner's L&D lead joins, the lead's L&D lead agrees. A rule of the
commission's state (agreed, cancelled, already joined) is a 409 with the reason.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import NOT_A_PERSON, Error, Id, OrganisationRef, Pagination, page_of

from . import access, commissions
from .commissions import MOST_PLACES, CommissionRefused
from .models import JointCommission, SplitMethod

router = Router(tags=["design once"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
ORDER = ("-created_at", "-id")


class PartnerOut(Schema):
    organisation: OrganisationRef
    places: int
    headcount: int = Field(description="The organisation's headcount when it joined.")
    separate_cost: Decimal = Field(description="Designing and delivering its places alone.")
    share: Decimal = Field(description="Its agreed share, or its share if agreed now.")
    saving: Decimal


class CommissionOut(Schema):
    id: int
    plan: int
    title: str
    lead_organisation: OrganisationRef
    status: str
    split_method: str
    total_cost: Decimal = Field(description="The agreed total, or the total it would agree now.")
    places: int
    separate_cost: Decimal = Field(description="What the partners would spend separately.")
    saving: Decimal
    programme: int | None
    created_at: dt.datetime
    agreed_at: dt.datetime | None


class CommissionDetail(CommissionOut):
    partners: list[PartnerOut]


class CommissionPage(Schema):
    items: list[CommissionOut]
    next: str | None


class StartIn(Schema):
    plan: Id
    places: int = Field(ge=1, le=MOST_PLACES)
    split_method: SplitMethod = SplitMethod.PLACES


class JoinIn(Schema):
    places: int = Field(ge=1, le=MOST_PLACES)


class AgreeIn(Schema):
    split_method: SplitMethod | None = None
    total_cost: Decimal | None = Field(
        None, gt=0, lt=10_000_000_000, decimal_places=2, description="Blank: the current total."
    )


def _person(actor: Actor) -> None:
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)


def _refusal(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field} (body): {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _out(summary: commissions.Summary) -> dict:
    commission = summary.commission
    return {
        "id": commission.pk,
        "plan": commission.plan_id,
        "title": commission.plan.title,
        "lead_organisation": commission.lead_organisation,
        "status": commission.status,
        "split_method": commission.split_method,
        "total_cost": summary.total,
        "places": summary.places,
        "separate_cost": summary.value.separate_cost,
        "saving": summary.value.saving,
        "programme": commission.programme_id,
        "created_at": commission.created_at,
        "agreed_at": commission.agreed_at,
    }


def _detail(commission: JointCommission) -> dict:
    fresh = (
        JointCommission.objects.filter(pk=commission.pk)
        .select_related("plan", "lead_organisation")
        .prefetch_related("partners__organisation")
        .get()
    )
    summary = commissions.summarise(fresh)
    return {
        **_out(summary),
        "partners": [
            {
                "organisation": row.member.organisation,
                "places": row.member.places,
                "headcount": row.member.headcount,
                "separate_cost": row.separate_cost,
                "share": row.share,
                "saving": row.saving,
            }
            for row in summary.rows
        ],
    }


@router.get("", response={200: CommissionPage, **ERRORS}, summary="List joint commissions")
def list_commissions(request: HttpRequest, page: Query[Pagination]) -> dict:
    """Commissions led by the acting organisation or its partners, newest first, with totals."""
    actor: Actor = request.auth
    visible = access.visible_commissions(actor)
    result = page_of(visible, ORDER, (dt.datetime, int), page)
    ids = [commission.pk for commission in result["items"]]
    found = {
        summary.commission.pk: summary
        for summary in commissions.summaries(JointCommission.objects.filter(pk__in=ids))
    }
    return {"items": [_out(found[pk]) for pk in ids], "next": result["next"]}


@router.get(
    "/{pk}", response={200: CommissionDetail, **ERRORS}, summary="A joint commission's value"
)
def commission_detail(request: HttpRequest, pk: Id) -> dict:
    """One commission with each partner's places, cost alone, share and saving."""
    return _detail(access.get_commission_for(request.auth, pk))


@router.post("", response={201: CommissionDetail, **ERRORS}, summary="Start a joint commission")
def start_commission(request: HttpRequest, data: StartIn) -> Status:
    """The plan's L&D lead starts a joint commission on its open plan and leads it."""
    actor: Actor = request.auth
    _person(actor)
    plan = access.get_plan_for(actor, data.plan)
    try:
        commission = commissions.start_commission(
            actor=actor, plan=plan, places=data.places, split_method=data.split_method.value
        )
    except PermissionDenied as error:
        raise HttpError(403, "Only the plan's organisation's L&D lead starts one") from error
    except CommissionRefused as error:
        raise HttpError(409, str(error)) from error
    except ValidationError as error:
        raise HttpError(422, _refusal(error)) from error
    return Status(201, _detail(commission))


@router.post("/{pk}/join", response={200: CommissionDetail, **ERRORS}, summary="Join")
def join_commission(request: HttpRequest, pk: Id, data: JoinIn) -> dict:
    """A partner's L&D lead commits the acting organisation's places to a forming commission."""
    actor: Actor = request.auth
    _person(actor)
    commission = access.get_commission_for(actor, pk)
    try:
        commissions.join_commission(actor=actor, commission=commission, places=data.places)
    except PermissionDenied as error:
        raise HttpError(403, "Only an L&D lead of another partner organisation joins") from error
    except CommissionRefused as error:
        raise HttpError(409, str(error)) from error
    except ValidationError as error:
        raise HttpError(422, _refusal(error)) from error
    return _detail(commission)


@router.post("/{pk}/agree", response={200: CommissionDetail, **ERRORS}, summary="Agree")
def agree_commission(request: HttpRequest, pk: Id, data: AgreeIn) -> dict:
    """The lead's L&D lead agrees: shares are fixed and posted to the recharge ledger, once."""
    actor: Actor = request.auth
    _person(actor)
    commission = access.get_commission_for(actor, pk)
    try:
        commissions.agree_commission(
            actor=actor,
            commission=commission,
            split_method=data.split_method.value if data.split_method else None,
            total_cost=data.total_cost,
        )
    except PermissionDenied as error:
        raise HttpError(403, "Only the lead organisation's L&D lead agrees") from error
    except CommissionRefused as error:
        raise HttpError(409, str(error)) from error
    except ValidationError as error:
        raise HttpError(409, _refusal(error)) from error
    return _detail(commission)
