"""Mentoring across organisations: the fit of a mentor and a mentee, and the assignment of
mentees to mentors (plain Python with NumPy and SciPy, no Django).

A pair's fit is a whole number of points, each with its reason:

* WANTED points for every skill the mentee wants to grow (named in their aspirations) that the
  mentor has; the main reason for mentoring;
* SHARED points for every skill both have (common ground);
* OTHER_SECTOR points when their organisations are in different sectors, and PREFERENCE more
  for each of the two who asked for another sector and gets one.

Two people of one organisation are never paired. The assignment pairs as many mentees as it can
and, among the ways of doing that, takes the greatest total fit, never giving a mentor more
mentees than their capacity. It is solved exactly as an assignment problem on a mentees x
mentor-places matrix (`scipy.optimize.linear_sum_assignment`): each mentor has one column per
place; an allowed pair weighs BIG + fit, where BIG exceeds any total fit, so one more pair always
outweighs any gain in fit; a forbidden pair weighs 0 and is dropped from the answer. Inputs are
sorted by id and the weights are whole numbers, so the same input gives the same pairs.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment

WANTED = 3
SHARED = 1
OTHER_SECTOR = 2
PREFERENCE = 1


@dataclass(frozen=True)
class Mentor:
    id: Hashable
    organisation: Hashable
    sector: str
    skills: frozenset[Hashable] = frozenset()
    capacity: int = 1
    prefers_other_sector: bool = True


@dataclass(frozen=True)
class Mentee:
    id: Hashable
    organisation: Hashable
    sector: str
    skills: frozenset[Hashable] = frozenset()
    # The skills named in their aspirations: what they want to grow.
    wants: frozenset[Hashable] = frozenset()
    prefers_other_sector: bool = True


@dataclass(frozen=True)
class Fit:
    points: int
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pair:
    mentee: Hashable
    mentor: Hashable
    fit: Fit


@dataclass(frozen=True)
class Assignment:
    pairs: list[Pair] = field(default_factory=list)  # in the mentees' id order
    unmatched: list[Hashable] = field(default_factory=list)  # mentee ids, in id order

    @property
    def total_fit(self) -> int:
        return sum(pair.fit.points for pair in self.pairs)


def _names(skills: Iterable[Hashable], names: Mapping[Hashable, str]) -> str:
    return ", ".join(sorted(str(names.get(skill, skill)) for skill in skills))


def may_pair(mentor: Mentor, mentee: Mentee) -> bool:
    """Whether the two may be paired at all: never two people of one organisation."""
    return mentor.organisation != mentee.organisation


def fit(mentor: Mentor, mentee: Mentee, names: Mapping[Hashable, str] | None = None) -> Fit:
    """The pair's points and the reasons for them (`names` gives skills' names for reasons)."""
    names = names or {}
    points = 0
    reasons: list[str] = []
    wanted = mentee.wants & mentor.skills
    if wanted:
        points += WANTED * len(wanted)
        reasons.append(f"Has skills the mentee wants to grow: {_names(wanted, names)}")
    shared = mentee.skills & mentor.skills
    if shared:
        points += SHARED * len(shared)
        reasons.append(f"Skills in common: {_names(shared, names)}")
    if mentor.sector != mentee.sector:
        points += OTHER_SECTOR
        reasons.append(f"Different sectors: {mentee.sector} and {mentor.sector}")
        asked = [
            who for who, p in (("mentee", mentee), ("mentor", mentor)) if p.prefers_other_sector
        ]
        if asked:
            points += PREFERENCE * len(asked)
            reasons.append(f"Another sector, as the {' and the '.join(asked)} asked")
    return Fit(points, tuple(reasons))


def _incidence(
    sets: Sequence[frozenset[Hashable]], column: dict[Hashable, int]
) -> sparse.csr_matrix:
    """A 0/1 matrix: one row per set, one column per skill."""
    indptr = [0]
    indices: list[int] = []
    for items in sets:
        indices.extend(column[item] for item in items)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.int32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(sets), max(len(column), 1)))


def fit_points(mentees: Sequence[Mentee], mentors: Sequence[Mentor]) -> np.ndarray:
    """Every pair's points as a mentees x mentors matrix of whole numbers, -1 where forbidden."""
    column: dict[Hashable, int] = {}
    for skills in [*(m.skills for m in mentees), *(m.wants for m in mentees)]:
        for skill in skills:
            column.setdefault(skill, len(column))
    for mentor in mentors:
        for skill in mentor.skills:
            column.setdefault(skill, len(column))
    mentor_skills = _incidence([m.skills for m in mentors], column).T.tocsc()
    wanted = _incidence([m.wants for m in mentees], column) @ mentor_skills
    shared = _incidence([m.skills for m in mentees], column) @ mentor_skills
    # 32-bit whole numbers: a pair has at most a few hundred points, and half the memory.
    points: np.ndarray = (WANTED * wanted + SHARED * shared).toarray().astype(np.int32, copy=False)
    sector_code: dict[str, int] = {}
    mentee_sector = np.array([sector_code.setdefault(m.sector, len(sector_code)) for m in mentees])
    mentor_sector = np.array([sector_code.setdefault(m.sector, len(sector_code)) for m in mentors])
    other = mentee_sector[:, None] != mentor_sector[None, :]
    # Small temporaries: the sector points are at most OTHER_SECTOR + 2 x PREFERENCE.
    asked = (
        np.array([m.prefers_other_sector for m in mentees], dtype=np.int8)[:, None]
        + np.array([m.prefers_other_sector for m in mentors], dtype=np.int8)[None, :]
    )
    asked *= PREFERENCE
    asked += OTHER_SECTOR
    asked *= other
    points += asked
    del asked, other
    organisation_code: dict[Hashable, int] = {}
    mentee_org = np.array(
        [organisation_code.setdefault(m.organisation, len(organisation_code)) for m in mentees]
    )
    mentor_org = np.array(
        [organisation_code.setdefault(m.organisation, len(organisation_code)) for m in mentors]
    )
    points[mentee_org[:, None] == mentor_org[None, :]] = -1
    return points


def _id(person: Mentee | Mentor) -> Any:
    return person.id


def assign(
    mentees: Iterable[Mentee],
    mentors: Iterable[Mentor],
    *,
    excluded: Collection[tuple[Hashable, Hashable]] = (),
    names: Mapping[Hashable, str] | None = None,
) -> Assignment:
    """Pair as many mentees as possible with mentors of other organisations, within each
    mentor's capacity (0 or more), with the greatest total fit among those pairings.

    `excluded` holds (mentee id, mentor id) pairs never to make (for example pairs that ended);
    `names` gives skills' names for the reasons. Ids must be unique and of one sortable type."""
    mentees = sorted(mentees, key=_id)
    mentors = sorted((m for m in mentors if m.capacity > 0), key=_id)
    if not mentees or not mentors:
        return Assignment([], [m.id for m in mentees])
    points = fit_points(mentees, mentors)
    if excluded:
        row = {m.id: index for index, m in enumerate(mentees)}
        col = {m.id: index for index, m in enumerate(mentors)}
        for mentee_id, mentor_id in excluded:
            if mentee_id in row and mentor_id in col:
                points[row[mentee_id], col[mentor_id]] = -1
    # One more pair must outweigh any total fit: BIG exceeds the largest possible total.
    big = float(len(mentees) * (int(points.max()) + 1) + 1)
    weights = points.astype(np.float64)
    weights += big
    weights[points < 0] = 0.0
    # One column per mentor's place (built once: the largest array of the assignment).
    places = np.repeat(np.arange(len(mentors)), [m.capacity for m in mentors])
    rows, cols = linear_sum_assignment(np.take(weights, places, axis=1), maximize=True)
    chosen: dict[int, int] = {}
    for row_index, place in zip(rows.tolist(), cols.tolist(), strict=True):
        mentor_index = int(places[place])
        if points[row_index, mentor_index] >= 0:
            chosen[row_index] = mentor_index
    pairs = [
        Pair(mentees[i].id, mentors[j].id, fit(mentors[j], mentees[i], names))
        for i, j in sorted(chosen.items())
    ]
    unmatched = [m.id for index, m in enumerate(mentees) if index not in chosen]
    return Assignment(pairs, unmatched)
