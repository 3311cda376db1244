"""Reads of accreditations that pages and the API share: learners reached and the cascade.

Learners reached by an accreditation are the distinct people whose booking on a run ended in an
attendance (completed, or attended but not completed) where the run's named trainer is the
accredited person, its programme is the accredited one or a programme adopted from it, and it
started (its first session, or a self-paced run's completion deadline) on or after the
accreditation date. When a trainer holds several accreditations of a programme (renewals), each
run counts once, for the latest of them dated on or before the run started. Cancelled runs never
count. The tree and its branch totals come from the pure core `materials/cascade.py`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Min, Q, QuerySet
from django.db.models.functions import Coalesce

from joinedup.learning.models import Booking, Outcome, Programme, Run

from . import cascade
from .models import Accreditation

ATTENDED = (Outcome.COMPLETED, Outcome.NOT_COMPLETED)


def delivering_programmes(programme: Programme) -> QuerySet[Programme]:
    """The programme and the programmes adopted from it (designed once, run elsewhere)."""
    return Programme.objects.filter(Q(pk=programme.pk) | Q(adopted_from=programme))


def learners_reached(programme: Programme, accreditations: list[Accreditation]) -> dict[int, int]:
    """Learners each accreditation of the programme reached directly, by accreditation id."""
    by_trainer: dict[int, list[Accreditation]] = defaultdict(list)
    for accreditation in sorted(accreditations, key=lambda a: (a.accredited_on, a.pk)):
        by_trainer[accreditation.person_id].append(accreditation)
    counts = {accreditation.pk: 0 for accreditation in accreditations}
    if not by_trainer:
        return counts
    runs = (
        Run.objects.filter(
            programme__in=delivering_programmes(programme),
            trainer__in=list(by_trainer),
            cancelled_at__isnull=True,
        )
        .annotate(start=Coalesce(Min("sessions__date"), F("completion_deadline")))
        .values_list("pk", "trainer_id", "start")
    )
    run_to_accreditation: dict[int, int] = {}
    for run_id, trainer_id, start in runs:
        held = _in_force_at(by_trainer[trainer_id], start)
        if held is not None:
            run_to_accreditation[run_id] = held.pk
    if not run_to_accreditation:
        return counts
    learners: dict[int, set[int]] = defaultdict(set)
    attended = Booking.objects.filter(
        run__in=list(run_to_accreditation), outcome__in=ATTENDED
    ).values_list("run_id", "person_id")
    for run_id, person_id in attended:
        learners[run_to_accreditation[run_id]].add(person_id)
    counts.update({pk: len(people) for pk, people in learners.items()})
    return counts


def _in_force_at(held: list[Accreditation], start: dt.date | None) -> Accreditation | None:
    """The latest of a trainer's accreditations (in date order) dated on or before the start."""
    if start is None:
        return None
    found = None
    for accreditation in held:
        if accreditation.accredited_on <= start:
            found = accreditation
    return found


@dataclass(frozen=True)
class Cascade:
    """A programme's accreditations as a tree, with each one's accreditation row."""

    roots: list[cascade.CascadeNode]
    accreditations: dict[int, Accreditation]

    def rows(self) -> list[tuple[cascade.CascadeNode, Accreditation]]:
        """Every node with its accreditation, each before its trainees."""
        return [(node, self.accreditations[node.id]) for node in cascade.walk(self.roots)]

    def node(self, pk: int) -> cascade.CascadeNode | None:
        return next((node for node in cascade.walk(self.roots) if node.id == pk), None)

    @property
    def total_learners(self) -> int:
        return cascade.total_learners(self.roots)

    @property
    def trainers(self) -> int:
        return len(self.accreditations)


def cascade_of(programme: Programme) -> Cascade:
    """Every accreditation of the programme (withdrawn ones too: they hold the tree together)
    as a tree with the learners each branch reached."""
    accreditations = list(
        Accreditation.objects.filter(programme=programme)
        .select_related("person", "accredited_by", "evidence_material")
        .order_by("accredited_on", "pk")
    )
    reached = learners_reached(programme, accreditations)
    roots = cascade.build_cascade(
        cascade.Node(a.pk, a.trained_by_id, a.person.full_name, reached[a.pk])
        for a in accreditations
    )
    return Cascade(roots, {a.pk: a for a in accreditations})


def programme_accreditations(programme: Programme) -> QuerySet[Accreditation]:
    """A programme's accreditations for its list, newest first."""
    return (
        Accreditation.objects.filter(programme=programme)
        .select_related("person", "accredited_by", "trained_by__person", "evidence_material")
        .order_by("-accredited_on", "-pk")
    )


def accreditations_of(person_id: int) -> QuerySet[Accreditation]:
    """A person's own accreditations, newest first."""
    return (
        Accreditation.objects.filter(person_id=person_id)
        .select_related("programme__host", "accredited_by", "evidence_material")
        .order_by("-accredited_on", "-pk")
    )
