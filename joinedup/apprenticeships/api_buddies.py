"""The buddies API at /api/v1/apprenticeships/buddies (see docs/API.md).

A cohort's pairs are read, and its apprentices paired, by the provider's programme leaders (404
for a cohort the caller does not see, 403 for one they only see, and for organisation tokens).
"My buddies" gives a person's own buddies as an apprentice: name, employer and work e-mail, the
sharing across organisations described in `access`.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import NOT_A_PERSON, Error, Id, OrganisationRef

from . import access, buddies
from .models import BuddyPair, Enrolment

router = Router(tags=["apprenticeships"])

ERRORS = {frozenset({401, 403, 404}): Error}
NOT_A_LEADER = "Only the provider's programme leaders see and pair a cohort's buddies"


class ApprenticeOut(Schema):
    enrolment: int
    name: str
    employer: OrganisationRef


class PairOut(Schema):
    id: int
    first: ApprenticeOut
    second: ApprenticeOut
    paired_on: dt.date


class UnpairedOut(Schema):
    enrolment: int
    reason: str


class CohortBuddiesOut(Schema):
    cohort: int
    pairs: list[PairOut]


class PairingOut(Schema):
    made: list[PairOut]
    unpaired: list[UnpairedOut]


class BuddyOut(Schema):
    pair: int
    cohort: int
    programme: str
    enrolment: int
    name: str
    employer: OrganisationRef
    work_email: str
    paired_on: dt.date


def _apprentice(enrolment: Enrolment) -> dict:
    return {
        "enrolment": enrolment.pk,
        "name": enrolment.apprentice.full_name,
        "employer": {"id": enrolment.employer_id, "name": enrolment.employer.name},
    }


def _pair(pair: BuddyPair) -> dict:
    return {
        "id": pair.pk,
        "first": _apprentice(pair.first),
        "second": _apprentice(pair.second),
        "paired_on": pair.paired_on,
    }


def _leader(request: HttpRequest, cohort_id: int):
    actor: Actor = request.auth
    cohort = access.get_cohort_for(actor, cohort_id)
    if not access.may_pair_buddies(actor, cohort):
        raise HttpError(403, NOT_A_LEADER)
    return actor, cohort


@router.get(
    "/cohorts/{cohort_id}",
    response={200: CohortBuddiesOut, **ERRORS},
    summary="A cohort's buddy pairs",
    url_name="apprenticeship_cohort_buddies",
)
def apprenticeship_cohort_buddies(request: HttpRequest, cohort_id: Id) -> dict:
    """The cohort's active pairs with each apprentice's employer (its programme leaders)."""
    actor, cohort = _leader(request, cohort_id)
    pairs = access.cohort_buddy_pairs(actor, cohort)
    return {"cohort": cohort.pk, "pairs": [_pair(pair) for pair in pairs]}


@router.post(
    "/cohorts/{cohort_id}/pair",
    response={200: PairingOut, **ERRORS},
    summary="Pair a cohort's apprentices",
    url_name="apprenticeship_pair_buddies",
)
def apprenticeship_pair_buddies(request: HttpRequest, cohort_id: Id) -> dict:
    """Pair everyone on the cohort without a buddy with someone from another employer; active
    pairs are kept. Answers the pairs made and who could not be paired, with why."""
    actor, cohort = _leader(request, cohort_id)
    try:
        pairing = buddies.pair_cohort(cohort, actor)
    except PermissionDenied as error:
        raise HttpError(403, NOT_A_LEADER) from error
    made = (
        BuddyPair.objects.filter(pk__in=[pair.pk for pair in pairing.made])
        .select_related("first__apprentice", "first__employer")
        .select_related("second__apprentice", "second__employer")
        .order_by("pk")
    )
    return {
        "made": [_pair(pair) for pair in made],
        "unpaired": [{"enrolment": e.pk, "reason": reason} for e, reason in pairing.unpaired],
    }


@router.get(
    "/me",
    response={200: list[BuddyOut], **ERRORS},
    summary="My buddies",
    url_name="apprenticeship_my_buddies",
)
def apprenticeship_my_buddies(request: HttpRequest) -> list[dict]:
    """The caller's own buddies on every cohort they are an apprentice of (a person only)."""
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    found = []
    for pair in access.my_buddy_pairs(actor):
        mine = pair.first.apprentice_id == actor.person_id
        buddy = pair.second if mine else pair.first
        found.append(
            {
                "pair": pair.pk,
                "cohort": pair.cohort_id,
                "programme": pair.cohort.programme.title,
                "enrolment": buddy.pk,
                "name": buddy.apprentice.full_name,
                "employer": {"id": buddy.employer_id, "name": buddy.employer.name},
                "work_email": buddy.employment.work_email,
                "paired_on": pair.paired_on,
            }
        )
    return found
