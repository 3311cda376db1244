"""Writing to the append-only audit log. Services call `record` inside their transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from joinedup.lib.row_insert import insert_row

from .actor import Actor
from .models import AuditEvent, Organisation, Partnership


def record(
    *,
    actor: Actor | None,
    action: str,
    kind: str,
    object_id: Any,
    label: str = "",
    organisation: Organisation | None = None,
    partnership: Partnership | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `changes` must hold ids and non-personal values only."""
    event = AuditEvent(
        actor=actor.person if actor else None,
        acting_for=actor.organisation if actor else None,
        organisation=organisation,
        partnership=partnership,
        action=action,
        object_kind=kind,
        object_id=str(object_id),
        object_label=label[:200],
        changes=changes or {},
    )
    # Its INSERT built once, not per event: every booking writes one (it only ever adds a row).
    insert_row(event)
    return event


# An event for `record_many`: (action, kind, object id, changes), optionally with a label last.
Event = tuple[str, str, Any, dict[str, Any]] | tuple[str, str, Any, dict[str, Any], str]


def record_many(
    *,
    actor: Actor | None,
    organisation: Organisation | None,
    events: Iterable[Event],
) -> None:
    """Append many events in one go, for bulk changes such as a staff import or a release.

    Each event is (action, kind, object id, changes) or the same with the object's label last;
    `changes` holds ids and non-personal values.
    """
    rows = []
    for action, kind, object_id, changes, *label in events:
        rows.append(
            AuditEvent(
                actor=actor.person if actor else None,
                acting_for=actor.organisation if actor else None,
                organisation=organisation,
                action=action,
                object_kind=kind,
                object_id=str(object_id),
                object_label=label[0][:200] if label else "",
                changes=changes,
            )
        )
    AuditEvent.objects.bulk_create(rows, batch_size=500)
