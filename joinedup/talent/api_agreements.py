"""Secondment agreements at /api/v1/talent/secondments: read, release, sign.

The same people as on the pages: the secondee, the home line manager, and the L&D leads and
admins of the home and host organisations; anyone else is told nothing (404). Agreements hold
personal terms, so organisation tokens, which act for no person, are refused (403).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import NOT_A_PERSON, Error, Id, OrganisationRef, Pagination, page_of

from . import access, agreements
from .models import SecondmentAgreement

router = Router(tags=["talent"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
ORDER = ("-starts_on", "-id")


class PersonRef(Schema):
    id: int
    name: str


class SignatureOut(Schema):
    party: str
    signed_by: PersonRef
    signed_at: dt.datetime


class AgreementOut(Schema):
    id: int
    status: str
    person: PersonRef
    home_organisation: OrganisationRef
    host_organisation: OrganisationRef
    starts_on: dt.date
    ends_on: dt.date
    hours_per_week: Decimal
    job_title: str
    salary_paid_by: str
    recharge_amount: Decimal
    terms_version: int


class AgreementDetail(AgreementOut):
    objectives: str
    return_arrangements: str
    line_manager_released_at: dt.datetime | None
    ld_lead_released_at: dt.datetime | None
    signatures: list[SignatureOut] = Field(
        description="Signatures of the current version of the terms."
    )
    started_at: dt.datetime | None
    ended_on: dt.date | None
    returned_on: dt.date | None


class AgreementPage(Schema):
    items: list[AgreementOut]
    next: str | None


class ListFilter(Schema):
    scope: Literal["mine", "organisation"] = Field(
        "mine",
        description="`mine`: the caller's own secondments and those they line-manage; "
        "`organisation`: every secondment in or out of the acting organisation (its L&D leads "
        "and admins).",
    )


class ReleaseIn(Schema):
    capacity: Literal["", "line_manager", "ld_lead"] = Field(
        "",
        description="Release as line manager or L&D lead: needed only by someone who may give "
        "both (one person never gives both).",
    )


class SignIn(Schema):
    terms_version: int = Field(ge=1, description="The version of the terms the signer read.")
    party: Literal["", "person", "home", "host"] = ""


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


def _ref(person) -> dict:
    return {"id": person.pk, "name": person.full_name}


def _out(agreement: SecondmentAgreement) -> dict:
    return {
        "id": agreement.pk,
        "status": agreement.status,
        "person": _ref(agreement.person),
        "home_organisation": agreement.home_organisation,
        "host_organisation": agreement.host_organisation,
        "terms_version": agreement.terms_version,
        **{field: getattr(agreement, field) for field in agreements.TERM_FIELDS},
    }


def _detail(agreement: SecondmentAgreement) -> dict:
    signatures = agreements.current_signatures(agreement).values()
    return {
        **_out(agreement),
        "line_manager_released_at": agreement.line_manager_released_at,
        "ld_lead_released_at": agreement.ld_lead_released_at,
        "signatures": [
            {"party": s.party, "signed_by": _ref(s.signed_by), "signed_at": s.signed_at}
            for s in sorted(signatures, key=lambda s: s.signed_at)
        ],
        "started_at": agreement.started_at,
        "ended_on": agreement.ended_on,
        "returned_on": agreement.returned_on,
    }


@router.get("", response={200: AgreementPage, **ERRORS}, summary="List secondment agreements")
def list_secondments(request: HttpRequest, filters: Query[ListFilter], page: Query[Pagination]):
    """The caller's secondments (and those they line-manage), or the acting organisation's in
    and out for its L&D leads and admins; latest start first."""
    actor: Actor = request.auth
    _person(actor)
    visible = access.visible_agreements(actor).select_related(
        "person", "home_organisation", "host_organisation"
    )
    if filters.scope == "organisation":
        if not access.may_list_organisation_secondments(actor):
            raise HttpError(
                403, "Only the organisation's L&D leads and admins list its secondments"
            )
        visible = visible.filter(home_organisation=actor.organisation) | visible.filter(
            host_organisation=actor.organisation
        )
    else:
        visible = visible.filter(person_id=actor.person_id) | visible.filter(
            home_employment__in=access.managed_employments(actor).values("pk")
        )
    result = page_of(visible, ORDER, (dt.date, int), page)
    return {"items": [_out(a) for a in result["items"]], "next": result["next"]}


@router.get("/{pk}", response={200: AgreementDetail, **ERRORS}, summary="A secondment agreement")
def secondment_detail(request: HttpRequest, pk: Id) -> dict:
    """One agreement with its releases and the signatures of its current terms."""
    actor: Actor = request.auth
    _person(actor)
    return _detail(access.get_agreement_for(actor, pk))


@router.post(
    "/{pk}/release", response={200: AgreementDetail, **ERRORS}, summary="Release the secondee"
)
def release_secondment(request: HttpRequest, pk: Id, data: Query[ReleaseIn]) -> dict:
    """The home line manager or L&D lead releases the person; both releases open signing."""
    actor: Actor = request.auth
    _person(actor)
    agreement = access.get_agreement_for(actor, pk)
    try:
        agreements.release(actor=actor, agreement=agreement, capacity=data.capacity)
    except PermissionDenied as error:
        raise HttpError(403, "Only the home line manager and L&D lead release") from error
    except ValidationError as error:
        raise HttpError(409, _refusal(error)) from error
    return _detail(access.get_agreement_for(actor, pk))


@router.post("/{pk}/sign", response={200: AgreementDetail, **ERRORS}, summary="Sign the terms")
def sign_secondment(request: HttpRequest, pk: Id, data: SignIn) -> dict:
    """Sign the given version of the terms for the person, the home or the host; a version
    that is no longer current is refused (409), so nobody signs terms they have not read."""
    actor: Actor = request.auth
    _person(actor)
    agreement = access.get_agreement_for(actor, pk)
    try:
        agreements.sign(
            actor=actor, agreement=agreement, terms_version=data.terms_version, party=data.party
        )
    except PermissionDenied as error:
        raise HttpError(403, "Only the secondee, the home and the host sign") from error
    except ValidationError as error:
        raise HttpError(409, _refusal(error)) from error
    return _detail(access.get_agreement_for(actor, pk))
