"""The system-translator measure: in how many sectors and organisations a person has worked.

A pure function of plain data (no Django). For one person, as of a date:

- A *spell* is a stretch of work in one organisation of one sector: an employment of any kind
  (secondments included), a rotation placement, from its first day to its last, both worked.
  A spell without an end, or ending after the as-of date, counts up to the as-of date; a spell
  starting after it counts nothing. So a secondment that has just started counts its days so far,
  and a date in the future asks "if current jobs carry on until then".
- *Three months* is 91 days (a quarter of 365.25 days, rounded down). A sector counts when the
  person worked in it on at least 91 distinct days: overlapping spells in one sector (a joint post
  beside a secondment at another body of the same sector) add up as a union of days, never twice.
  An organisation counts the same way, over the spells there.
- *Prior experience* recorded on the profile (a sector and years, before joining) adds
  years x 365.25 days to its sector; 0.3 years counts (109.6 days), 0.2 does not (73.05). It names
  an organisation only as free text, so it counts towards organisations only when a name is
  given (compared without case or extra spaces).
- A *system translator* has worked in two or more sectors of DESIGN.md's vocabulary (the private
  sector included).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

# DESIGN.md's sectors, spelt as `partnership.models.Sector` stores them.
SECTORS = (
    "local_government",
    "health",
    "blue_light",
    "voluntary",
    "education",
    "housing",
    "central_government",
    "private",
)
THREE_MONTHS_DAYS = 91
DAYS_PER_YEAR = Decimal("365.25")
TRANSLATOR_SECTORS = 2


@dataclass(frozen=True)
class Spell:
    """Work in one organisation (any stable key) of one sector, from `start` to `end` inclusive."""

    sector: str
    organisation: str
    start: dt.date
    end: dt.date | None = None


@dataclass(frozen=True)
class Prior:
    """Experience before joining, from the profile: a sector and years (one decimal place)."""

    sector: str
    years: Decimal
    organisation: str = ""


@dataclass(frozen=True)
class Measure:
    """What counts for one person as of a date: sectors and organisations with 91 days or more."""

    sectors: frozenset[str]
    organisations: frozenset[str]
    days_by_sector: dict[str, Decimal] = field(default_factory=dict, compare=False)

    @property
    def is_translator(self) -> bool:
        return len(self.sectors) >= TRANSLATOR_SECTORS


def _check_sector(sector: str) -> None:
    if sector not in SECTORS:
        raise ValueError(f"sector: {sector!r} is not one of DESIGN.md's sectors")


def _union_days(ranges: list[tuple[dt.date, dt.date]]) -> int:
    """Distinct days covered by inclusive date ranges."""
    total = 0
    covered_to: dt.date | None = None
    for start, end in sorted(ranges):
        if covered_to is not None and start <= covered_to:
            start = covered_to + dt.timedelta(days=1)
        if start <= end:
            total += (end - start).days + 1
            covered_to = end if covered_to is None else max(covered_to, end)
    return total


def _clipped(spell: Spell, as_of: dt.date) -> tuple[dt.date, dt.date] | None:
    """The spell's days up to the as-of date, or None when it had not started."""
    end = as_of if spell.end is None else min(spell.end, as_of)
    if spell.start > end:
        return None
    return spell.start, end


def _prior_key(name: str) -> str:
    return "prior:" + " ".join(name.lower().split())


def measure(spells: Iterable[Spell], prior: Iterable[Prior], as_of: dt.date) -> Measure:
    """The sectors and organisations in which the person worked 91 days or more by `as_of`."""
    by_sector: dict[str, list[tuple[dt.date, dt.date]]] = {}
    by_organisation: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for spell in spells:
        _check_sector(spell.sector)
        worked = _clipped(spell, as_of)
        if worked is None:
            continue
        by_sector.setdefault(spell.sector, []).append(worked)
        by_organisation.setdefault(spell.organisation, []).append(worked)
    sector_days = {sector: Decimal(_union_days(ranges)) for sector, ranges in by_sector.items()}
    organisation_days = {
        key: Decimal(_union_days(ranges)) for key, ranges in by_organisation.items()
    }
    for experience in prior:
        _check_sector(experience.sector)
        if experience.years < 0:
            raise ValueError("years: prior experience cannot be negative")
        before = experience.years * DAYS_PER_YEAR
        sector_days[experience.sector] = sector_days.get(experience.sector, Decimal(0)) + before
        if experience.organisation.strip():
            key = _prior_key(experience.organisation)
            organisation_days[key] = organisation_days.get(key, Decimal(0)) + before
    return Measure(
        sectors=frozenset(s for s, days in sector_days.items() if days >= THREE_MONTHS_DAYS),
        organisations=frozenset(
            key for key, days in organisation_days.items() if days >= THREE_MONTHS_DAYS
        ),
        days_by_sector=sector_days,
    )


def is_translator(spells: Iterable[Spell], prior: Iterable[Prior], as_of: dt.date) -> bool:
    """Whether the person had worked 91 days or more in each of two or more sectors by `as_of`."""
    return measure(spells, prior, as_of).is_translator


@dataclass(frozen=True)
class Share:
    """People who are translators among some people: an exact share with its denominator."""

    translators: int
    people: int

    @property
    def share(self) -> Fraction | None:
        """The exact share (translators / people); None for nobody."""
        return fraction(self.translators, self.people)

    @property
    def percent(self) -> Decimal | None:
        """The share in per cent to one decimal place, halves away from zero; None for nobody."""
        return percent(self.translators, self.people)


def fraction(part: int, whole: int) -> Fraction | None:
    """part / whole exactly; None when the whole is nobody."""
    return Fraction(part, whole) if whole else None


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole in per cent to one decimal place, halves rounded up; None for a zero whole."""
    if not whole:
        return None
    tenths, remainder = divmod(part * 1000, whole)
    if 2 * remainder >= whole:
        tenths += 1
    return Decimal(tenths).scaleb(-1)


def share_of(measures: Iterable[Measure]) -> Share:
    """How many of these people's measures make them translators, out of how many."""
    people = translators = 0
    for found in measures:
        people += 1
        translators += found.is_translator
    return Share(translators=translators, people=people)
