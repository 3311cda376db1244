"""Leakage: where the partnership's leavers went, in DESIGN.md's buckets. Pure (no Django).

Each leaver's recorded destination goes in one bucket:

- *retained by the partnership*: the destination organisation is named and is a member of the
  partnership, whatever destination was ticked (a move to a partner charity recorded as
  "voluntary sector" is retained). Each organisation's own turnover counts such a leaver as lost;
  the partnership does not.
- *other public service*: "other public sector"; also "a partner organisation" when no member is
  named (or the one named is not a member) and it is not of the voluntary or private sector.
- *left public service*: voluntary sector (outside the partnership), private sector, education or
  training, not working; also "a partner organisation" naming a voluntary or private body that is
  not a member.
- *retired* and *unknown* (nothing recorded, or "unknown") are reported apart.

Shares are exact fractions with their denominators stated: each bucket's share of all leavers,
and the three destination buckets' shares of the *known* leavers (all leavers less the retired and
the unknown), so a poorly recorded organisation does not look as if it kept everyone.

Moves between partner employers are worked out here too (`partner_moves`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from fractions import Fraction

from .translators import fraction

RETAINED = "retained"
OTHER_PUBLIC = "other_public_service"
LEFT_PUBLIC = "left_public_service"
RETIRED = "retired"
UNKNOWN = "unknown"
BUCKETS = (RETAINED, OTHER_PUBLIC, LEFT_PUBLIC, RETIRED, UNKNOWN)
KNOWN_BUCKETS = (RETAINED, OTHER_PUBLIC, LEFT_PUBLIC)
BUCKET_NAMES = {
    RETAINED: "Retained by the partnership",
    OTHER_PUBLIC: "Other public service",
    LEFT_PUBLIC: "Left public service",
    RETIRED: "Retired",
    UNKNOWN: "Unknown",
}

# `partnership.models.Destination` values.
DESTINATIONS = (
    "partner",
    "other_public",
    "voluntary",
    "private",
    "education",
    "retired",
    "not_working",
    "unknown",
)
OUTSIDE_PUBLIC_SECTORS = frozenset({"voluntary", "private"})
BUCKET_OF_DESTINATION = {
    "other_public": OTHER_PUBLIC,
    "voluntary": LEFT_PUBLIC,
    "private": LEFT_PUBLIC,
    "education": LEFT_PUBLIC,
    "not_working": LEFT_PUBLIC,
    "retired": RETIRED,
    "unknown": UNKNOWN,
    "": UNKNOWN,
}

# A new job at a partner starting up to this many days after leaving another partner is a move.
MOVE_GAP_DAYS = 31


@dataclass(frozen=True)
class Leaver:
    """One employment that ended: where to, and what to group it by."""

    destination: str  # a Destination value, or "" when none was recorded
    to_member: bool  # the named destination organisation is a member of the partnership
    organisation: str  # the organisation left (a label or key to group by)
    band: str  # "entry", "middle", "senior", or "" when the seniority is not recorded
    left_on: dt.date
    destination_sector: str = ""  # the named destination organisation's sector, if any


def bucket_of(leaver: Leaver) -> str:
    """The leakage bucket of one leaver (see the module's docstring)."""
    if leaver.destination not in (*DESTINATIONS, ""):
        raise ValueError(f"destination: {leaver.destination!r} is not a leaver destination")
    if leaver.to_member:
        return RETAINED
    if leaver.destination == "partner":
        if leaver.destination_sector in OUTSIDE_PUBLIC_SECTORS:
            return LEFT_PUBLIC
        return OTHER_PUBLIC
    return BUCKET_OF_DESTINATION[leaver.destination]


@dataclass(frozen=True)
class Figures:
    """Leavers counted per bucket, with the two denominators the shares are taken over."""

    counts: dict[str, int]

    @property
    def leavers(self) -> int:
        """All leavers: the denominator of `share_of_all`."""
        return sum(self.counts.values())

    @property
    def known(self) -> int:
        """Leavers neither retired nor unknown: the denominator of `share_of_known`."""
        return sum(self.counts[bucket] for bucket in KNOWN_BUCKETS)

    def share_of_all(self, bucket: str) -> Fraction | None:
        return fraction(self.counts[bucket], self.leavers)

    def share_of_known(self, bucket: str) -> Fraction | None:
        if bucket not in KNOWN_BUCKETS:
            raise ValueError(f"bucket: {bucket!r} is reported apart, not as a share of the known")
        return fraction(self.counts[bucket], self.known)


def figures(leavers: Iterable[Leaver]) -> Figures:
    """Counts per bucket (every bucket present, zero when empty)."""
    counts = dict.fromkeys(BUCKETS, 0)
    for leaver in leavers:
        counts[bucket_of(leaver)] += 1
    return Figures(counts=counts)


def figures_by(
    leavers: Iterable[Leaver], key: Callable[[Leaver], Hashable]
) -> dict[Hashable, Figures]:
    """Figures per group (`key` of each leaver), groups in sorted order of their keys."""
    groups: dict[Hashable, list[Leaver]] = {}
    for leaver in leavers:
        groups.setdefault(key(leaver), []).append(leaver)
    return {group: figures(groups[group]) for group in sorted(groups, key=_sort_key)}


def _sort_key(value: Hashable) -> tuple[str, str]:
    # Groups are all of one type (ids as text, bands, or first days of months): order by text.
    return (type(value).__name__, str(value)) if value is not None else ("", "")


def month_of(leaver: Leaver) -> dt.date:
    """The first day of the month the leaver left in (to group by period)."""
    return leaver.left_on.replace(day=1)


# --- Moves between partner employers ------------------------------------------------------------


@dataclass(frozen=True)
class Ending:
    """An employment that ended at a member organisation."""

    person: Hashable
    organisation: Hashable
    end: dt.date
    destination_organisation: Hashable | None = None  # only when it is a member


@dataclass(frozen=True)
class Starting:
    """An employment that started at a member organisation."""

    person: Hashable
    organisation: Hashable
    start: dt.date
    secondment: bool = False
    # Member organisations where the person held another current job on the start date.
    held_at: frozenset[Hashable] = frozenset()


@dataclass(frozen=True)
class Move:
    person: Hashable
    source: Hashable
    destination: Hashable
    on: dt.date
    kind: str  # "move" (left one partner for another) or "secondment"


def partner_moves(
    endings: Iterable[Ending],
    startings: Iterable[Starting],
    start: dt.date,
    end: dt.date,
    gap_days: int = MOVE_GAP_DAYS,
) -> list[Move]:
    """Moves between member organisations in the period `start` to `end` (inclusive).

    A *move*: an employment ended in the period with a member named as the destination, or
    followed by a job (not a secondment) at another member starting from 7 days before its end
    to `gap_days` after it (one move per ending; the named destination wins). A *secondment*: a
    secondment starting in the period at a member while the person held a job at another member.
    """
    startings = list(startings)
    moves: list[Move] = []
    jobs_by_person: dict[Hashable, list[Starting]] = {}
    for starting in startings:
        if not starting.secondment:
            jobs_by_person.setdefault(starting.person, []).append(starting)
    for ending in endings:
        if not start <= ending.end <= end:
            continue
        to = ending.destination_organisation
        if to is not None and to != ending.organisation:
            moves.append(Move(ending.person, ending.organisation, to, ending.end, "move"))
            continue
        following = sorted(
            (
                job
                for job in jobs_by_person.get(ending.person, [])
                if job.organisation != ending.organisation
                and -7 <= (job.start - ending.end).days <= gap_days
            ),
            key=lambda job: (job.start, str(job.organisation)),
        )
        if following:
            job = following[0]
            moves.append(
                Move(ending.person, ending.organisation, job.organisation, job.start, "move")
            )
    for starting in startings:
        if not starting.secondment or not start <= starting.start <= end:
            continue
        for home in sorted(starting.held_at - {starting.organisation}, key=str)[:1]:
            moves.append(
                Move(starting.person, home, starting.organisation, starting.start, "secondment")
            )
    return sorted(moves, key=lambda move: (move.on, move.kind, str(move.person)))
