"""The own, partner's and outsider's end-point assessment objects, made anew on every call (see
apprenticeships_scene.py): an enrolment of the organisation's apprentice in assessment, and an
attempt on it booked with an assessor who is none of the personas."""

from __future__ import annotations

from django.utils import timezone

from joinedup.apprenticeships.models import EndPointAssessment, EnrolmentStatus
from joinedup.partnership.tests.factories import PersonFactory
from joinedup.partnership.tests.world import World

from . import apprenticeships_scene
from .objects import STAFF, Kwargs, Resolver


def enrolment(world: World, which: str) -> Kwargs:
    """A new enrolment of one of the organisation's staff, at the gateway."""
    made = apprenticeships_scene.enrolment(world, which, status=EnrolmentStatus.AT_GATEWAY)
    return {"pk": made.pk}


def booking(world: World, which: str) -> Kwargs:
    """Attempt 1 on a new enrolment of the organisation's staff, assessed by an outside person."""
    made = apprenticeships_scene.enrolment(world, which, status=EnrolmentStatus.IN_EPA)
    assessment = EndPointAssessment.objects.create(
        enrolment=made,
        assessment_organisation="Matrix Assessment Ltd",
        assessor=PersonFactory(),
        assessment_on=timezone.localdate(),
        booked_by=world.person(STAFF[which]),
    )
    return {"pk": assessment.pk}


RESOLVERS: dict[str, Resolver] = {
    "apprenticeships:enrolment_assessments": enrolment,
    "apprenticeships:book_assessment": enrolment,
    "apprenticeships:assessment": booking,
    "apprenticeships:assessment_results": booking,
    "api:apprenticeship_enrolment_assessments": enrolment,
    "api:apprenticeship_book_assessment": enrolment,
    "api:apprenticeship_assessment": booking,
    "api:apprenticeship_assessment_results": booking,
}

ASSESSMENTS = "/api/v1/apprenticeships/assessments"
API_RESOLVERS: dict[str, Resolver] = {
    f"GET {ASSESSMENTS}/enrolments/{{pk}}": enrolment,
    f"POST {ASSESSMENTS}/enrolments/{{pk}}": enrolment,
    f"GET {ASSESSMENTS}/{{pk}}": booking,
    f"POST {ASSESSMENTS}/{{pk}}/results": booking,
}
