"""Ranking people for an opportunity, and opportunities for a person: plain data in, scores with
their reasons out. Imports nothing from Django.

A score is whole points out of 100,000 (shown as out of 100), so the database's pre-filter
(`talent/opportunities.py`) can compute exactly the same number in integer SQL:

- skills, up to 70,000: each essential skill the candidate holds weighs 3, each desirable one 1,
  as a share of the weight of every wanted skill (synonyms were resolved to one canonical skill
  when names were typed, so skills compare by id);
- seniority, up to 15,000: inside the opportunity's range 15,000, one step outside 7,000,
  unknown 5,000, further outside nothing;
- cross-sector experience, 15,000: a candidate whose sector differs from the host's brings
  something new and would take something back.

Ties are broken by more essential skills held, then by the smaller key: the same input always
gives the same order.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

SKILL_POINTS = 70_000
SENIORITY_POINTS = 15_000
SENIORITY_NEAR_POINTS = 7_000
SENIORITY_UNKNOWN_POINTS = 5_000
SECTOR_POINTS = 15_000
ESSENTIAL_WEIGHT = 3
DESIRABLE_WEIGHT = 1
MAXIMUM = SKILL_POINTS + SENIORITY_POINTS + SECTOR_POINTS

# Sector names as they read in a sentence ("would gain health-sector experience").
SECTOR_WORDS = {
    "local_government": "local government",
    "health": "health",
    "blue_light": "blue-light",
    "voluntary": "voluntary",
    "education": "education",
    "housing": "housing",
    "central_government": "central government",
    "private": "private",
}


@dataclass(frozen=True)
class Wanted:
    """What an opportunity asks for: skill ids, a seniority range 1-9 and the host's sector."""

    essential: frozenset[int] = frozenset()
    desirable: frozenset[int] = frozenset()
    seniority_min: int = 1
    seniority_max: int = 9
    host_sector: str = ""
    key: int = 0  # the opportunity's id, when ranking opportunities for a person
    skill_names: Mapping[int, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        # A skill both essential and desirable counts as essential.
        object.__setattr__(self, "desirable", frozenset(self.desirable) - self.essential)

    @property
    def total_weight(self) -> int:
        return ESSENTIAL_WEIGHT * len(self.essential) + DESIRABLE_WEIGHT * len(self.desirable)


@dataclass(frozen=True)
class Candidate:
    """A person's profile as the ranking sees it."""

    key: int
    skills: frozenset[int] = frozenset()
    sector: str = ""
    seniority: int | None = None


@dataclass(frozen=True)
class Scored:
    key: int
    score: int  # points out of MAXIMUM
    essential_held: int
    reasons: tuple[str, ...]

    @property
    def percent(self) -> float:
        """The score out of 100, to one decimal place."""
        return round(self.score * 100 / MAXIMUM, 1)


def skill_points(weight: int, total_weight: int) -> int:
    """Points for the held weight of wanted skills (integer division, as the SQL does)."""
    if total_weight <= 0:
        return 0
    return SKILL_POINTS * weight // total_weight


def seniority_points(seniority: int | None, low: int, high: int) -> int:
    if seniority is None:
        return SENIORITY_UNKNOWN_POINTS
    if low <= seniority <= high:
        return SENIORITY_POINTS
    if low - 1 <= seniority <= high + 1:
        return SENIORITY_NEAR_POINTS
    return 0


def sector_points(candidate_sector: str, host_sector: str) -> int:
    if candidate_sector and host_sector and candidate_sector != host_sector:
        return SECTOR_POINTS
    return 0


def _sector(value: str) -> str:
    return SECTOR_WORDS.get(value, value.replace("_", " "))


def _names(ids: Iterable[int], names: Mapping[int, str]) -> str:
    return ", ".join(sorted(names.get(skill, f"skill {skill}") for skill in ids))


def score(wanted: Wanted, candidate: Candidate) -> Scored:
    """One candidate's score for one opportunity, with the reasons for it in plain words."""
    essential = wanted.essential & candidate.skills
    desirable = wanted.desirable & candidate.skills
    weight = ESSENTIAL_WEIGHT * len(essential) + DESIRABLE_WEIGHT * len(desirable)
    points = skill_points(weight, wanted.total_weight)
    reasons: list[str] = []
    if wanted.essential:
        reason = f"has {len(essential)} of {len(wanted.essential)} essential skills"
        missing = wanted.essential - candidate.skills
        if missing and wanted.skill_names:
            reason += f" (missing {_names(missing, wanted.skill_names)})"
        reasons.append(reason)
    if wanted.desirable:
        reasons.append(f"has {len(desirable)} of {len(wanted.desirable)} desirable skills")
    low, high = wanted.seniority_min, wanted.seniority_max
    fit = seniority_points(candidate.seniority, low, high)
    points += fit
    if candidate.seniority is None:
        reasons.append("seniority not known")
    elif fit == SENIORITY_POINTS:
        reasons.append(f"seniority {candidate.seniority} is within {low}-{high}")
    elif fit == SENIORITY_NEAR_POINTS:
        reasons.append(f"seniority {candidate.seniority} is one step from {low}-{high}")
    else:
        reasons.append(f"seniority {candidate.seniority} is outside {low}-{high}")
    bonus = sector_points(candidate.sector, wanted.host_sector)
    points += bonus
    if bonus:
        reasons.append(
            f"would gain {_sector(wanted.host_sector)}-sector experience and bring "
            f"{_sector(candidate.sector)}-sector experience"
        )
    elif candidate.sector and candidate.sector == wanted.host_sector:
        reasons.append(f"already works in the {_sector(wanted.host_sector)} sector")
    return Scored(
        key=candidate.key, score=points, essential_held=len(essential), reasons=tuple(reasons)
    )


def _order(scored: Scored) -> tuple[int, int, int]:
    return (-scored.score, -scored.essential_held, scored.key)


def rank_candidates(wanted: Wanted, candidates: Iterable[Candidate], limit: int) -> list[Scored]:
    """The best `limit` candidates for one opportunity, best first (deterministic ties)."""
    if limit <= 0:
        return []
    return heapq.nsmallest(limit, (score(wanted, c) for c in candidates), key=_order)


def rank_opportunities(
    candidate: Candidate, opportunities: Iterable[Wanted], limit: int
) -> list[Scored]:
    """The best `limit` opportunities for one person, best first; `Scored.key` is the
    opportunity's key."""
    if limit <= 0:
        return []
    results = []
    for wanted in opportunities:
        scored = score(wanted, candidate)
        results.append(
            Scored(
                key=wanted.key,
                score=scored.score,
                essential_held=scored.essential_held,
                reasons=scored.reasons,
            )
        )
    return heapq.nsmallest(limit, results, key=_order)
