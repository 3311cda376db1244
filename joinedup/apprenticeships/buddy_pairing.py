"""Pairing a cohort's apprentices with buddies from other employers (plain data, no Django).

`plan_pairs` is given the cohort's current apprentices as (enrolment id, employer id) and its
active pairs, and returns the new pairs to make and whoever cannot be paired, with the reason.

- Everyone already in an active pair keeps it; only the waiting (by default everyone unpaired)
  are paired.
- The waiting are paired across employers: repeatedly the employer with the most waiting
  apprentices gives its first one to the first of the employer with the next most. Taking from the
  largest groups first leaves the fewest from one employer over.
- Whoever is left over (an odd one out, or several from one employer) joins someone from another
  employer as their second buddy: the person with the fewest buddies, then the lowest id.
- Two apprentices of one employer are never paired. Someone with no one from another employer on
  the cohort is reported unpaired with the reason.

Everything is ordered by id, so the same cohort always gives the same pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

NO_ONE_ELSE = "No one else on the cohort to pair with"
ONE_EMPLOYER = "Everyone else on the cohort works for the same employer"


@dataclass(frozen=True)
class Apprentice:
    """One current apprentice: their enrolment id and their employer's id."""

    enrolment_id: int
    employer_id: int


@dataclass(frozen=True)
class Plan:
    """The pairs to make (lower id first) and who cannot be paired, with why."""

    pairs: list[tuple[int, int]] = field(default_factory=list)
    unpaired: list[tuple[int, str]] = field(default_factory=list)


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def plan_pairs(
    apprentices: Iterable[Apprentice],
    existing: Iterable[tuple[int, int]] = (),
    *,
    waiting: Iterable[int] | None = None,
) -> Plan:
    """The new pairs for the cohort (see the module docstring). Pairs naming someone who is not a
    current apprentice are ignored; `waiting` limits who is paired (default: everyone unpaired)."""
    employer = {a.enrolment_id: a.employer_id for a in apprentices}
    buddies: Counter[int] = Counter()
    for first, second in existing:
        if first in employer and second in employer and first != second:
            buddies[first] += 1
            buddies[second] += 1
    unpaired = sorted(pk for pk in employer if not buddies[pk])
    if waiting is not None:
        chosen = set(waiting)
        unpaired = [pk for pk in unpaired if pk in chosen]

    # Group the waiting by employer; each group is a queue in id order.
    groups: dict[int, list[int]] = {}
    for pk in unpaired:
        groups.setdefault(employer[pk], []).append(pk)
    pairs: list[tuple[int, int]] = []
    while len([g for g in groups.values() if g]) >= 2:
        ranked = sorted(
            (g for g in groups.values() if g), key=lambda g: (-len(g), employer[g[0]], g[0])
        )
        first, second = ranked[0].pop(0), ranked[1].pop(0)
        pairs.append(_ordered(first, second))
        buddies[first] += 1
        buddies[second] += 1

    left_over = sorted(pk for group in groups.values() for pk in group)
    cannot: list[tuple[int, str]] = []
    for pk in left_over:
        others = [other for other in employer if employer[other] != employer[pk]]
        if not others:
            reason = NO_ONE_ELSE if len(employer) == 1 else ONE_EMPLOYER
            cannot.append((pk, reason))
            continue
        buddy = min(others, key=lambda other: (buddies[other], other))
        pairs.append(_ordered(pk, buddy))
        buddies[pk] += 1
        buddies[buddy] += 1
    return Plan(pairs=pairs, unpaired=cannot)
