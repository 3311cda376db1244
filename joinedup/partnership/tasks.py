"""Background tasks of the partnership app, run by `joinedup worker` through django-tasks."""

from __future__ import annotations

from django_tasks import task

from . import staff_import
from .actor import Actor
from .models import Organisation, Person


@task()
def apply_staff_import_task(
    import_id: int, person_id: int, organisation_id: int, mark_missing_as_leavers: bool
) -> dict[str, int]:
    """Apply a confirmed staff import as the admin who confirmed it, saving progress as it goes."""
    actor = Actor(
        person=Person.objects.get(pk=person_id),
        organisation=Organisation.objects.get(pk=organisation_id),
    )
    applied = staff_import.apply_staff_import(
        actor=actor, import_id=import_id, mark_missing_as_leavers=mark_missing_as_leavers
    )
    return applied.summary.get("counts", {})


@task()
def check_staff_import_task(import_id: int, person_id: int, organisation_id: int) -> int:
    """Check a large uploaded staff file as the admin who uploaded it; returns its problem count."""
    actor = Actor(
        person=Person.objects.get(pk=person_id),
        organisation=Organisation.objects.get(pk=organisation_id),
    )
    checked = staff_import.check_staff_import(actor=actor, import_id=import_id)
    return checked.summary.get("problem_count", 0)
