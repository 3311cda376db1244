"""Reads over opportunities that pages and the API share: the search, "recommended for you" and
the host's "people who might fit", both ranked by `talent/ranking.py`.

People who might fit are found in two steps so a million opted-in profiles rank quickly: SQL
over the profile skills (skill in the wanted ones, discoverable) sums the skill weights per
profile, joins the profile (partnership, opt-in, seniority, sector) and keeps the best few
hundred by exactly the points `ranking.score` gives; those are then fetched through
`access.visible_profiles` and scored by `ranking` for the order and the reasons. There is no
cache: `discoverable` is read from the profile row itself, so an opt-out is gone from the very
next ranking.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from joinedup.partnership.access import acting_partnerships
from joinedup.partnership.actor import Actor

from . import access, ranking
from .applications import home_employment
from .models import (
    Audience,
    Opportunity,
    OpportunityStatus,
    Profile,
    ProfileSkill,
)

TOP = 50
PRE_FILTER = 200
RECOMMENDED = 20
CONSIDERED_OPPORTUNITIES = 500


@dataclass(frozen=True)
class Fit:
    """A profile with its score and reasons for one opportunity."""

    profile: Profile
    scored: ranking.Scored


@dataclass(frozen=True)
class Recommendation:
    """An opportunity with its score and reasons for one person."""

    opportunity: Opportunity
    scored: ranking.Scored


# --- Search ----------------------------------------------------------------------------------


def search_opportunities(
    actor: Actor,
    *,
    kind: str = "",
    host: int | None = None,
    sector: str = "",
    text: str = "",
    remote: bool | None = None,
    include_ended: bool = False,
) -> QuerySet[Opportunity]:
    """Visible opportunities matching the filters (open and not past their closing date, unless
    `include_ended`)."""
    found = access.visible_opportunities(actor).select_related("host")
    if not include_ended:
        found = found.filter(status=OpportunityStatus.OPEN, closes_on__gte=timezone.localdate())
    if kind:
        found = found.filter(kind=kind)
    if host:
        found = found.filter(host_id=host)
    if sector:
        found = found.filter(host__sector=sector)
    if remote is not None:
        found = found.filter(remote=remote)
    for word in text.split()[:8]:
        found = found.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return found


# --- Wanted skills and candidates ------------------------------------------------------------


def wanted_of(opportunity: Opportunity) -> ranking.Wanted:
    """The opportunity as the ranking sees it."""
    rows = opportunity.opportunity_skills.all()
    return ranking.Wanted(
        essential=frozenset(row.skill_id for row in rows if row.essential),
        desirable=frozenset(row.skill_id for row in rows if not row.essential),
        seniority_min=opportunity.seniority_min,
        seniority_max=opportunity.seniority_max,
        host_sector=opportunity.host.sector,
        key=opportunity.pk,
        skill_names={row.skill_id: row.skill.name for row in rows},
    )


def _candidate(profile: Profile, skills: frozenset[int]) -> ranking.Candidate:
    return ranking.Candidate(
        key=profile.pk, skills=skills, sector=profile.sector, seniority=profile.seniority
    )


# --- People who might fit --------------------------------------------------------------------


def _marks(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def _pre_filter(
    actor: Actor, opportunity: Opportunity, wanted: ranking.Wanted, top: int, limit: int
) -> list[int]:
    """Ids of the best `limit` discoverable profiles by the ranking's own points, in SQL (exact
    for the best `top` of them)."""
    partnerships = [p.pk for p in acting_partnerships(actor)]
    if not partnerships:
        return []
    essential = sorted(wanted.essential)
    every = sorted(wanted.essential | wanted.desirable)
    low, high = wanted.seniority_min, wanted.seniority_max
    seniority = (
        f"CASE WHEN p.seniority IS NULL THEN {ranking.SENIORITY_UNKNOWN_POINTS}"
        f" WHEN p.seniority BETWEEN {low:d} AND {high:d} THEN {ranking.SENIORITY_POINTS}"
        f" WHEN p.seniority BETWEEN {low - 1:d} AND {high + 1:d}"
        f" THEN {ranking.SENIORITY_NEAR_POINTS} ELSE 0 END"
    )
    if wanted.host_sector:
        sector = (
            f"CASE WHEN p.sector <> '' AND p.sector <> %s THEN {ranking.SECTOR_POINTS} ELSE 0 END"
        )
        sector_params = [wanted.host_sector]
    else:
        sector, sector_params = "0", []
    profile_conditions = (
        f"p.discoverable = %s AND p.partnership_id IN ({_marks(partnerships)})"
        " AND (p.organisation_id IS NULL OR p.organisation_id <> %s) AND p.person_id <> %s"
    )
    profile_params = [True, *partnerships, opportunity.host_id, actor.person_id or 0]
    # The text holds only placeholders and integers of the ranking and the opportunity's range.
    # The skill rows are read from their index alone (skill, discoverable, profile): the wanted
    # skills are the opportunity's partnership's, and the profile row itself is checked for the
    # partnership and discoverability, so an opt-out is gone even before its skill rows change.
    if not every:
        sql = (
            f"SELECT p.id, {seniority} + {sector} AS points FROM talent_profile p"  # noqa: S608
            f" WHERE {profile_conditions} ORDER BY points DESC, p.id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*sector_params, *profile_params, limit])
            return [row[0] for row in cursor.fetchall()]
    essential_case = f"ps.skill_id IN ({_marks(essential)})" if essential else "1 = 0"
    total = wanted.total_weight
    weights = (
        "SELECT ps.profile_id,"  # noqa: S608
        f" SUM(CASE WHEN {essential_case} THEN {ranking.ESSENTIAL_WEIGHT}"
        f" ELSE {ranking.DESIRABLE_WEIGHT} END) AS w,"
        f" SUM(CASE WHEN {essential_case} THEN 1 ELSE 0 END) AS e"
        " FROM talent_profileskill ps"
        f" WHERE ps.skill_id IN ({_marks(every)}) AND ps.discoverable = %s"
        " GROUP BY ps.profile_id"
    )
    weight_params = [*essential, *essential, *every, True]
    points = f"({ranking.SKILL_POINTS} * m.w) / {total:d} + {seniority} + {sector}"
    if connection.vendor != "postgresql":
        sql = (
            f"SELECT p.id, {points} AS points, m.e AS held FROM ({weights}) m"  # noqa: S608
            f" JOIN talent_profile p ON p.id = m.profile_id WHERE {profile_conditions}"
            " ORDER BY points DESC, held DESC, p.id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*sector_params, *weight_params, *profile_params, limit])
            return [row[0] for row in cursor.fetchall()]
    return _bounded(
        weights,
        weight_params,
        points,
        sector_params,
        profile_conditions,
        profile_params,
        total=total,
        top=top,
        limit=limit,
    )


# Seniority and sector add at most this to the skill points.
BONUS = ranking.SENIORITY_POINTS + ranking.SECTOR_POINTS
# The first pass looks up the profiles holding at least the weight of the this-many-times-`top`
# heaviest (ties included).
FIRST_PASS = 4


def _bounded(
    weights: str,
    weight_params: list,
    points: str,
    sector_params: list,
    profile_conditions: str,
    profile_params: list,
    *,
    total: int,
    top: int,
    limit: int,
) -> list[int]:
    """PostgreSQL: look up only the profiles that could still reach the top, by their key.

    The first pass keeps the profiles holding at least the skill weight of the
    `FIRST_PASS * top`-th heaviest. A profile's points are at least its skill points and at most
    those plus `BONUS`, so when the next lighter weight's skill points plus `BONUS` fall short of
    the `top`-th best points found, nobody left out could have reached the top: the answer is
    exact. Otherwise a second pass keeps every weight that could still reach those points (the
    `top`-th best can only rise as more are looked up, so the second pass is exact)."""

    def run(floor: int | None) -> list[tuple]:
        sql = (
            f"WITH m AS MATERIALIZED ({weights}),"  # noqa: S608
            " cut AS (SELECT w FROM m ORDER BY w DESC LIMIT 1 OFFSET %s),"
            " kept AS (SELECT * FROM m WHERE w >= COALESCE(%s::integer, (SELECT w FROM cut), 0))"
            " SELECT p.id, p.points,"
            " (SELECT max(w) FROM m WHERE w < (SELECT min(w) FROM kept)) AS next_w"
            " FROM kept m CROSS JOIN LATERAL"
            f" (SELECT p.id, {points} AS points FROM talent_profile p"
            f" WHERE p.id = m.profile_id AND {profile_conditions} OFFSET 0) p"
            " ORDER BY p.points DESC, m.e DESC, p.id LIMIT %s"
        )
        params = [
            *weight_params,
            FIRST_PASS * top - 1,
            floor,
            *sector_params,
            *profile_params,
            limit,
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            # The per-profile sums of popular skills fit in memory rather than spill to disk, and
            # compiling the plan (JIT) would cost more than running it.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(sql, params)
            return cursor.fetchall()

    rows = run(None)
    lighter = rows[0][2] if rows else None
    if lighter is None:
        return [row[0] for row in rows]
    if len(rows) >= top and ranking.skill_points(lighter, total) + BONUS < rows[top - 1][1]:
        return [row[0] for row in rows]
    floor = 0
    if len(rows) >= top:
        reach = rows[top - 1][1]
        floor = next(
            (w for w in range(total + 1) if ranking.skill_points(w, total) + BONUS >= reach),
            total,
        )
    return [row[0] for row in run(floor)]


def people_who_might_fit(actor: Actor, opportunity: Opportunity, limit: int = TOP) -> list[Fit]:
    """The host's best `limit` discoverable profiles of the partnership for the opportunity,
    with reasons; the host's own staff and the host themselves are left out."""
    if not access.may_manage_opportunity(actor, opportunity):
        raise PermissionDenied
    wanted = wanted_of(opportunity)
    ids = _pre_filter(actor, opportunity, wanted, limit, max(PRE_FILTER, limit))
    if not ids:
        return []
    profiles = {
        profile.pk: profile
        for profile in access.visible_profiles(actor)
        .filter(pk__in=ids, discoverable=True)
        .select_related("person", "organisation")
    }
    held: dict[int, set[int]] = {pk: set() for pk in profiles}
    wanted_ids = wanted.essential | wanted.desirable
    for profile_id, skill_id in ProfileSkill.objects.filter(
        profile_id__in=list(profiles), skill_id__in=wanted_ids
    ).values_list("profile_id", "skill_id"):
        held[profile_id].add(skill_id)
    candidates = [_candidate(profile, frozenset(held[pk])) for pk, profile in profiles.items()]
    return [
        Fit(profile=profiles[scored.key], scored=scored)
        for scored in ranking.rank_candidates(wanted, candidates, limit)
    ]


# --- Recommended for you ---------------------------------------------------------------------


def candidate_for(actor: Actor) -> ranking.Candidate | None:
    """The actor as a candidate: their profile's skills, sector and seniority, or their job's."""
    if actor.person is None or actor.organisation is None:
        return None
    profile = Profile.objects.filter(person=actor.person).first()
    skills = (
        frozenset(ProfileSkill.objects.filter(profile=profile).values_list("skill_id", flat=True))
        if profile is not None
        else frozenset()
    )
    seniority = profile.seniority if profile is not None else None
    if seniority is None:
        job = home_employment(actor)
        seniority = job.seniority if job is not None else None
    sector = (profile.sector if profile is not None else "") or actor.organisation.sector
    return ranking.Candidate(
        key=profile.pk if profile is not None else 0,
        skills=skills,
        sector=sector,
        seniority=seniority,
    )


def eligible_opportunities(actor: Actor) -> QuerySet[Opportunity]:
    """Open opportunities, not yet closed, of other organisations whose audience includes the
    acting organisation (sectors are checked in `recommended_for`)."""
    if actor.organisation is None:
        return Opportunity.objects.none()
    organisation = actor.organisation
    return (
        access.visible_opportunities(actor)
        .filter(status=OpportunityStatus.OPEN, closes_on__gte=timezone.localdate())
        .exclude(host=organisation)
        .filter(
            Q(audience=Audience.PARTNERSHIP)
            | Q(audience=Audience.SECTORS)
            | Q(audience=Audience.ORGANISATIONS, audience_organisations=organisation)
        )
        .distinct()
    )


def recommended_for(actor: Actor, limit: int = RECOMMENDED) -> list[Recommendation]:
    """The open opportunities the person may apply for, best first, with reasons."""
    candidate = candidate_for(actor)
    if candidate is None or actor.organisation is None:
        return []
    sector = actor.organisation.sector
    considered = [
        opportunity
        for opportunity in eligible_opportunities(actor)
        .select_related("host")
        .prefetch_related("opportunity_skills__skill")
        .order_by("closes_on", "id")[:CONSIDERED_OPPORTUNITIES]
        if opportunity.audience != Audience.SECTORS or sector in opportunity.audience_sectors
    ]
    if candidate.seniority is not None:
        considered = [
            o
            for o in considered
            if o.seniority_min - 1 <= candidate.seniority <= o.seniority_max + 1
        ]
    by_pk = {opportunity.pk: opportunity for opportunity in considered}
    ranked = ranking.rank_opportunities(candidate, (wanted_of(o) for o in considered), limit)
    return [Recommendation(opportunity=by_pk[scored.key], scored=scored) for scored in ranked]
