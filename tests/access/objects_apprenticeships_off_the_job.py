"""The own, partner's and outsider's off-the-job objects for the off-the-job pages and API (see
declarations/apprenticeships_off_the_job.py): an active enrolment of the object's organisation
(apprenticeships_scene.enrolment) and one entry of it awaiting the tutor, made anew on every
call."""

from __future__ import annotations

from decimal import Decimal

from joinedup.apprenticeships.models import EnrolmentStatus, OffTheJobActivity, OffTheJobEntry
from joinedup.partnership.tests.world import World

from . import apprenticeships_scene
from .objects import Kwargs, Resolver


def _entry(world: World, which: str) -> OffTheJobEntry:
    enrolment = apprenticeships_scene.enrolment(world, which, status=EnrolmentStatus.ACTIVE)
    return OffTheJobEntry.objects.create(
        enrolment=enrolment,
        on=enrolment.start_on,
        hours=Decimal("3.50"),
        activity=OffTheJobActivity.MODULE_STUDY,
        reflection="Read the module's first unit.",
        created_by=enrolment.apprentice,
    )


def enrolment(world: World, which: str) -> Kwargs:
    """A new active enrolment of one of the organisation's staff."""
    made = apprenticeships_scene.enrolment(world, which, status=EnrolmentStatus.ACTIVE)
    return {"pk": made.pk}


def entry(world: World, which: str) -> Kwargs:
    """A new entry awaiting the tutor, of a new active enrolment."""
    return {"pk": _entry(world, which).pk}


def enrolment_and_entry(world: World, which: str) -> Kwargs:
    """The API's shape: the enrolment and one of its entries."""
    made = _entry(world, which)
    return {"pk": made.enrolment_id, "entry_id": made.pk}


RESOLVERS: dict[str, Resolver] = {
    "apprenticeships:off_the_job_log": enrolment,
    "apprenticeships:off_the_job_new": enrolment,
    "apprenticeships:off_the_job_edit": entry,
    "apprenticeships:off_the_job_delete": entry,
    "apprenticeships:off_the_job_check": entry,
    "api:apprenticeship_off_the_job": enrolment,
    "api:apprenticeship_off_the_job_log": enrolment,
    "api:apprenticeship_off_the_job_summary": enrolment,
    "api:apprenticeship_off_the_job_check": enrolment_and_entry,
    "api:apprenticeship_off_the_job_entry": enrolment_and_entry,
    "api:apprenticeship_off_the_job_edit": enrolment_and_entry,
    "api:apprenticeship_off_the_job_delete": enrolment_and_entry,
}

LOG = "/api/v1/apprenticeships/enrolments/{pk}/off-the-job"
API_RESOLVERS: dict[str, Resolver] = {
    f"GET {LOG}": enrolment,
    f"POST {LOG}": enrolment,
    f"GET {LOG}/summary": enrolment,
    f"POST {LOG}/{{entry_id}}/check": enrolment_and_entry,
    f"GET {LOG}/{{entry_id}}": enrolment_and_entry,
    f"PUT {LOG}/{{entry_id}}": enrolment_and_entry,
    f"DELETE {LOG}/{{entry_id}}": enrolment_and_entry,
}
