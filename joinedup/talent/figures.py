"""Reads behind the system-translator and leakage figures (the maths is in translators.py and
leakage.py). Callers pass the organisations an access function allowed (`access.figures_scope`).

Translators, as of a date: the *staff* of an organisation are the people with a current
employment there on that date (a seconded person counts at their home and at their host);
*senior* staff hold seniority 7 or above in one of those jobs. Each person's spells are every
employment they ever had (any kind, at any organisation of the installation), their placements in
published rotation rounds (the round's dates, the post's host), and their profile's prior
experience. The partnership's row counts people once, however many members employ them.

Leakage, in a period: a *leaver* is an employment at the organisation that ended in the period,
except a secondment ending (the person goes home) and a job followed at the same organisation by
another starting up to 31 days later (a change of job, not a leaver).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from joinedup.partnership.models import (
    Employment,
    EmploymentKind,
    Organisation,
    Partnership,
    current_on,
    seniority_band,
)

from . import leakage, translators
from .leakage import Ending, Leaver, Starting
from .models import Placement, PriorExperience, RoundStatus, TranslatorSnapshot
from .translators import Prior, Share, Spell

SENIOR = 7
SNAPSHOT_MONTHS = 12
BAND_NAMES = {
    "entry": "Entry (1-3)",
    "middle": "Middle (4-6)",
    "senior": "Senior (7-9)",
    "": "Not recorded",
}
BANDS = ("entry", "middle", "senior", "")


# --- Translators --------------------------------------------------------------------------------


def _organisation_key(pk: int) -> str:
    return f"org:{pk}"


@dataclass
class TranslatorRow:
    """One organisation's (or the partnership's) translator figures on a date."""

    label: str
    organisation_id: int | None
    staff: Share
    senior: Share


def _spells_and_priors(
    people: Iterable[int], as_of: dt.date
) -> tuple[dict[int, list[Spell]], dict[int, list[Prior]]]:
    """Every spell and prior experience of these people that had started by the date."""
    people = list(people)
    spells: dict[int, list[Spell]] = defaultdict(list)
    priors: dict[int, list[Prior]] = defaultdict(list)
    jobs = Employment.objects.filter(person_id__in=people, start_date__lte=as_of).values_list(
        "person_id", "organisation_id", "organisation__sector", "start_date", "end_date"
    )
    for person, organisation, sector, start, end in jobs:
        spells[person].append(Spell(sector, _organisation_key(organisation), start, end))
    placements = Placement.objects.filter(
        participant__person_id__in=people,
        round__status=RoundStatus.PUBLISHED,
        round__starts_on__lte=as_of,
    ).values_list(
        "participant__person_id",
        "post__host_id",
        "post__host__sector",
        "round__starts_on",
        "round__ends_on",
    )
    for person, host, sector, start, end in placements:
        spells[person].append(Spell(sector, _organisation_key(host), start, end))
    experiences = PriorExperience.objects.filter(profile__person_id__in=people).values_list(
        "profile__person_id", "sector", "years", "organisation_name"
    )
    for person, sector, years, name in experiences:
        priors[person].append(Prior(sector, years, name))
    return spells, priors


def translator_figures(
    organisations: list[Organisation], as_of: dt.date, *, with_total: bool = True
) -> list[TranslatorRow]:
    """Each organisation's staff and senior staff who are translators on the date, then (when
    asked) the people of all of them together."""
    ids = [organisation.pk for organisation in organisations]
    staff = Employment.objects.filter(current_on(as_of), organisation_id__in=ids).values_list(
        "person_id", "organisation_id", "seniority"
    )
    staff_of: dict[int, set[int]] = defaultdict(set)
    senior_of: dict[int, set[int]] = defaultdict(set)
    for person, organisation, seniority in staff:
        staff_of[organisation].add(person)
        if seniority is not None and seniority >= SENIOR:
            senior_of[organisation].add(person)
    everyone = set().union(*staff_of.values()) if staff_of else set()
    spells, priors = _spells_and_priors(everyone, as_of)
    translator = {
        person: translators.measure(spells[person], priors[person], as_of).is_translator
        for person in everyone
    }

    def share(people: set[int]) -> Share:
        return Share(translators=sum(translator[p] for p in people), people=len(people))

    rows = [
        TranslatorRow(
            label=organisation.name,
            organisation_id=organisation.pk,
            staff=share(staff_of[organisation.pk]),
            senior=share(senior_of[organisation.pk]),
        )
        for organisation in organisations
    ]
    if with_total:
        seniors = set().union(*senior_of.values()) if senior_of else set()
        rows.append(
            TranslatorRow(
                label="All members (each person once)",
                organisation_id=None,
                staff=share(everyone),
                senior=share(seniors),
            )
        )
    return rows


def month_end(month: dt.date) -> dt.date:
    """The last day of the month starting on `month`."""
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def months_before(month: dt.date, count: int) -> list[dt.date]:
    """The `count` months before `month` (first days), oldest first."""
    months = []
    for _ in range(count):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months[::-1]


def take_translator_snapshots(today: dt.date | None = None) -> int:
    """Keep each member organisation's figures at the end of each of the last 12 completed
    months; only missing months are worked out, so running it again adds nothing. Returns how
    many snapshots it added."""
    today = today or timezone.localdate()
    months = months_before(today.replace(day=1), SNAPSHOT_MONTHS)
    added = 0
    for partnership in Partnership.objects.order_by("pk"):
        members = list(
            Organisation.objects.filter(
                Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=today),
                memberships__partnership=partnership,
            )
            .distinct()
            .order_by("pk")
        )
        for month in months:
            have = set(
                TranslatorSnapshot.objects.filter(
                    month=month, organisation__in=members
                ).values_list("organisation_id", flat=True)
            )
            missing = [organisation for organisation in members if organisation.pk not in have]
            if not missing:
                continue
            rows = translator_figures(missing, month_end(month), with_total=False)
            snapshots = [
                TranslatorSnapshot(
                    partnership=partnership,
                    organisation_id=row.organisation_id,
                    month=month,
                    staff=row.staff.people,
                    translators=row.staff.translators,
                    senior_staff=row.senior.people,
                    senior_translators=row.senior.translators,
                )
                for row in rows
            ]
            with transaction.atomic():
                # Two workers at once: the unique (organisation, month) keeps the first.
                created = TranslatorSnapshot.objects.bulk_create(snapshots, ignore_conflicts=True)
            added += len(created)
    return added


@dataclass
class MonthRow:
    """One month of the figures over time: the share per organisation, and members together."""

    month: dt.date
    live: bool
    shares: dict[int, tuple[Share, Share]] = field(default_factory=dict)  # staff, senior

    def together(self) -> tuple[Share, Share]:
        """Members' figures added up (a person with jobs at two members counts at each)."""
        staff = [pair[0] for pair in self.shares.values()]
        senior = [pair[1] for pair in self.shares.values()]
        return (
            Share(sum(s.translators for s in staff), sum(s.people for s in staff)),
            Share(sum(s.translators for s in senior), sum(s.people for s in senior)),
        )


def translators_over_time(
    organisations: list[Organisation], live: list[TranslatorRow], today: dt.date
) -> list[MonthRow]:
    """The last 12 months' snapshots of these organisations, then the current month, live."""
    months = months_before(today.replace(day=1), SNAPSHOT_MONTHS)
    rows = {month: MonthRow(month=month, live=False) for month in months}
    snapshots = TranslatorSnapshot.objects.filter(
        organisation__in=organisations, month__in=months
    ).values_list(
        "month", "organisation_id", "staff", "translators", "senior_staff", "senior_translators"
    )
    for month, organisation, staff, found, senior, senior_found in snapshots:
        rows[month].shares[organisation] = (Share(found, staff), Share(senior_found, senior))
    current = MonthRow(month=today.replace(day=1), live=True)
    for row in live:
        if row.organisation_id is not None:
            current.shares[row.organisation_id] = (row.staff, row.senior)
    return [row for row in rows.values() if row.shares] + [current]


# --- Moves between partner employers -----------------------------------------------------------


def partner_moves(
    members: frozenset[int], start: dt.date, end: dt.date, organisations: list[Organisation]
) -> list[leakage.Move]:
    """Moves between members in the period (see `leakage.partner_moves`) from or to one of
    `organisations`."""
    shown = {organisation.pk for organisation in organisations}
    member_ids = list(members)
    ended = Employment.objects.filter(
        organisation_id__in=member_ids, end_date__gte=start, end_date__lte=end
    ).exclude(kind=EmploymentKind.SECONDMENT)
    endings = [
        Ending(
            person=person,
            organisation=organisation,
            end=ended_on,
            destination_organisation=destination if destination in members else None,
        )
        for person, organisation, ended_on, destination in ended.values_list(
            "person_id", "organisation_id", "end_date", "destination_organisation_id"
        )
    ]
    started = Employment.objects.filter(
        organisation_id__in=member_ids,
        start_date__gte=start - dt.timedelta(days=7),
        start_date__lte=end + dt.timedelta(days=leakage.MOVE_GAP_DAYS),
    ).values_list("pk", "person_id", "organisation_id", "start_date", "kind")
    started = list(started)
    seconded = {person for _, person, _, _, kind in started if kind == EmploymentKind.SECONDMENT}
    other_jobs: dict[int, list[tuple[int, int, dt.date, dt.date | None]]] = defaultdict(list)
    for pk, person, organisation, job_start, job_end in (
        Employment.objects.filter(person_id__in=seconded, organisation_id__in=member_ids)
        .exclude(kind=EmploymentKind.SECONDMENT)
        .values_list("pk", "person_id", "organisation_id", "start_date", "end_date")
    ):
        other_jobs[person].append((pk, organisation, job_start, job_end))
    startings = []
    for pk, person, organisation, job_start, kind in started:
        secondment = kind == EmploymentKind.SECONDMENT
        held = frozenset(
            home
            for other, home, other_start, other_end in other_jobs.get(person, [])
            if secondment
            and other != pk
            and other_start <= job_start
            and (other_end is None or other_end >= job_start)
        )
        startings.append(Starting(person, organisation, job_start, secondment, held))
    moves = leakage.partner_moves(endings, startings, start, end)
    return [move for move in moves if move.source in shown or move.destination in shown]


@dataclass
class MoveRow:
    source: str
    destination: str
    moves: int
    secondments: int


def moves_table(moves: list[leakage.Move]) -> list[MoveRow]:
    """Moves counted per pair of organisations (by name), permanent moves and secondments apart."""
    names = dict(
        Organisation.objects.filter(
            pk__in={move.source for move in moves} | {move.destination for move in moves}
        ).values_list("pk", "name")
    )
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for move in moves:
        pair = (names[move.source], names[move.destination])
        counts[pair][0 if move.kind == "move" else 1] += 1
    return [
        MoveRow(source, destination, found[0], found[1])
        for (source, destination), found in sorted(counts.items())
    ]


# --- Leakage ------------------------------------------------------------------------------------


def leavers(
    organisations: list[Organisation], members: frozenset[int], start: dt.date, end: dt.date
) -> list[Leaver]:
    """The organisations' leavers in the period, each with its destination (see the docstring
    at the top); the leaver's organisation is its id, as text."""
    ids = [organisation.pk for organisation in organisations]
    ended = list(
        Employment.objects.filter(organisation_id__in=ids, end_date__gte=start, end_date__lte=end)
        .exclude(kind=EmploymentKind.SECONDMENT)
        .values_list(
            "person_id",
            "organisation_id",
            "end_date",
            "seniority",
            "destination",
            "destination_organisation_id",
            "destination_organisation__sector",
        )
    )
    later = defaultdict(list)
    for person, organisation, job_start in Employment.objects.filter(
        person_id__in={row[0] for row in ended},
        organisation_id__in=ids,
        start_date__gte=start,
        start_date__lte=end + dt.timedelta(days=leakage.MOVE_GAP_DAYS),
    ).values_list("person_id", "organisation_id", "start_date"):
        later[(person, organisation)].append(job_start)
    found = []
    for person, organisation, ended_on, seniority, destination, to, to_sector in ended:
        if any(
            ended_on < job_start <= ended_on + dt.timedelta(days=leakage.MOVE_GAP_DAYS)
            for job_start in later[(person, organisation)]
        ):
            continue
        found.append(
            Leaver(
                destination=destination,
                to_member=to is not None and to in members,
                organisation=str(organisation),
                band=seniority_band(seniority),
                left_on=ended_on,
                destination_sector=to_sector or "",
            )
        )
    return found


@dataclass
class LeakageRow:
    label: str
    figures: leakage.Figures


@dataclass
class Leakage:
    """Leakage in a period: all leavers, then by organisation, seniority band and month."""

    start: dt.date
    end: dt.date
    total: leakage.Figures
    by_organisation: list[LeakageRow]
    by_band: list[LeakageRow]
    by_month: list[LeakageRow]


def leakage_figures(
    organisations: list[Organisation], members: frozenset[int], start: dt.date, end: dt.date
) -> Leakage:
    """Leakage buckets in the period, by organisation (every one shown, even with no leavers),
    seniority band and month."""
    found = leavers(organisations, members, start, end)
    by_organisation = leakage.figures_by(found, lambda one: one.organisation)
    by_band = leakage.figures_by(found, lambda one: one.band)
    by_month = leakage.figures_by(found, leakage.month_of)
    empty = leakage.figures([])
    return Leakage(
        start=start,
        end=end,
        total=leakage.figures(found),
        by_organisation=[
            LeakageRow(org.name, by_organisation.get(str(org.pk), empty)) for org in organisations
        ],
        by_band=[LeakageRow(BAND_NAMES[band], by_band.get(band, empty)) for band in BANDS],
        by_month=[
            LeakageRow(f"{month:%B %Y}", figures)
            for month, figures in by_month.items()
            if isinstance(month, dt.date)
        ],
    )


def last_twelve_months(today: dt.date) -> tuple[dt.date, dt.date]:
    """The default period: the 12 months up to and including today."""
    try:
        start = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28)
    return start + dt.timedelta(days=1), today
