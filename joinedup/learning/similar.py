"""Similar programmes and plans for a page: the similarity core (`similarity.py`) kept current.

Each process holds one `SimilarityIndex` of every programme ("programme:<pk>") and every open
commissioning plan ("plan:<pk>"), built from the database on first use. The services that create,
edit or close a programme or plan add a `SimilarityChange` row in the same transaction
(`record_change`); before answering, the index applies every row newer than the last it applied,
so several worker processes agree with the database.

Rows can commit out of id order (two transactions take ids 10 and 11; 11 commits first). An id
missing below the newest applied is remembered as a gap and asked for again for `GAP_SECONDS`,
after which it is taken to be a rolled-back transaction.

Bulk writers (`generate.py`, demo data) do not log each programme: they call `record_rebuild`,
a row with object id 0 (never a real primary key), and every process rebuilds its index from the
database when it reads one. The same happens when the log has been pruned past what a process
last applied (`prune_changes`).

Who may see a match is decided by `learning.access`, after the index answers: the index asks for
more matches while too few of them are visible to the viewer.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from joinedup.partnership.actor import Actor

from . import access
from .models import CommissioningPlan, PlanStatus, Programme, SimilarityChange
from .similarity import Item, Pair, SimilarityIndex

PROGRAMME = "programme"
PLAN = "plan"
REBUILD = 0  # a change row's object id meaning "rebuild the whole index"
GAP_SECONDS = 300.0
SHOWN = 5  # matches of each kind shown on a page
# Matches asked of the index: 50 (about 10 ms among 50,000 programmes on a quiet machine), then
# 1,000 only when fewer than SHOWN of the first are programmes the viewer sees. Plans are those
# among the matches asked for: a plan is offered when it is among the 50 items most like the
# question (asking for 5,000 to find more plans took seconds at 50,000 programmes).
ASKS = (50, 1_000)


def item_id(kind: str, pk: int) -> str:
    """The index's id of a programme or plan."""
    return f"{kind}:{pk}"


def parse_item_id(value: str) -> tuple[str, int]:
    """The kind and primary key of an index id."""
    kind, _, pk = value.partition(":")
    return kind, int(pk)


def record_change(kind: str, pk: int) -> None:
    """Log that a programme or plan changed; call inside the transaction that changes it."""
    SimilarityChange.objects.create(kind=kind, object_id=pk)


def record_rebuild() -> None:
    """Log that many programmes changed at once, so every process rebuilds its index."""
    SimilarityChange.objects.create(kind=PROGRAMME, object_id=REBUILD)


def prune_changes(keep: int = 10_000) -> int:
    """Delete all but the newest `keep` change rows; processes behind them rebuild. How many."""
    newest = SimilarityChange.objects.order_by("-id").values_list("id", flat=True)[keep : keep + 1]
    boundary = list(newest)
    if not boundary:
        return 0
    deleted, _ = SimilarityChange.objects.filter(id__lte=boundary[0]).delete()
    return deleted


def _plan_summary(need: str, audience: str) -> str:
    return f"{need} {audience}".strip()


def programme_items(pks: Iterable[int] | None = None) -> list[Item]:
    """Programmes as the index sees them (all of them when `pks` is None), in two queries."""
    programmes = Programme.objects.order_by()
    links = Programme.topics.through.objects.order_by()
    if pks is not None:
        pks = list(pks)
        programmes = programmes.filter(pk__in=pks)
        links = links.filter(programme_id__in=pks)
    topics: dict[int, list[str]] = defaultdict(list)
    for programme_id, name in links.values_list("programme_id", "topic__name").iterator(
        chunk_size=20_000
    ):
        topics[programme_id].append(name)
    return [
        Item(item_id(PROGRAMME, pk), title, summary, tuple(sorted(topics.get(pk, ()))))
        for pk, title, summary in programmes.values_list("pk", "title", "summary").iterator(
            chunk_size=20_000
        )
    ]


def plan_items(pks: Iterable[int] | None = None) -> list[Item]:
    """Open plans as the index sees them (all open ones when `pks` is None)."""
    plans = CommissioningPlan.objects.filter(status=PlanStatus.OPEN).order_by()
    links = CommissioningPlan.topics.through.objects.filter(
        commissioningplan__status=PlanStatus.OPEN
    ).order_by()
    if pks is not None:
        pks = list(pks)
        plans = plans.filter(pk__in=pks)
        links = links.filter(commissioningplan_id__in=pks)
    topics: dict[int, list[str]] = defaultdict(list)
    for plan_id, name in links.values_list("commissioningplan_id", "topic__name"):
        topics[plan_id].append(name)
    return [
        Item(
            item_id(PLAN, pk),
            title,
            _plan_summary(need, audience),
            tuple(sorted(topics.get(pk, ()))),
        )
        for pk, title, need, audience in plans.values_list("pk", "title", "need", "audience")
    ]


@dataclass
class LiveIndex:
    """One process's index and how far through the change log it is."""

    index: SimilarityIndex | None = None
    last_id: int = 0
    gaps: dict[int, float] = field(default_factory=dict)  # missing id -> when first missed
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuild(self) -> None:
        """Build the index afresh from the database, from the newest change row on."""
        with transaction.atomic():
            last = SimilarityChange.objects.order_by("-id").values_list("id", flat=True).first()
            self.index = SimilarityIndex.of([*programme_items(), *plan_items()])
        self.last_id = last or 0
        self.gaps = {}

    def catch_up(self) -> SimilarityIndex:
        """The index with every logged change applied (built on first use)."""
        with self.lock:
            return self._caught_up()

    def _caught_up(self) -> SimilarityIndex:
        if self.index is None:
            self.rebuild()
        self._apply_new_changes()
        assert self.index is not None
        return self.index

    def near_duplicates(self, threshold: float) -> list[Pair]:
        """Every pair of items at least this alike, from the index brought up to date."""
        with self.lock:
            return self._caught_up().near_duplicates(threshold)

    def _apply_new_changes(self) -> None:
        now = time.monotonic()
        self.gaps = {gap: seen for gap, seen in self.gaps.items() if now - seen < GAP_SECONDS}
        # The last applied row is read again: when it is gone, the log was pruned past us.
        wanted = Q(id__gte=self.last_id) | Q(id__in=list(self.gaps))
        changes = list(
            SimilarityChange.objects.filter(wanted)
            .order_by("id")
            .values_list("id", "kind", "object_id")
        )
        if self.last_id and not any(change_id == self.last_id for change_id, _, _ in changes):
            self.rebuild()
            return
        changes = [change for change in changes if change[0] != self.last_id]
        if not changes:
            return
        if any(object_id == REBUILD for _, _, object_id in changes):
            self.rebuild()
            return
        seen = {change_id for change_id, _, _ in changes}
        newest = max(seen)
        for missing in range(self.last_id + 1, newest):
            if missing not in seen:
                self.gaps.setdefault(missing, now)
        for change_id in seen:
            self.gaps.pop(change_id, None)
        self.last_id = max(self.last_id, newest)
        self._apply({(kind, object_id) for _, kind, object_id in changes})

    def _apply(self, changed: set[tuple[str, int]]) -> None:
        assert self.index is not None
        programme_pks = {pk for kind, pk in changed if kind == PROGRAMME}
        plan_pks = {pk for kind, pk in changed if kind == PLAN}
        current = [*programme_items(programme_pks), *plan_items(plan_pks)]
        for item in current:
            self.index.update(item)
        present = {item.id for item in current}
        for kind, pk in changed:
            gone = item_id(kind, pk)
            if gone not in present and gone in self.index:
                self.index.remove(gone)


_live = LiveIndex()


def live_index() -> SimilarityIndex:
    """This process's index, brought up to date with the change log."""
    return _live.catch_up()


def near_duplicate_pairs(threshold: float) -> list[Pair]:
    """Every pair of programmes or plans at least this alike, from this process's index (kept
    between reports, so a worker builds it once)."""
    return _live.near_duplicates(threshold)


def reset_for_tests() -> None:
    """Forget this process's index (each test's database starts afresh)."""
    global _live
    _live = LiveIndex()


# --- What a page shows ------------------------------------------------------------------------


@dataclass(frozen=True)
class SimilarProgramme:
    programme: Programme
    score: float
    shared_terms: tuple[str, ...]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True)
class SimilarPlan:
    plan: CommissioningPlan
    score: float
    shared_terms: tuple[str, ...]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True)
class SimilarItems:
    programmes: list[SimilarProgramme]
    plans: list[SimilarPlan]

    def __bool__(self) -> bool:
        return bool(self.programmes or self.plans)


def _similar(query: Item, viewer: Actor) -> SimilarItems:
    """The visible programmes most like the query, and other organisations' open plans."""
    index = live_index()
    programmes: list[SimilarProgramme] = []
    plans: list[SimilarPlan] = []
    for ask in ASKS:
        matches = index.most_similar(query, k=ask)
        by_kind: dict[str, dict[int, tuple[float, tuple[str, ...]]]] = defaultdict(dict)
        for match in matches:
            kind, pk = parse_item_id(match.id)
            by_kind[kind][pk] = (match.score, match.shared_terms)
        # Which candidates the viewer sees, as ids; only those shown are read whole.
        seen = set(
            access.visible_programmes(viewer)
            .filter(pk__in=list(by_kind[PROGRAMME]))
            .values_list("pk", flat=True)
        )
        shown = [pk for pk in by_kind[PROGRAMME] if pk in seen][:SHOWN]
        found = Programme.objects.select_related("host").in_bulk(shown)
        plan_rows = access.similar_plans_for(viewer).filter(pk__in=list(by_kind[PLAN]))
        if viewer.organisation is not None:
            plan_rows = plan_rows.exclude(organisation=viewer.organisation)
        found_plans = {p.pk: p for p in plan_rows.select_related("organisation")}
        programmes = [SimilarProgramme(found[pk], *by_kind[PROGRAMME][pk]) for pk in shown]
        plans = [
            SimilarPlan(found_plans[pk], *by_kind[PLAN][pk])
            for pk in by_kind[PLAN]
            if pk in found_plans
        ][:SHOWN]
        if len(programmes) >= SHOWN or len(matches) < ask:
            break
    return SimilarItems(programmes, plans)


def plan_item(plan: CommissioningPlan) -> Item:
    """A plan as the index sees it, from the database row."""
    names = tuple(sorted(plan.topics.values_list("name", flat=True)))
    return Item(item_id(PLAN, plan.pk), plan.title, _plan_summary(plan.need, plan.audience), names)


def programme_item(programme: Programme) -> Item:
    """A programme as the index sees it, from the database row."""
    names = tuple(sorted(programme.topics.values_list("name", flat=True)))
    return Item(item_id(PROGRAMME, programme.pk), programme.title, programme.summary, names)


def similar_for_plan(plan: CommissioningPlan, viewer: Actor) -> SimilarItems:
    """The programmes most like a plan that the viewer sees, and other organisations' open plans."""
    return _similar(plan_item(plan), viewer)


def similar_for_programme(programme: Programme, viewer: Actor) -> SimilarItems:
    """The programmes most like a programme that the viewer sees, and others' open plans."""
    return _similar(programme_item(programme), viewer)
