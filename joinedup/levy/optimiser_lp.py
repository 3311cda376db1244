"""The pooling optimiser's linear relaxation, solved by column generation with HiGHS.

Pure numpy and HiGHS, no Django; `optimiser` feeds it its instance in integer units. The
relaxation is the solver model of `optimiser` (see its docstring) with the needs taken in
fractions: x[n, s] in [0, 1] of need n funded by sender s, sum over s of x[n, s] <= 1 for each
need, sum over n of cost[n] x[n, s] <= allowance[s] for each sender, and A[s] in [0, E[s]] with
A[s] <= E[s](> j_k) + sum over n of D[n](<= j_k) x[n, s] for each of the sender's expiring months
j_k; the aim is the largest sum of A[s].

It serves twice, when the optimiser has a time limit and too many pairs to solve whole:

* *A plan to start from.* The fractions of the relaxation, rounded (largest first, each need once,
  within the allowances), show which sender each need's early spending is best kept for; the
  greedy starts (`optimiser._Problem.saving_start`) cannot see that. Measured on the realistic
  benchmark: 8.05 million avoided from four seconds of column generation against 7.72 million for
  the best greedy start.
* *A bound.* Any multipliers sigma[s, k] >= 0 of the month rows and mu[s] >= 0 of the allowance
  rows give an upper bound on the expiry any plan avoids (the Lagrangian of the relaxation, the
  need rows kept):

      sum over s of (sum over k of sigma[s, k] E[s](> j_k) + max(0, 1 - sum of sigma[s]) E[s]
                     + mu[s] allowance[s])
      + sum over n of max(0, max over s of (sum over k of sigma[s, k] D[n](<= j_k) - mu[s] cost[n]))

  It holds for any such multipliers, so those of every restricted relaxation solved count, and it
  is worked out here from them, not taken from the solver's objective; floating point errors are
  covered by a margin (`_MARGIN` of the sum of the terms' sizes), and it is rounded down to whole
  units, as every plan's expiry avoided is a whole number of them.

Column generation: the relaxation starts with the pairs of a given plan; each round solves it
and adds, for each need, the pair of best positive reduced cost under the round's multipliers
(numpy over every pair at once); it stops when no pair has a positive reduced cost (the
relaxation is then solved: the bound is its value) or at the deadline. The whole relaxation of the
benchmark (116,704 pairs, 1.4 million non-zeros) takes HiGHS about 25 s of CPU at once, and about
as long by column generation, so within the service's 10 s the bound is usually the
`optimiser._Problem.bound` one and the rounding comes from a part-solved relaxation.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt
from highspy._core import _Highs

_Array = npt.NDArray[np.int64]
_Floats = npt.NDArray[np.float64]
_Indexes = npt.NDArray[np.intp]

# Reduced costs at most this (in pounds-sized units, see `_Relaxation`) do not bring a pair in.
_TOLERANCE = 1e-7
# The share of the bound's terms added to cover floating point errors.
_MARGIN = 1e-9
# Column generation stops when the bound is within this share of the restricted relaxation's value.
_CLOSED = 1e-7
# Pairs brought in for each need in a round of column generation, and at the start.
_PER_NEED = 1
_SEEDED = 3


@dataclass(frozen=True)
class Instance:
    """An instance in integer units, sender by sender.

    `funders[s]` are the needs sender s can save expiry for (in index order), `spent[s]` their
    D(<= each of s's expiring months) (one row per need), `after[s]` s's E(> each of those
    months), `total[s]` its whole expiring amount.
    """

    needs: int
    funders: Sequence[_Indexes]
    spent: Sequence[_Array]
    after: Sequence[_Array]
    total: _Array
    cost: _Array
    allowance: _Array
    unit: int  # units in one pound-sized amount: the relaxation is solved in these


@dataclass(frozen=True)
class Guide:
    """What the relaxation says: pairs by fraction (largest first), and a bound in units."""

    pairs: list[tuple[int, int]]  # (need, sender) with a positive fraction, largest first
    bound: int | None  # None when no restricted relaxation was solved in time


def guide(instance: Instance, start: dict[int, int], deadline: float) -> Guide:
    """Column generation on the relaxation from the pairs of `start` until solved or deadline."""
    return _Relaxation(instance).run(start, deadline)


class _Relaxation:
    """The restricted relaxation in HiGHS: rows are the needs, then the senders' allowances,
    then the senders' month rows; columns are the senders' A then the pairs brought in."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        unit = float(instance.unit)
        self.cost = instance.cost / unit
        self.spent = [spent / unit for spent in instance.spent]
        self.after = [after / unit for after in instance.after]
        self.total = instance.total / unit
        self.allowance = instance.allowance / unit
        senders = len(self.after)
        depth = np.array([len(after) for after in self.after], dtype=np.int64)
        self.first_row = instance.needs + senders + np.concatenate([[0], np.cumsum(depth)])
        self.brought = [np.zeros(len(needs), dtype=bool) for needs in instance.funders]
        self.columns: list[tuple[int, int]] = []
        # The plain solver: `highspy.Highs()` prints a banner (to standard output) on first use.
        self.highs = _Highs()
        self.highs.setOptionValue("output_flag", False)
        months = int(depth.sum())
        self.highs.addRows(
            instance.needs + senders + months,
            np.full(instance.needs + senders + months, -highspy.kHighsInf),
            np.concatenate([np.ones(instance.needs), self.allowance, *self.after]),
            0,
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        self.highs.addCols(
            senders,
            np.ones(senders),
            np.zeros(senders),
            self.total,
            months,
            self.first_row[:-1] - self.first_row[0],
            np.arange(self.first_row[0], self.first_row[-1], dtype=np.int32),
            np.ones(months),
        )
        self.highs.changeObjectiveSense(highspy.ObjSense.kMaximize)

    def run(self, start: dict[int, int], deadline: float) -> Guide:
        chosen: list[list[int]] = [[] for _ in self.after]
        for need, sender in start.items():
            chosen[sender].append(need)
        # Only the pairs that can save expiry are in the relaxation.
        self.bring(
            {
                sender: np.flatnonzero(np.isin(its, chosen[sender]))
                for sender, its in enumerate(self.instance.funders)
            }
        )
        self.bring(self.seeded(start, _SEEDED))
        bound: float | None = None
        fractions: _Floats | None = None
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            # HiGHS counts its time limit over all the runs of one model.
            self.highs.setOptionValue("time_limit", self.highs.getRunTime() + left)
            self.highs.run()
            if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                break
            solution = self.highs.getSolution()
            fractions = np.array(solution.col_value[len(self.after) :])
            duals = np.maximum(np.array(solution.row_dual), 0.0)
            value, wanted = self.price(duals)
            bound = value if bound is None else min(bound, value)
            objective = self.highs.getInfo().objective_function_value
            if not wanted or value - objective <= _CLOSED * value:
                break
            self.bring(wanted)
        return self.guide(fractions, bound)

    def seeded(self, start: dict[int, int], count: int) -> dict[int, _Indexes]:
        """For each need, the `count` pairs of best reduced cost under multipliers read from
        `start`: each sender's month row (or cap) that binds its expiry avoided."""
        senders = len(self.after)
        duals = np.zeros(self.first_row[-1])
        spent = [np.zeros(len(after)) for after in self.after]
        for need, sender in start.items():
            its = self.instance.funders[sender]
            local = np.searchsorted(its, need)
            if local < len(its) and its[local] == need:
                spent[sender] += self.spent[sender][local]
        for sender in range(senders):
            if len(self.after[sender]):
                reach = spent[sender] + self.after[sender]
                month = int(np.argmin(reach))
                if reach[month] < self.total[sender]:
                    duals[self.first_row[sender] + month] = 1.0
        _, wanted = self.price(duals, count)
        return wanted

    def guide(self, fractions: _Floats | None, bound: float | None) -> Guide:
        pairs: list[tuple[int, int]] = []
        if fractions is not None:
            order = np.argsort(-fractions, kind="stable")
            pairs = [self.columns[index] for index in order if fractions[index] > _TOLERANCE]
        units = None if bound is None else math.floor(bound * self.instance.unit)
        return Guide(pairs=pairs, bound=units)

    def price(self, duals: _Floats, count: int = _PER_NEED) -> tuple[float, dict[int, _Indexes]]:
        """The Lagrangian bound of these multipliers (see the module docstring) and, for each
        need, the `_PER_NEED` pairs of best positive reduced cost not yet in (by sender, local
        indexes)."""
        needs = self.instance.needs
        senders = len(self.after)
        mu = duals[needs : needs + senders]
        reduced = np.full((senders, needs), -np.inf)
        value, size = 0.0, 0.0
        for sender, its in enumerate(self.instance.funders):
            sigma = duals[self.first_row[sender] : self.first_row[sender + 1]]
            weight = float(sigma.sum())
            terms = (
                float(sigma @ self.after[sender]),
                max(0.0, 1.0 - weight) * float(self.total[sender]),
                float(mu[sender] * self.allowance[sender]),
            )
            value += sum(terms)
            size += sum(abs(term) for term in terms)
            if not len(its):
                continue
            saved = self.spent[sender] @ sigma
            reduced[sender, its] = saved - mu[sender] * self.cost[its]
            size += float(np.abs(saved).sum() + mu[sender] * self.cost[its].sum())
        value += float(np.maximum(reduced.max(axis=0), 0.0).sum())
        for sender, its in enumerate(self.instance.funders):
            reduced[sender, its[self.brought[sender]]] = -np.inf
        count = min(count, senders)
        best = np.argpartition(-reduced, count - 1, axis=0)[:count]
        wanted: dict[int, list[int]] = {}
        for rank in range(count):
            chosen = best[rank]
            for need in np.flatnonzero(reduced[chosen, np.arange(needs)] > _TOLERANCE):
                wanted.setdefault(int(chosen[need]), []).append(int(need))
        return value + _MARGIN * size, {
            sender: np.searchsorted(self.instance.funders[sender], sorted(chosen))
            for sender, chosen in wanted.items()
        }

    def bring(self, wanted: dict[int, _Indexes]) -> None:
        """Add these pairs (by sender, local indexes) as columns."""
        columns, rows, values = [], [], []
        first = count = len(self.after) + len(self.columns)
        for sender, local in wanted.items():
            if not len(local):
                continue
            local = local[~self.brought[sender][local]]
            self.brought[sender][local] = True
            needs = self.instance.funders[sender][local]
            block = self.spent[sender][local]
            at, month = np.nonzero(block)
            numbers = count + np.arange(len(local))
            columns += [numbers, numbers, numbers[at]]
            rows += [
                needs,
                np.full(len(local), self.instance.needs + sender),
                self.first_row[sender] + month,
            ]
            values += [np.ones(len(local)), self.cost[needs], -block[at, month]]
            self.columns += [(int(need), sender) for need in needs]
            count += len(local)
        if not columns:
            return
        column, row, value = np.concatenate(columns), np.concatenate(rows), np.concatenate(values)
        order = np.lexsort((row, column))
        column, row, value = column[order], row[order], value[order]
        new = count - first
        starts = np.searchsorted(column, np.arange(first, count)).astype(np.int32)
        self.highs.addCols(
            new,
            np.zeros(new),
            np.zeros(new),
            np.ones(new),
            len(value),
            starts,
            row.astype(np.int32),
            value,
        )
