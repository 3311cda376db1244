"""The levy pooling optimiser: which sender should fund which apprenticeship need.

Pure Python plus OR-Tools' CP-SAT solver, no Django. Fed plain `Sender`s and `Need`s, it returns
plain plans. The rules (levy issue, "Pooling optimiser"): a plan funds each need entirely from one
sender or not at all; a sender never funds a need of its own organisation (same id); the total cost
of the needs a sender funds is at most its allowance. A sender's **expiry avoided**: the costs of
its funded needs are spending by month; in month order, each month's spending is taken from the
sender's expiring amounts whose month is the same or later, earliest first; the total taken is
avoided. The best plan maximises the total expiry avoided and, among those, the sum of the
priorities of the funded needs.

Why the solver model is exact (the figures reported are always recomputed from the chosen plan with
the rule above, in exact `Decimal`; the model only has to choose a plan that is optimal):

*The greedy rule is a maximum flow.* Let d_i be the spending in month i and e_j the amount expiring
in month j; spending in month i may cover expiry in any month j >= i. Every cover is a flow from
spending months to expiring months, so for every threshold month t it is at most
D(<t) + E(>=t): spending before t counted in full, and what spending from t onwards covers can
only be expiry from t onwards. The greedy rule reaches the smallest of these bounds, so it is a
maximum flow (and that minimum is the maximum): take t* the earliest month from which every
expiring amount is used up at the end (or "after every month" when the last is not). No spending
in a month i < t* is left uncovered: it would have found every expiring amount from i on used up,
and those stay used up, so t* <= i. No spending in a month i < t* took expiry from a month
j >= t*: earliest first, it would have found everything from i to j used up, so again t* <= i.
So the greedy covers D(<t*) with expiry before t* and all of E(>=t*), that is the bound at t*.

*Only the expiring months matter.* Between two expiring months j_k < t <= j_(k+1), E(>=t) is
constant and D(<t) grows with t, so the smallest bound in that range is at t just after j_k:
D(<=j_k) + E(>j_k); before the first expiring month the smallest bound is E (nothing spent yet). So

    avoided = min(E, min over expiring months j_k of D(<=j_k) + E(>j_k)),

linear in the choice of needs, and in the model each sender's avoided amount A_s is an integer
variable bounded by each of these terms; maximising makes it equal to the smallest. Amounts are
scaled to integers exactly (by ten to the most decimal places in the input), so the model is exact.

*The lexicographic objective* is one weighted objective: W x avoided + priorities, with W one more
than the largest possible sum of priorities, so one unit of avoided expiry outweighs every priority.

*Reductions.* A pair (need, sender) is a candidate only if the sender may fund the need (another
organisation, the cost within its allowance). A candidate helps avoid expiry only if the need spends
something by the sender's last expiring month; the others only add priority. The model is solved
first with the helpful pairs only, split into independent components (senders and needs connected
through helpful pairs), with the best start (`_Problem.start`) as a hint; then the needs still
unfunded are fitted into the allowance left. Dropping the unhelpful transfers of any plan keeps its
expiry avoided, so the first stage's avoided amount is the optimum; if every need that any sender
could fund is then funded, the priority sum is also the most possible and the plan is optimal. Only
otherwise is the whole model, with every candidate, solved. A bound row whose E(>j_k) alone is at
least A_s's upper bound can never bind and is left out, and so is the allowance row of a sender that
could fund all of its candidates at once.

*How far exactness goes.* The model's linear relaxation cannot be closed by whole needs (fractions
of needs fill each sender's expiry exactly; whole needs cannot), so proving optimality needs much
branching: a seeded instance of 10 senders and 60 needs was not proven optimal in 60 s by CP-SAT
(nor by SCIP in 30 s), and the whole model for 150 senders and 2,000 needs did not get through
CP-SAT's presolve in 90 s. Without a time limit the solve is exact however long it takes. With one
(the service's pages), instances with many candidate pairs start from the best of the greedy plan
and two "most saved" plans (`saving_start`); most of the time then goes to the linear relaxation
(`optimiser_lp`, column generation with HiGHS), whose rounded fractions, completed by the "most
saved" rule, are usually a far better start, and whose multipliers bound the expiry any plan
avoids; the rest of the time goes to a large neighbourhood search, and the outcome reports the
better of the two upper bounds (`bound` and the relaxation's). On the realistic benchmark (300
organisations, 2,000 needs; docs/PERFORMANCE.md) the relaxation's value is 1.3% above the best
plan found, against 12% for the greedy bound and start; solving it takes HiGHS about 16 s of CPU.
"""

from __future__ import annotations

import bisect
import decimal
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np
import numpy.typing as npt
from ortools.sat.python import cp_model

from . import optimiser_lp

Status = Literal["optimal", "time_limit"]

# Exact arithmetic for amounts: additions never round (an inexact result raises).
_EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow],
)
# CP-SAT works in 64-bit integers; the weighted objective and every sum must stay below this.
_LIMIT = 2**62
# With a time limit, instances with more candidate pairs than this are improved by a large
# neighbourhood search (`_Problem.search`) instead: CP-SAT does not get through presolving a whole
# model of 300 organisations and 2,000 needs (272,000 pairs) in minutes.
_WHOLE_MODEL_PAIRS = 20_000
_SEARCH_SENDERS = 4
_SEARCH_FREE_NEEDS = 80
_SEARCH_SECONDS = 0.5
# The share of the search's time given to the linear relaxation (`optimiser_lp`), whose rounded
# fractions are a better start than the greedy ones; the rest goes to the neighbourhood search.
_GUIDE_SHARE = 0.8


class OptimiserError(ValueError):
    """The input cannot be solved exactly (amounts too large or with too many decimal places)."""


@dataclass(frozen=True)
class Sender:
    """An organisation that can send a transfer: its remaining allowance and expiry forecast."""

    id: str
    allowance: Decimal
    expiring: Mapping[str, Decimal]  # month (YYYY-MM) -> amount lost then if nothing more is spent


@dataclass(frozen=True)
class Need:
    """An apprenticeship need of an organisation: its priority (1-3) and its costs by month."""

    id: str
    organisation: str
    priority: int
    costs: Mapping[str, Decimal]  # month (YYYY-MM) -> payment

    @property
    def cost(self) -> Decimal:
        """The total cost, which counts against the sender's allowance."""
        with decimal.localcontext(_EXACT):
            return sum(self.costs.values(), Decimal(0))


@dataclass(frozen=True)
class Transfer:
    """One need funded by one sender."""

    need: str
    sender: str


@dataclass(frozen=True)
class Plan:
    """Transfers (sorted by need id) with the expiry they avoid and the priorities they fund."""

    transfers: tuple[Transfer, ...]
    expiry_avoided: Decimal
    priority_funded: int


@dataclass(frozen=True)
class Saving:
    """Expiring funds of one month that a transfer saves."""

    month: str
    amount: Decimal


@dataclass(frozen=True)
class Explanation:
    """Why a transfer is recommended: what it costs and which expiring funds it saves."""

    need: str
    sender: str
    cost: Decimal
    saves: tuple[Saving, ...]  # by month; empty when it funds a need without saving anything

    @property
    def saved(self) -> Decimal:
        """The total it saves."""
        with decimal.localcontext(_EXACT):
            return sum((saving.amount for saving in self.saves), Decimal(0))


@dataclass(frozen=True)
class Outcome:
    """The optimiser's plan, whether it is proven optimal, and the best possible expiry avoided.

    With a time limit the solver may stop first: `status` is then "time_limit" and `avoided_bound`
    is an upper bound on the expiry any plan can avoid (so `gap` is at most what is being missed).
    """

    plan: Plan
    status: Status
    avoided_bound: Decimal

    @property
    def gap(self) -> Decimal:
        """How much more expiry the best plan might avoid than this one (0 when optimal)."""
        with decimal.localcontext(_EXACT):
            return self.avoided_bound - self.plan.expiry_avoided


def no_transfer_plan() -> Plan:
    """The baseline the page compares with: no transfers, nothing avoided."""
    return Plan(transfers=(), expiry_avoided=Decimal(0), priority_funded=0)


def cover(
    expiring: Mapping[str, Decimal], spending: Iterable[tuple[str, str, Decimal]]
) -> list[tuple[str, str, Decimal]]:
    """The expiry rule: which expiring funds each spending takes, as (key, expiring month, amount).

    `spending` holds (month, key, amount); in month order (then key order), each takes from the
    expiring amounts of the same or a later month, earliest first. The total taken is the expiry
    avoided; splitting a month's spending by key does not change what that month takes in all.
    """
    months = sorted(month for month, amount in expiring.items() if amount > 0)
    left = {month: expiring[month] for month in months}
    first = 0
    taken: list[tuple[str, str, Decimal]] = []
    with decimal.localcontext(_EXACT):
        for month, key, amount in sorted(spending):
            while first < len(months) and (months[first] < month or left[months[first]] == 0):
                first += 1
            wanted = amount
            index = first
            while wanted > 0 and index < len(months):
                bucket = months[index]
                take = min(wanted, left[bucket])
                if take > 0:
                    left[bucket] -= take
                    wanted -= take
                    taken.append((key, bucket, take))
                index += 1
    return taken


def expiry_avoided(sender: Sender, needs: Iterable[Need]) -> Decimal:
    """The expiry a sender avoids by funding these needs, by the greedy rule, exactly."""
    taken = cover(sender.expiring, _spending(needs))
    with decimal.localcontext(_EXACT):
        return sum((amount for _, _, amount in taken), Decimal(0))


def _spending(needs: Iterable[Need]) -> list[tuple[str, str, Decimal]]:
    return [(month, need.id, amount) for need in needs for month, amount in need.costs.items()]


def evaluate(
    senders: Sequence[Sender], needs: Sequence[Need], transfers: Iterable[Transfer]
) -> Plan:
    """The plan of these transfers with its figures; raises ValueError if it breaks a rule."""
    by_sender = {sender.id: sender for sender in senders}
    by_need = {need.id: need for need in needs}
    funded: dict[str, list[Need]] = defaultdict(list)
    chosen: list[Transfer] = []
    seen: set[str] = set()
    for transfer in transfers:
        need = by_need.get(transfer.need)
        if need is None or transfer.sender not in by_sender:
            raise ValueError(f"unknown need or sender in {transfer}")
        if need.id in seen:
            raise ValueError(f"need {need.id} is funded twice")
        if need.organisation == transfer.sender:
            raise ValueError(f"sender {transfer.sender} cannot fund its own need {need.id}")
        seen.add(need.id)
        funded[transfer.sender].append(need)
        chosen.append(transfer)
    avoided = Decimal(0)
    with decimal.localcontext(_EXACT):
        for sender_id, its_needs in funded.items():
            sender = by_sender[sender_id]
            if sum((need.cost for need in its_needs), Decimal(0)) > sender.allowance:
                raise ValueError(f"sender {sender_id} funds more than its allowance")
            avoided += expiry_avoided(sender, its_needs)
    return Plan(
        transfers=tuple(sorted(chosen, key=lambda transfer: transfer.need)),
        expiry_avoided=avoided,
        priority_funded=sum(by_need[transfer.need].priority for transfer in chosen),
    )


def explain(
    senders: Sequence[Sender], needs: Sequence[Need], plan: Plan
) -> tuple[Explanation, ...]:
    """Each transfer of the plan with the expiring funds it saves ("saves £X expiring in 2027-03").

    A sender's savings are shared out by the greedy rule itself: in month order and, within a
    month, in need id order, each need's spending takes the earliest expiring funds still left. The
    savings of a sender's transfers add up to the expiry it avoids.
    """
    by_sender = {sender.id: sender for sender in senders}
    by_need = {need.id: need for need in needs}
    funded: dict[str, list[Need]] = defaultdict(list)
    for transfer in plan.transfers:
        funded[transfer.sender].append(by_need[transfer.need])
    saves: dict[str, dict[str, Decimal]] = defaultdict(dict)
    with decimal.localcontext(_EXACT):
        for sender_id, its_needs in funded.items():
            for need_id, month, amount in cover(
                by_sender[sender_id].expiring, _spending(its_needs)
            ):
                months = saves[need_id]
                months[month] = months.get(month, Decimal(0)) + amount
    return tuple(
        Explanation(
            need=transfer.need,
            sender=transfer.sender,
            cost=by_need[transfer.need].cost,
            saves=tuple(
                Saving(month, amount) for month, amount in sorted(saves[transfer.need].items())
            ),
        )
        for transfer in plan.transfers
    )


def greedy_plan(senders: Sequence[Sender], needs: Sequence[Need]) -> Plan:
    """The simple plan the page compares with, under the same rules as the optimiser.

    Each need in turn, highest priority first and then by id, goes to the sender whose expiring
    funds it saves most: the largest increase in that sender's expiry avoided (which the rule
    takes from the earliest expiring funds), ties to the sender with the smaller id. Only senders
    of another organisation with enough allowance left are considered. A need that saves nothing
    anywhere still goes to the first such sender by id (it adds its priority, as in the
    optimiser's objective); a need no sender can take is left unfunded.
    """
    if not senders or not needs:
        return evaluate(senders, needs, [])
    problem = _Problem.of(senders, needs)
    return evaluate(senders, needs, problem.transfers(problem.greedy()))


def optimise(
    senders: Sequence[Sender],
    needs: Sequence[Need],
    *,
    time_limit: float | None = None,
    workers: int | None = None,
) -> Outcome:
    """The plan with the most expiry avoided and then the most priority funded.

    Without a time limit it is solved to optimality. With one (seconds, for the service's pages)
    the solver may stop early: the outcome then says so and bounds the expiry avoided. `workers` is
    CP-SAT's number of search workers (its default: every core). Raises `OptimiserError` when the
    amounts are too large or too finely divided to solve in 64-bit integers.
    """
    if not senders or not needs:
        plan = evaluate(senders, needs, [])
        return Outcome(plan=plan, status="optimal", avoided_bound=plan.expiry_avoided)
    deadline = None if time_limit is None else time.monotonic() + time_limit
    problem = _Problem.of(senders, needs)
    chosen, proven, bound_units = problem.solve(deadline, workers)
    plan = evaluate(senders, needs, chosen)
    if proven:
        return Outcome(plan=plan, status="optimal", avoided_bound=plan.expiry_avoided)
    return Outcome(plan=plan, status="time_limit", avoided_bound=problem.amount(bound_units))


def _places(amounts: Iterable[Decimal]) -> int:
    """The decimal places needed to write every amount as a whole number of units."""
    places = 0
    for amount in amounts:
        exponent = amount.normalize(_EXACT).as_tuple().exponent
        if isinstance(exponent, int):
            places = max(places, -exponent)
    return places


def _units(amount: Decimal, places: int) -> int:
    """An amount as an exact whole number of 10^-places (the amount has at most that many)."""
    return int(amount.scaleb(places, _EXACT))


_Array = npt.NDArray[np.int64]


@dataclass
class _Problem:
    """The instance in integer units, senders in id order, with the candidate pairs worked out.

    `spent[n, g]` is need n's cost up to and including the g-th month in which any sender has funds
    expiring; sender s's bound rows are at the positions `rows[s, :depth[s]]` of those months, and
    `after[s, k]` is E(> its k-th expiring month). Rows past a sender's depth are padding whose
    `after` is the sender's whole expiring total, so they never bind.
    """

    places: int
    sender_ids: list[str]
    need_ids: list[str]
    priority: list[int]
    cost: list[int]
    allowance: list[int]
    total: _Array
    depth: list[int]
    rows: _Array
    after: _Array
    spent: _Array
    candidates: list[list[int]]  # need -> senders that may fund it, in id order
    helpful: list[list[int]]  # need -> candidates whose expiry it can reduce

    @classmethod
    def of(cls, senders: Sequence[Sender], needs: Sequence[Need]) -> _Problem:
        ordered = sorted(senders, key=lambda sender: sender.id)
        amounts = [sender.allowance for sender in ordered]
        amounts += [amount for sender in ordered for amount in sender.expiring.values()]
        amounts += [amount for need in needs for amount in need.costs.values()]
        places = _places(amounts)
        expiring = [
            {month: _units(amount, places) for month, amount in sender.expiring.items() if amount}
            for sender in ordered
        ]
        costs = [
            {month: _units(amount, places) for month, amount in need.costs.items() if amount}
            for need in needs
        ]
        allowance = [_units(sender.allowance, places) for sender in ordered]
        cost = [sum(need.values()) for need in costs]
        priority = [need.priority for need in needs]
        totals = [sum(months.values()) for months in expiring]
        weight = sum(priority) + 1
        if max([weight * sum(totals) + weight, sum(cost), *allowance]) >= _LIMIT:
            raise OptimiserError(
                "amounts are too large or have too many decimal places to optimise exactly"
            )
        grid = sorted({month for months in expiring for month in months})
        position = {month: index for index, month in enumerate(grid)}
        depth = [len(months) for months in expiring]
        width = max(depth, default=0) or 1
        rows = np.zeros((len(ordered), width), dtype=np.int64)
        after = np.zeros((len(ordered), width), dtype=np.int64)
        for index, months in enumerate(expiring):
            ordered_months = sorted(months)
            rows[index, : len(ordered_months)] = [position[month] for month in ordered_months]
            left = totals[index]
            after[index, :] = left
            for k, month in enumerate(ordered_months):
                left -= months[month]
                after[index, k] = left
        spent = np.zeros((len(needs), len(grid) or 1), dtype=np.int64)
        for index, months in enumerate(costs):
            for month, amount in months.items():
                at = bisect.bisect_left(grid, month)
                if at < len(grid):
                    spent[index, at] += amount
        spent = np.cumsum(spent, axis=1)
        problem = cls(
            places=places,
            sender_ids=[sender.id for sender in ordered],
            need_ids=[need.id for need in needs],
            priority=priority,
            cost=cost,
            allowance=allowance,
            total=np.array(totals, dtype=np.int64),
            depth=depth,
            rows=rows,
            after=after,
            spent=spent,
            candidates=[],
            helpful=[],
        )
        problem.pair_up([need.organisation for need in needs])
        return problem

    def pair_up(self, organisations: list[str]) -> None:
        """The candidates of each need, and those among them it can save expiry for."""
        allowance = np.array(self.allowance, dtype=np.int64)
        own = {sender: index for index, sender in enumerate(self.sender_ids)}
        last = self.rows[np.arange(len(self.sender_ids)), np.maximum(np.array(self.depth) - 1, 0)]
        has_expiry = np.array(self.depth) > 0
        for need, organisation in enumerate(organisations):
            allowed = allowance >= self.cost[need]
            if organisation in own:
                allowed[own[organisation]] = False
            candidates = np.flatnonzero(allowed)
            useful = has_expiry[candidates] & (self.spent[need, last[candidates]] > 0)
            self.candidates.append(candidates.tolist())
            self.helpful.append(candidates[useful].tolist())

    def amount(self, units: int) -> Decimal:
        """Integer units back to an exact amount."""
        return Decimal(units).scaleb(-self.places, _EXACT)

    def column(self, need: int, senders: npt.NDArray[np.intp]) -> _Array:
        """D(<= each expiring month) of one need for these senders (padding rows included)."""
        column: _Array = self.spent[need][self.rows[senders]]
        return column

    def greedy(self) -> dict[int, int]:
        """The greedy plan as need -> sender (see `greedy_plan`)."""
        left = np.array(self.allowance, dtype=np.int64)
        spent = np.zeros_like(self.after)
        current = np.zeros(len(self.sender_ids), dtype=np.int64)
        chosen: dict[int, int] = {}
        for need in sorted(
            range(len(self.need_ids)), key=lambda need: (-self.priority[need], self.need_ids[need])
        ):
            candidates = np.array(self.candidates[need], dtype=np.intp)
            candidates = candidates[left[candidates] >= self.cost[need]]
            if not len(candidates):
                continue
            with_need = spent[candidates] + self.column(need, candidates)
            reached = np.minimum(
                self.total[candidates], (with_need + self.after[candidates]).min(1)
            )
            best = int(np.argmax(reached - current[candidates]))
            sender = int(candidates[best])
            chosen[need] = sender
            left[sender] -= self.cost[need]
            spent[sender] = with_need[best]
            current[sender] = reached[best]
        return chosen

    def saving_start(
        self, per_cost: bool = False, initial: dict[int, int] | None = None
    ) -> dict[int, int]:
        """A start that saves far more than the greedy plan: again and again, the one transfer
        (over every need and sender) that adds most to expiry avoided (`per_cost`: most per pound
        of allowance), until none adds anything or fits.

        The greedy plan goes by priority, so needs that spend early (the scarce ones: expiry in a
        few months can only be saved by what is spent before it) often go where they save little.
        Measured at full size (avoided, greedy / most / most per pound): realistic benchmark 6.0,
        7.5, 7.7 million; tight 8.2, 11.5, 12.0 million; about 0.3 s of CPU each. `initial`, a
        plan within the rules, is kept and added to.
        """
        senders, needs = len(self.sender_ids), len(self.need_ids)
        gains = np.full((senders, needs), -1.0)
        cost = np.array(self.cost, dtype=np.int64)
        left = np.array(self.allowance, dtype=np.int64)
        taken = np.zeros(needs, dtype=bool)
        funders = self.funders(self.helpful)
        columns = self.columns(funders)
        spent = [np.zeros(self.depth[sender], dtype=np.int64) for sender in range(senders)]
        reached = np.zeros(senders, dtype=np.int64)

        def update(sender: int) -> None:
            its = funders[sender]
            if len(its):
                after = self.after[sender, : self.depth[sender]]
                reach = (spent[sender] + columns[sender] + after).min(axis=1)
                gain = np.minimum(self.total[sender], reach) - reached[sender]
                fits = (cost[its] <= left[sender]) & ~taken[its]
                worth = gain / cost[its] if per_cost else gain.astype(float)
                gains[sender, its] = np.where(fits & (gain > 0), worth, -1.0)

        chosen: dict[int, int] = dict(initial or {})
        for need, sender in chosen.items():
            taken[need] = True
            left[sender] -= cost[need]
            months = self.rows[sender, : self.depth[sender]]
            spent[sender] = spent[sender] + self.spent[need][months]
        for sender in range(senders):
            if self.depth[sender]:
                after = self.after[sender, : self.depth[sender]]
                reached[sender] = min(int(self.total[sender]), int((spent[sender] + after).min()))
            update(sender)
        while needs:
            sender, need = divmod(int(np.argmax(gains)), needs)
            if gains[sender, need] < 0:
                break
            chosen[need] = sender
            taken[need] = True
            gains[:, need] = -1
            left[sender] -= cost[need]
            row = int(np.searchsorted(funders[sender], need))
            spent[sender] = spent[sender] + columns[sender][row]
            after = self.after[sender, : self.depth[sender]]
            reached[sender] = min(int(self.total[sender]), int((spent[sender] + after).min()))
            update(sender)
        return chosen

    def funders(self, pairs: list[list[int]]) -> list[npt.NDArray[np.intp]]:
        """For each sender, the needs it is paired with, in index order."""
        lists: list[list[int]] = [[] for _ in self.sender_ids]
        for need, senders in enumerate(pairs):
            for sender in senders:
                lists[sender].append(need)
        return [np.array(needs, dtype=np.intp) for needs in lists]

    def columns(self, funders: list[npt.NDArray[np.intp]]) -> list[_Array]:
        """For each sender, D(<= each of its expiring months) of each of its needs."""
        return [
            self.spent[its][:, self.rows[sender, : self.depth[sender]]]
            for sender, its in enumerate(funders)
        ]

    def start(self) -> dict[int, int]:
        """The better (more avoided, then more priority) of the greedy plan and `saving_start`,
        each filled with the needs left unfunded."""
        starts = [self.greedy(), self.saving_start(), self.saving_start(per_cost=True)]
        for assignment in starts:
            self.fill(assignment)
        return max(starts, key=self.ranking)

    def solve(
        self, deadline: float | None, workers: int | None
    ) -> tuple[list[Transfer], bool, int]:
        """The chosen transfers, whether they are proven optimal, and a bound on avoided units."""
        hint = self.start()
        if deadline is not None and sum(map(len, self.candidates)) > _WHOLE_MODEL_PAIRS:
            return self.search(hint, deadline, workers)
        assignment: dict[int, int] = {}
        proven = True
        bound = 0
        for senders, needs in self.components():
            chosen, optimal, part_bound = self.solve_model(
                senders, needs, self.helpful, hint, deadline, workers
            )
            assignment.update(chosen)
            proven = proven and optimal
            bound += part_bound
        self.fill(assignment)
        if proven and not self.all_funded(assignment):
            chosen, proven, bound = self.solve_model(
                list(range(len(self.sender_ids))),
                list(range(len(self.need_ids))),
                self.candidates,
                assignment,
                deadline,
                workers,
            )
            assignment = chosen
            self.fill(assignment)
        return self.transfers(assignment), proven, min(bound, self.bound())

    def search(
        self, start: dict[int, int], deadline: float, workers: int | None
    ) -> tuple[list[Transfer], bool, int]:
        """Large neighbourhood search until the deadline, for instances too large to solve whole.

        From `start`, again and again: take a few senders at random, free the needs they
        fund and a sample of the needs no one funds that they could, and solve that small model
        with CP-SAT for half a second, with the current plan as its hint (so it never gets worse).
        Measured on the benchmark (2 cores, loaded): four senders and 80 free needs a slice did
        best, about 8% more expiry avoided than the greedy plan in 10 s; from the better starts it
        adds little (0.05% in 40 s on the realistic benchmark). Before it, `_GUIDE_SHARE` of the
        time goes to the linear relaxation (`optimiser_lp`): its rounding is the start when
        better, and its bound is taken when lower. Proven optimal only when the plan reaches the
        bound and funds every need that can be funded.
        """
        bound = self.bound()
        assignment = dict(start)
        now = time.monotonic()
        guide = optimiser_lp.guide(
            self.relaxation(), start, now + _GUIDE_SHARE * max(deadline - now, 0.0)
        )
        if guide.bound is not None:
            bound = min(bound, guide.bound)
        rounded = self.saving_start(per_cost=True, initial=self.rounded(guide.pairs))
        self.fill(rounded)
        if self.ranking(rounded) > self.ranking(assignment):
            assignment = rounded
        rng = random.Random(0)
        senders = list(range(len(self.sender_ids)))
        while time.monotonic() < deadline:
            group = set(rng.sample(senders, min(_SEARCH_SENDERS, len(senders))))
            held = [need for need, sender in assignment.items() if sender in group]
            free = [
                need
                for need, candidates in enumerate(self.candidates)
                if need not in assignment and not group.isdisjoint(candidates)
            ]
            free = rng.sample(free, min(_SEARCH_FREE_NEEDS, len(free)))
            slice_end = min(deadline, time.monotonic() + _SEARCH_SECONDS)
            chosen, _, _ = self.solve_model(
                sorted(group),
                held + free,
                self.candidates,
                {need: assignment[need] for need in held},
                slice_end,
                workers,
                presolve=False,
            )
            for need in held:
                del assignment[need]
            assignment.update(chosen)
        self.fill(assignment)
        proven = self.avoided_units(assignment) >= bound and self.all_funded(assignment)
        return self.transfers(assignment), proven, bound

    def ranking(self, assignment: dict[int, int]) -> tuple[int, int]:
        """An assignment's expiry avoided (units) and priority funded: the objective, in order."""
        return self.avoided_units(assignment), sum(self.priority[need] for need in assignment)

    def relaxation(self) -> optimiser_lp.Instance:
        """The instance as the linear relaxation takes it (helpful pairs only)."""
        funders = self.funders(self.helpful)
        return optimiser_lp.Instance(
            needs=len(self.need_ids),
            funders=funders,
            spent=self.columns(funders),
            after=[self.after[sender, :depth] for sender, depth in enumerate(self.depth)],
            total=self.total,
            cost=np.array(self.cost, dtype=np.int64),
            allowance=np.array(self.allowance, dtype=np.int64),
            unit=10**self.places,
        )

    def rounded(self, pairs: list[tuple[int, int]]) -> dict[int, int]:
        """The relaxation's pairs, largest fraction first, each need once within the allowances."""
        left = list(self.allowance)
        assignment: dict[int, int] = {}
        for need, sender in pairs:
            if need not in assignment and left[sender] >= self.cost[need]:
                assignment[need] = sender
                left[sender] -= self.cost[need]
        return assignment

    def all_funded(self, assignment: dict[int, int]) -> bool:
        """Whether every need that some sender could fund is funded."""
        return all(need in assignment for need, options in enumerate(self.candidates) if options)

    def avoided_units(self, assignment: dict[int, int]) -> int:
        """The expiry an assignment avoids, in units, by min(E, D(<= j_k) + E(> j_k))."""
        spent = np.zeros_like(self.after)
        for need, sender in assignment.items():
            spent[sender] += self.spent[need][self.rows[sender]]
        return int(np.minimum(self.total, (spent + self.after).min(axis=1)).sum())

    def bound(self) -> int:
        """An upper bound on the expiry any plan avoids, in units.

        Each sender avoids at most its cap (`sender_bounds`), and for any month t at most
        E(> t) + D(<= t); the needs together spend at most S(t) by t, each funded once. So the total
        is at most, for every t, the sum of min(cap, E(> t)) plus what S(t) can add to the senders
        below their cap: min(S(t), the sum of max(0, cap - E(> t))).
        """
        caps = np.array(self.sender_bounds(), dtype=np.int64)
        best = int(caps.sum())
        by_month = self.spent.sum(axis=0)
        for month in range(self.spent.shape[1]):
            later = np.zeros(len(self.sender_ids), dtype=np.int64)
            for sender, depth in enumerate(self.depth):
                months = self.rows[sender, :depth]
                later[sender] = self.expiring_after(sender, months, month)
            kept = np.minimum(caps, later)
            room = int(np.maximum(caps - later, 0).sum())
            best = min(best, int(kept.sum()) + min(int(by_month[month]), room))
        return best

    def sender_bounds(self) -> list[int]:
        """For each sender, an upper bound on the expiry it can avoid whatever the others do.

        min(E, allowance, and for each expiring month j_k: E(> j_k) + the most its candidates can
        spend by j_k within its allowance, taking fractions of needs). That most is a fractional
        knapsack: needs by spending-by-j_k per unit of cost, best first. The order uses floating
        point ratios, which can misplace near-equal ones; the value is then short by less than
        allowance x 1e-15, so that much (and one unit) is added to keep it a bound.
        """
        bounds = []
        for sender, needs in enumerate(self.funders(self.candidates)):
            allowance = self.allowance[sender]
            best = min(int(self.total[sender]), allowance)
            depth = self.depth[sender]
            if not len(needs) or not depth:
                bounds.append(0)
                continue
            costs = np.array(self.cost, dtype=np.int64)[needs]
            # One row per expiring month, one column per candidate need.
            spending = np.ascontiguousarray(self.spent[needs][:, self.rows[sender, :depth]].T)
            rates = spending / np.maximum(costs, 1)
            margin = allowance // 10**15 + 1
            order = np.argsort(-rates, axis=1, kind="stable")
            used = np.cumsum(costs[order], axis=1)
            taken = np.cumsum(np.take_along_axis(spending, order, axis=1), axis=1)
            wholes = (used <= allowance).sum(axis=1)
            for k in range(depth):
                whole = int(wholes[k])
                most = int(taken[k, whole - 1]) if whole else 0
                if whole < len(needs):
                    left = allowance - (int(used[k, whole - 1]) if whole else 0)
                    next_need = int(order[k, whole])
                    part, cost = int(spending[k, next_need]), int(costs[next_need])
                    most += -(-part * left // cost)
                best = min(best, int(self.after[sender, k]) + most + margin)
            bounds.append(best)
        return bounds

    def expiring_after(self, sender: int, months: _Array, month: int) -> int:
        """E(> grid month) of one sender."""
        earlier = int(np.searchsorted(months, month, side="right"))
        if earlier == 0:
            return int(self.total[sender])
        return int(self.after[sender, earlier - 1])

    def transfers(self, assignment: dict[int, int]) -> list[Transfer]:
        """An assignment (need -> sender indexes) as transfers."""
        return [
            Transfer(need=self.need_ids[need], sender=self.sender_ids[sender])
            for need, sender in assignment.items()
        ]

    def components(self) -> list[tuple[list[int], list[int]]]:
        """Senders and needs connected through helpful pairs, each group solved on its own."""
        parent = list(range(len(self.sender_ids)))

        def root(index: int) -> int:
            while parent[index] != index:
                parent[index] = parent[parent[index]]
                index = parent[index]
            return index

        for senders in self.helpful:
            for other in senders[1:]:
                parent[root(other)] = root(senders[0])
        groups: dict[int, tuple[list[int], list[int]]] = {}
        for need, senders in enumerate(self.helpful):
            if senders:
                groups.setdefault(root(senders[0]), ([], []))[1].append(need)
        for sender in range(len(self.sender_ids)):
            if root(sender) in groups:
                groups[root(sender)][0].append(sender)
        return list(groups.values())

    def fill(self, assignment: dict[int, int]) -> None:
        """Fit the needs still unfunded into the allowance left (they add priority only).

        Highest priority first, then the largest cost, then id; each to the candidate whose
        allowance left fits it most tightly (then the smaller sender id).
        """
        left = list(self.allowance)
        for need, sender in assignment.items():
            left[sender] -= self.cost[need]
        waiting = [need for need in range(len(self.need_ids)) if need not in assignment]
        waiting.sort(key=lambda need: (-self.priority[need], -self.cost[need], self.need_ids[need]))
        for need in waiting:
            fits = [
                (left[sender] - self.cost[need], sender)
                for sender in self.candidates[need]
                if left[sender] >= self.cost[need]
            ]
            if fits:
                _, sender = min(fits)
                assignment[need] = sender
                left[sender] -= self.cost[need]

    def solve_model(
        self,
        senders: list[int],
        needs: list[int],
        pairs: list[list[int]],
        hint: dict[int, int],
        deadline: float | None,
        workers: int | None,
        presolve: bool = True,
    ) -> tuple[dict[int, int], bool, int]:
        """CP-SAT on these senders and needs with these pairs (see the module docstring).

        The search's small models skip CP-SAT's presolve: it takes most of a half-second slice.
        """
        model = cp_model.CpModel()
        in_group = set(senders)
        weight = sum(self.priority[need] for need in needs) + 1
        chosen: dict[tuple[int, int], cp_model.IntVar] = {}
        funded_by: dict[int, list[int]] = defaultdict(list)
        objective: list[tuple[cp_model.IntVar, int]] = []
        for need in needs:
            options = []
            for sender in pairs[need]:
                if sender in in_group:
                    variable = model.new_bool_var("")
                    chosen[(need, sender)] = variable
                    funded_by[sender].append(need)
                    options.append(variable)
                    objective.append((variable, self.priority[need]))
                    model.add_hint(variable, hint.get(need) == sender)
            if len(options) > 1:
                model.add_at_most_one(options)
        helpful = {(need, sender) for need in needs for sender in self.helpful[need]}
        for sender in senders:
            funded = funded_by[sender]
            if sum(self.cost[need] for need in funded) > self.allowance[sender]:
                model.add(
                    cp_model.LinearExpr.weighted_sum(
                        [chosen[(need, sender)] for need in funded],
                        [self.cost[need] for need in funded],
                    )
                    <= self.allowance[sender]
                )
            helping = [need for need in funded if (need, sender) in helpful]
            if helping:
                objective.append((self.avoided_var(model, sender, helping, chosen, hint), weight))
        model.maximize(
            cp_model.LinearExpr.weighted_sum(
                [variable for variable, _ in objective], [factor for _, factor in objective]
            )
        )
        solver = cp_model.CpSolver()
        if workers is not None:
            solver.parameters.num_workers = workers
        solver.parameters.cp_model_presolve = presolve
        if deadline is not None:
            solver.parameters.max_time_in_seconds = max(deadline - time.monotonic(), 0.01)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # Stopped before any solution (or, never seen but not trusted, a model "infeasible"
            # though funding nothing is always feasible): keep the hint, prove nothing.
            kept = {need: sender for need, sender in hint.items() if (need, sender) in chosen}
            bound = sum(min(int(self.total[sender]), self.allowance[sender]) for sender in senders)
            return kept, False, bound
        assignment = {
            need: sender for (need, sender), variable in chosen.items() if solver.value(variable)
        }
        return assignment, status == cp_model.OPTIMAL, int(solver.best_objective_bound) // weight

    def avoided_var(
        self,
        model: cp_model.CpModel,
        sender: int,
        helping: list[int],
        chosen: dict[tuple[int, int], cp_model.IntVar],
        hint: dict[int, int],
    ) -> cp_model.IntVar:
        """A_s: at most min(E, D(<= j_k) + E(> j_k)) for the funded needs; rows that cannot bind
        (E(> j_k) already at least A_s's upper bound) are left out."""
        depth = self.depth[sender]
        columns = self.spent[np.array(helping)][:, self.rows[sender, :depth]]
        reach = columns.sum(axis=0)
        upper = min(int(self.total[sender]), self.allowance[sender], int(reach[-1]))
        avoided = model.new_int_var(0, upper, "")
        variables = [chosen[(need, sender)] for need in helping]
        for k in range(depth):
            after = int(self.after[sender, k])
            if after >= upper:
                continue
            nonzero = np.flatnonzero(columns[:, k])
            model.add(
                avoided
                <= after
                + cp_model.LinearExpr.weighted_sum(
                    [variables[index] for index in nonzero], columns[nonzero, k].tolist()
                )
            )
        hinted = [index for index, need in enumerate(helping) if hint.get(need) == sender]
        spent = columns[hinted].sum(axis=0)
        reached = min(int(self.total[sender]), int((spent + self.after[sender, :depth]).min()))
        model.add_hint(avoided, min(reached, upper))
        return avoided
