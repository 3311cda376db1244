"""The own, partner's and outsider's enrolment and cohort for the enrolment pages and API (see
apprenticeships_scene.py and declarations/apprenticeships_enrolments.py), made anew on every
call."""

from __future__ import annotations

from joinedup.partnership.tests.world import World

from . import apprenticeships_scene
from .objects import Kwargs, Resolver


def enrolment(world: World, which: str) -> Kwargs:
    """A new enrolment of one of the organisation's staff."""
    return {"pk": apprenticeships_scene.enrolment(world, which).pk}


def cohort(world: World, which: str) -> Kwargs:
    """A new cohort of a new programme the organisation provides."""
    return {"pk": apprenticeships_scene.cohort(world, which).pk}


RESOLVERS: dict[str, Resolver] = {
    "apprenticeships:enrol": cohort,
    "apprenticeships:enrolment": enrolment,
    "apprenticeships:enrolment_status": enrolment,
    "apprenticeships:enrolment_employer": enrolment,
    "apprenticeships:enrolment_off_the_job": enrolment,
    "apprenticeships:enrolment_terms": enrolment,
    "apprenticeships:progress": enrolment,
    "api:apprenticeship_enrolment": enrolment,
    "api:apprenticeship_enrolment_funding": enrolment,
    "api:apprenticeship_enrolment_status": enrolment,
}

ENROLMENTS = "/api/v1/apprenticeships/enrolments"
API_RESOLVERS: dict[str, Resolver] = {
    f"GET {ENROLMENTS}/{{pk}}": enrolment,
    f"GET {ENROLMENTS}/{{pk}}/funding": enrolment,
    f"POST {ENROLMENTS}/{{pk}}/status": enrolment,
}
