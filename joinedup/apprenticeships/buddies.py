"""Buddies: pairing a cohort's apprentices with someone from another employer, and re-pairing
whoever is left behind when their buddy withdraws or completes, or when a move puts a pair inside
one employer.

The pairing itself is `buddy_pairing.plan_pairs` (plain data); this module feeds it the cohort's
current apprentices (open statuses) and active pairs, and saves its answer in one transaction
with one audit entry. Pairs are ended, never deleted, so the history stays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor

from . import access
from .buddy_pairing import Apprentice, Plan, plan_pairs
from .models import BuddyPair, Cohort, Enrolment

KIND = "apprenticeships.cohort"
WITHDRAWN_REASON = "Buddy withdrew from the apprenticeship"
SAME_EMPLOYER_REASON = "Moved to the same employer as their buddy"
COMPLETED_REASON = "Buddy completed the apprenticeship"


@dataclass(frozen=True)
class Pairing:
    """What a pairing did: the pairs made and who could not be paired (enrolment, reason)."""

    made: list[BuddyPair]
    unpaired: list[tuple[Enrolment, str]]


def _current(cohort: Cohort) -> list[Apprentice]:
    rows = Enrolment.objects.filter(cohort=cohort, status__in=access.BUDDY_OPEN)
    return [Apprentice(pk, employer) for pk, employer in rows.values_list("pk", "employer_id")]


def _active(cohort: Cohort) -> list[tuple[int, int]]:
    rows = BuddyPair.objects.filter(cohort=cohort, ended_on__isnull=True)
    return list(rows.values_list("first_id", "second_id"))


def plan_for(cohort: Cohort, *, waiting: list[int] | None = None) -> Plan:
    """What pairing the cohort now would do (nothing is saved)."""
    return plan_pairs(_current(cohort), _active(cohort), waiting=waiting)


def _save(cohort: Cohort, plan: Plan, on: dt.date) -> Pairing:
    made = BuddyPair.objects.bulk_create(
        [
            BuddyPair(cohort=cohort, first_id=first, second_id=second, paired_on=on)
            for first, second in plan.pairs
        ]
    )
    left = {e.pk: e for e in Enrolment.objects.filter(pk__in=[pk for pk, _ in plan.unpaired])}
    return Pairing(made=made, unpaired=[(left[pk], reason) for pk, reason in plan.unpaired])


def _record(actor: Actor | None, action: str, cohort: Cohort, changes: dict) -> None:
    audit.record(
        actor=actor,
        action=f"buddies.{action}",
        kind=KIND,
        object_id=cohort.pk,
        label=cohort.name,
        organisation=cohort.programme.provider,
        partnership=cohort.programme.partnership,
        changes=changes,
    )


def pair_cohort(cohort: Cohort, actor: Actor) -> Pairing:
    """Pair every current apprentice of the cohort who has no buddy (the provider's programme
    leaders); active pairs are kept."""
    if not access.may_pair_buddies(actor, cohort):
        raise PermissionDenied
    with transaction.atomic():
        # One pairing of a cohort at a time: a second press waits, then finds everyone paired.
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        pairing = _save(cohort, plan_for(cohort), timezone.localdate())
        if pairing.made:
            _record(
                actor,
                "paired",
                cohort,
                {"pairs": [[p.first_id, p.second_id] for p in pairing.made]},
            )
    return pairing


def _end_and_repair(
    enrolment: Enrolment,
    *,
    reason: str,
    action: str,
    actor: Actor | None,
    moved: bool = False,
) -> Pairing:
    """End the enrolment's active pairs (after a move, only those now inside one employer) and
    pair whoever is left without a buddy with someone from another employer; one audit entry.
    The enrolment itself waits for a new buddy only after a move (it is still current)."""
    cohort = Cohort.objects.select_related("programme__provider", "programme__partnership").get(
        pk=enrolment.cohort_id
    )
    today = timezone.localdate()
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        ending = BuddyPair.objects.filter(ended_on__isnull=True).filter(
            Q(first=enrolment) | Q(second=enrolment)
        )
        if moved:
            ending = ending.filter(first__employer_id=F("second__employer_id"))
        partners = [
            second if first == enrolment.pk else first
            for first, second in ending.values_list("first_id", "second_id")
        ]
        if not partners:
            return Pairing(made=[], unpaired=[])
        ending.update(ended_on=today, ended_reason=reason)
        waiting = [*partners, enrolment.pk] if moved else partners
        pairing = _save(cohort, plan_for(cohort, waiting=waiting), today)
        _record(
            actor,
            action,
            cohort,
            {
                "enrolment": enrolment.pk,
                "left_behind": sorted(partners),
                "pairs": [[p.first_id, p.second_id] for p in pairing.made],
            },
        )
    return pairing


def on_withdrawal(enrolment: Enrolment, *, actor: Actor | None = None) -> Pairing:
    """End the withdrawn apprentice's pairs and pair each buddy left without one with someone
    from another employer. Called by `enrolments.change_status`, inside its transaction."""
    return _end_and_repair(
        enrolment, reason=WITHDRAWN_REASON, action="repaired_after_withdrawal", actor=actor
    )


def after_completion(enrolment: Enrolment, *, actor: Actor | None = None) -> Pairing:
    """The apprentice completed: their pairs end and each buddy still training who is left
    without one is paired again. Called by `enrolments.change_status`, inside its transaction."""
    return _end_and_repair(
        enrolment, reason=COMPLETED_REASON, action="repaired_after_completion", actor=actor
    )


def after_employer_change(enrolment: Enrolment, *, actor: Actor | None = None) -> Pairing:
    """The apprentice moved employer: a pair now inside one employer ends, and both are paired
    again across employers. Called by `enrolments.change_employer`, inside its transaction."""
    return _end_and_repair(
        enrolment,
        reason=SAME_EMPLOYER_REASON,
        action="repaired_after_employer_change",
        actor=actor,
        moved=True,
    )
