"""The progress reviews API at /api/v1/apprenticeships/enrolments/{pk}/reviews, and the caller's
"reviews due" at /api/v1/apprenticeships/reviews/due (see docs/API.md).

An enrolment's reviews are read by whoever reads the enrolment (`access.get_enrolment_for`). A
review is addressed by its number within the enrolment. Recording is for the enrolment's practice
tutor and the provider's programme leaders; signing for the apprentice, the line manager and the
tutor in that order, each on their turn. Writes need a person: an organisation token is refused
(403). A refusal of the state (not your turn, already recorded) is a 409; a bad field a 422.
"Reviews due" lists what the web page of that name lists for the caller (empty for anyone else,
organisation tokens included).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import field_validator

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import Error, Id, Pagination, page_of
from joinedup.partnership.api import storable as _storable

from . import access, reviews
from .api_enrolments import person, refused
from .models import ProgressReview

router = Router(tags=["apprenticeships"])
due_router = Router(tags=["apprenticeships"])

ERRORS = {frozenset({401, 403, 404, 409, 422}): Error}
NOT_A_RECORDER = "Only the practice tutor or the provider's programme leader records reviews"
NOT_A_PARTY = "Only the apprentice, the line manager and the practice tutor sign reviews"


class SignatureOut(Schema):
    party: str = Field(description="apprentice, line_manager or tutor.")
    person: str
    signed_at: dt.datetime


class ReviewOut(Schema):
    number: int
    due_on: dt.date
    state: str = Field(description="due, overdue, awaiting_signatures or signed.")
    overdue: bool = Field(description="Due before today and not signed by all three.")
    next_to_sign: str | None = Field(description="The party whose turn it is, once recorded.")
    held_on: dt.date | None
    progress: str
    actions: str
    off_the_job_check: str
    logged_hours: Decimal | None = Field(description="Off-the-job hours logged when recorded.")
    verified_hours: Decimal | None = Field(description="...and verified by the tutor.")
    recorded_at: dt.datetime | None
    fully_signed_at: dt.datetime | None
    signatures: list[SignatureOut]


class ReviewList(Schema):
    items: list[ReviewOut]


class DueReviewOut(ReviewOut):
    enrolment: int
    apprentice: str
    employer: str


class DueReviewPage(Schema):
    items: list[DueReviewOut]
    next: str | None


class RecordIn(Schema):
    held_on: dt.date = Field(description="Not in the future, not before the start.")
    progress: str = Field(max_length=reviews.TEXT_LIMIT)
    actions: str = Field(max_length=reviews.TEXT_LIMIT)
    off_the_job_check: str = Field(max_length=reviews.TEXT_LIMIT)

    @field_validator("progress", "actions", "off_the_job_check")
    @classmethod
    def storable(cls, value: str) -> str:
        return _storable(value)


def review_out(review: ProgressReview, day: dt.date) -> dict:
    """A review in the API's shape (its signatures prefetched with their people)."""
    state = reviews.state_of(review, on=day)
    return {
        "number": review.number,
        "due_on": review.due_on,
        "state": state.key,
        "overdue": state.overdue,
        "next_to_sign": state.next_party,
        "held_on": review.held_on,
        "progress": review.progress,
        "actions": review.actions,
        "off_the_job_check": review.off_the_job_check,
        "logged_hours": review.logged_hours,
        "verified_hours": review.verified_hours,
        "recorded_at": review.recorded_at,
        "fully_signed_at": review.fully_signed_at,
        "signatures": [
            {"party": s.party, "person": s.person.full_name, "signed_at": s.signed_at}
            for s in review.signatures.all()
        ],
    }


def _fresh(review: ProgressReview) -> dict:
    found = ProgressReview.objects.prefetch_related("signatures__person").get(pk=review.pk)
    return review_out(found, reviews.today())


@router.get("/{pk}/reviews", response={200: ReviewList, **ERRORS}, summary="Progress reviews")
def apprenticeship_reviews(request: HttpRequest, pk: Id) -> dict:
    """The enrolment's reviews in order, each with its state (at most one every 12 weeks, so
    never paged)."""
    actor: Actor = request.auth
    enrolment = access.get_enrolment_for(actor, pk)
    day = reviews.today()
    found = enrolment.reviews.order_by("number").prefetch_related("signatures__person")
    return {"items": [review_out(review, day) for review in found]}


@router.post(
    "/{pk}/reviews/{number}/record",
    response={200: ReviewOut, **ERRORS},
    summary="Record a review",
)
def apprenticeship_review_record(request: HttpRequest, pk: Id, number: Id, data: RecordIn) -> dict:
    """The practice tutor (or the provider's programme leader) records the review once, with the
    off-the-job hours so far as a snapshot (403 for others who see it; 409 if recorded)."""
    actor = person(request)
    review = access.get_enrolment_review_for(actor, pk, number)
    if not access.may_record_review(actor, review.enrolment):
        raise HttpError(403, NOT_A_RECORDER)
    try:
        reviews.record(
            actor=actor,
            review=review,
            held_on=data.held_on,
            progress=data.progress,
            actions=data.actions,
            off_the_job_check=data.off_the_job_check,
        )
    except PermissionDenied as error:
        raise HttpError(403, NOT_A_RECORDER) from error
    except ValidationError as error:
        raise refused(error) from error
    return _fresh(review)


@router.post(
    "/{pk}/reviews/{number}/sign", response={200: ReviewOut, **ERRORS}, summary="Sign a review"
)
def apprenticeship_review_sign(request: HttpRequest, pk: Id, number: Id) -> dict:
    """Sign the recorded review for the caller's party when it is their turn: the apprentice,
    then the line manager, then the practice tutor (409 saying whose turn it is otherwise)."""
    actor = person(request)
    review = access.get_enrolment_review_for(actor, pk, number)
    if not access.review_parties_of(actor, review.enrolment):
        raise HttpError(403, NOT_A_PARTY)
    try:
        reviews.sign(actor=actor, review=review)
    except PermissionDenied as error:
        raise HttpError(403, NOT_A_PARTY) from error
    except ValidationError as error:
        raise refused(error) from error
    return _fresh(review)


@due_router.get("/due", response={200: DueReviewPage, **ERRORS}, summary="Reviews due")
def apprenticeship_reviews_due(request: HttpRequest, page: Query[Pagination]) -> dict:
    """Reviews not yet signed by all three, due in the next four weeks or overdue, earliest
    first: a practice tutor's tutees', an L&D lead's organisation's apprentices', a programme
    leader's programmes'."""
    actor: Actor = request.auth
    day = reviews.today()
    found = reviews.due_list(actor, on=day).prefetch_related("signatures__person")
    result = page_of(found, reviews.DUE_ORDER, (dt.date, int), page)
    items = [
        {
            **review_out(review, day),
            "enrolment": review.enrolment_id,
            "apprentice": review.enrolment.apprentice.full_name,
            "employer": review.enrolment.employer.name,
        }
        for review in result["items"]
    ]
    return {"items": items, "next": result["next"]}
