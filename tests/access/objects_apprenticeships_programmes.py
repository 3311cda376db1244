"""The own, partner's and outsider's programme, module, assignment, named staff and cohort for
the programme pages and API (see apprenticeships_scene.py), made anew on every call."""

from __future__ import annotations

from joinedup.apprenticeships.models import Assignment, Module, ProgrammeRole, ProgrammeStaff
from joinedup.partnership.tests.world import World

from . import apprenticeships_scene as scene
from .objects import STAFF, Kwargs, Resolver


def programme(world: World, which: str) -> Kwargs:
    return {"pk": scene.programme(world, which).pk}


def module(world: World, which: str) -> Kwargs:
    return {"pk": Module.objects.get(programme=scene.programme(world, which)).pk}


def assignment(world: World, which: str) -> Kwargs:
    made = scene.programme(world, which)
    return {"pk": Assignment.objects.get(module__programme=made).pk}


def staff(world: World, which: str) -> Kwargs:
    """A member of the organisation's staff named practice tutor on a new programme."""
    made = ProgrammeStaff.objects.create(
        programme=scene.programme(world, which),
        person=world.person(STAFF[which]),
        role=ProgrammeRole.TUTOR,
    )
    return {"pk": made.pk}


def cohort(world: World, which: str) -> Kwargs:
    return {"pk": scene.cohort(world, which).pk}


def _api_programme(world: World, which: str) -> Kwargs:
    return {"programme_id": scene.programme(world, which).pk}


def _api_cohort(world: World, which: str) -> Kwargs:
    return {"cohort_id": scene.cohort(world, which).pk}


RESOLVERS: dict[str, Resolver] = {
    "apprenticeships:programme": programme,
    "apprenticeships:programme_edit": programme,
    "apprenticeships:module_new": programme,
    "apprenticeships:programme_staff": programme,
    "apprenticeships:cohort_new": programme,
    "apprenticeships:module_edit": module,
    "apprenticeships:module_move": module,
    "apprenticeships:module_remove": module,
    "apprenticeships:assignment_new": module,
    "apprenticeships:assignment_edit": assignment,
    "apprenticeships:assignment_remove": assignment,
    "apprenticeships:staff_remove": staff,
    "apprenticeships:cohort": cohort,
    "apprenticeships:cohort_edit": cohort,
    "apprenticeships:cohort_remove": cohort,
    "api:apprenticeship_programme": _api_programme,
    "api:apprenticeship_add_module": _api_programme,
    "api:apprenticeship_programme_cohorts": _api_programme,
    "api:apprenticeship_create_cohort": _api_programme,
    "api:apprenticeship_cohort": _api_cohort,
}

PROGRAMMES = "/api/v1/apprenticeships/programmes"

API_RESOLVERS: dict[str, Resolver] = {
    f"GET {PROGRAMMES}/{{programme_id}}": _api_programme,
    f"POST {PROGRAMMES}/{{programme_id}}/modules": _api_programme,
    f"GET {PROGRAMMES}/{{programme_id}}/cohorts": _api_programme,
    f"POST {PROGRAMMES}/{{programme_id}}/cohorts": _api_programme,
    f"GET {PROGRAMMES}/cohorts/{{cohort_id}}": _api_cohort,
}
