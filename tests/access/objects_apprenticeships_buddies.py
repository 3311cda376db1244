"""The own, partner's and outsider's cohort for the buddy pages and API: a new cohort of a new
programme the object's organisation provides (apprenticeships_scene.cohort), with an apprentice
of the own organisation and one of the partner on the partner's, so pairing makes a pair."""

from __future__ import annotations

from joinedup.apprenticeships.models import Cohort, EnrolmentStatus
from joinedup.partnership.tests.world import World

from . import apprenticeships_scene as scene
from .objects import Kwargs, Resolver


def _cohort(world: World, which: str) -> Cohort:
    if which != "partner":
        return scene.cohort(world, which)
    # apprenticeships_scene puts the own and partner enrolments on a new partner cohort each.
    own = scene.enrolment(world, "own", status=EnrolmentStatus.ACTIVE)
    partner = scene.enrolment(world, "partner", status=EnrolmentStatus.ACTIVE)
    partner.cohort = own.cohort
    partner.save(update_fields=["cohort"])
    return own.cohort


def cohort(world: World, which: str) -> Kwargs:
    return {"pk": _cohort(world, which).pk}


def api_cohort(world: World, which: str) -> Kwargs:
    return {"cohort_id": _cohort(world, which).pk}


BUDDIES = "/api/v1/apprenticeships/buddies"

RESOLVERS: dict[str, Resolver] = {
    "apprenticeships:cohort_buddies": cohort,
    "apprenticeships:cohort_buddies_pair": cohort,
    "apprenticeships:cohort_module_discussions": cohort,
    "api:apprenticeship_cohort_buddies": api_cohort,
    "api:apprenticeship_pair_buddies": api_cohort,
}

API_RESOLVERS: dict[str, Resolver] = {
    f"GET {BUDDIES}/cohorts/{{cohort_id}}": api_cohort,
    f"POST {BUDDIES}/cohorts/{{cohort_id}}/pair": api_cohort,
}
