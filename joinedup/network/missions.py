"""The missions vocabulary: the outcomes a partnership's initiatives serve, curated by its lead.

The lead adds, renames, describes and retires missions. A retired mission stays on the
initiatives that name it but is no longer offered. Names are unique within a partnership
(ignoring case). Each write is one transaction with one audit entry.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Partnership

from . import access
from .models import Mission

NAME_LIMIT = 120
DESCRIPTION_LIMIT = 2_000


def _clean(partnership: Partnership, name: str, description: str, *, mission_pk=None) -> tuple:
    name = " ".join(name.split())
    description = description.strip()
    if not name:
        raise ValidationError({"name": "Enter the mission's name"})
    if len(name) > NAME_LIMIT:
        raise ValidationError({"name": f"Name must be {NAME_LIMIT} characters or fewer"})
    if len(description) > DESCRIPTION_LIMIT:
        raise ValidationError(
            {"description": f"Description must be {DESCRIPTION_LIMIT:,} characters or fewer"}
        )
    taken = Mission.objects.filter(partnership=partnership, name__iexact=name)
    if mission_pk is not None:
        taken = taken.exclude(pk=mission_pk)
    if taken.exists():
        raise ValidationError({"name": f"The partnership already has a mission called {name}"})
    return name, description


def add_mission(
    *, actor: Actor, partnership: Partnership, name: str, description: str = ""
) -> Mission:
    """Add a mission to the partnership's vocabulary (its lead only)."""
    if not access.may_curate_missions(actor, partnership):
        raise PermissionDenied
    name, description = _clean(partnership, name, description)
    with transaction.atomic():
        mission = Mission.objects.create(
            partnership=partnership, name=name, description=description
        )
        audit.record(
            actor=actor,
            action="network.mission.added",
            kind="network.mission",
            object_id=mission.pk,
            label=mission.name,
            partnership=partnership,
        )
    return mission


def change_mission(
    *, actor: Actor, mission: Mission, name: str, description: str, retired: bool
) -> bool:
    """Rename, describe, retire or bring back a mission; False when nothing changed."""
    if not access.may_curate_missions(actor, mission.partnership):
        raise PermissionDenied
    name, description = _clean(mission.partnership, name, description, mission_pk=mission.pk)
    changes = {
        field: [getattr(mission, field), value]
        for field, value in (("name", name), ("description", description), ("retired", retired))
        if getattr(mission, field) != value
    }
    if not changes:
        return False
    with transaction.atomic():
        mission.name, mission.description, mission.retired = name, description, retired
        mission.save(update_fields=["name", "description", "retired"])
        audit.record(
            actor=actor,
            action="network.mission.changed",
            kind="network.mission",
            object_id=mission.pk,
            label=mission.name,
            partnership=mission.partnership,
            changes={field: values for field, values in changes.items() if field != "description"}
            | ({"description": "changed"} if "description" in changes else {}),
        )
    return True
