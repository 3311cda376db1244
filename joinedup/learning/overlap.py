"""Whether runs overlap in time, from their sessions as plain data (no Django).

Two sessions overlap when they are on the same date and their time ranges intersect; a session
ending at 12:00 does not overlap one starting at 12:00. A run without sessions (self-paced
learning) overlaps nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    """One session: a date, and the times it starts and ends that day."""

    date: dt.date
    starts_at: dt.time
    ends_at: dt.time


def slots_overlap(first: Slot, second: Slot) -> bool:
    """Same date, and each starts before the other ends."""
    return (
        first.date == second.date
        and first.starts_at < second.ends_at
        and second.starts_at < first.ends_at
    )


def runs_overlap(first: Iterable[Slot], second: Iterable[Slot]) -> bool:
    """Whether any session of one run overlaps any session of the other."""
    by_date: dict[dt.date, list[Slot]] = {}
    for slot in first:
        by_date.setdefault(slot.date, []).append(slot)
    return any(
        slots_overlap(slot, other) for slot in second for other in by_date.get(slot.date, ())
    )


def overlapping_runs(target: Iterable[Slot], others: Mapping[int, Iterable[Slot]]) -> set[int]:
    """The keys of `others` whose sessions overlap the target run's sessions."""
    target = list(target)
    return {key for key, slots in others.items() if runs_overlap(target, slots)}
