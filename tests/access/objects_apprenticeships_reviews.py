"""The own, partner's and outsider's progress review for the review pages and API (see
declarations/apprenticeships_reviews.py): review 1, unrecorded, of a new active enrolment of the
object's organisation (apprenticeships_scene.enrolment), made anew on every call."""

from __future__ import annotations

import datetime as dt

from joinedup.apprenticeships.models import EnrolmentStatus, ProgressReview
from joinedup.partnership.tests.world import World

from . import apprenticeships_scene
from .objects import Kwargs, Resolver


def review(world: World, which: str) -> ProgressReview:
    """Review 1 of a new active enrolment, due 12 weeks after the start, not recorded."""
    enrolment = apprenticeships_scene.enrolment(world, which, status=EnrolmentStatus.ACTIVE)
    return ProgressReview.objects.create(
        enrolment=enrolment, number=1, due_on=enrolment.start_on + dt.timedelta(weeks=12)
    )


def review_pk(world: World, which: str) -> Kwargs:
    return {"pk": review(world, which).pk}


def enrolment_pk(world: World, which: str) -> Kwargs:
    return {"pk": review(world, which).enrolment_id}


def enrolment_and_number(world: World, which: str) -> Kwargs:
    made = review(world, which)
    return {"pk": made.enrolment_id, "number": made.number}


RESOLVERS: dict[str, Resolver] = {
    "apprenticeships:reviews": enrolment_pk,
    "apprenticeships:review": review_pk,
    "apprenticeships:record_review": review_pk,
    "apprenticeships:sign_review": review_pk,
    "api:apprenticeship_reviews": enrolment_pk,
    "api:apprenticeship_review_record": enrolment_and_number,
    "api:apprenticeship_review_sign": enrolment_and_number,
}

ENROLMENTS = "/api/v1/apprenticeships/enrolments"
API_RESOLVERS: dict[str, Resolver] = {
    f"GET {ENROLMENTS}/{{pk}}/reviews": enrolment_pk,
    f"POST {ENROLMENTS}/{{pk}}/reviews/{{number}}/record": enrolment_and_number,
    f"POST {ENROLMENTS}/{{pk}}/reviews/{{number}}/sign": enrolment_and_number,
}
