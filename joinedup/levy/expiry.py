"""Levy expiry: how much of each month's funds in expires, by the apprenticeship service's own rule.

Pure Python, no Django: the `levy expiry` contract, the expiry forecast and the monthly posting job
all call `expiries`, fed plain months and `Decimal` amounts, and get plain data back. Amounts are
exact: the arithmetic runs in a context wide enough that adding and subtracting never rounds.

For one expiry period of N months the calculation is, word for word from the levy issue:

1. Net negatives, latest first. Each refund (a negative funds-out entry), in month order, is taken
   off the positive funds-out entries dated on or before it, latest first, until used up; then each
   negative funds-in entry likewise off earlier positive funds-in entries, latest first. The part of
   a negative entry that finds nothing earlier to net against is ignored, and the negative month
   itself then counts as 0 (it still has an entry in the result).
2. Replay recorded expiries, in month order: for a recorded expiry in month E, with S = E - N, if
   max(funds_in[S], 0) (after step 1; a month absent from funds in counts as 0) minus the recorded
   amount is positive, that much was spent: it is taken from the funds-out entries dated on or
   before E, in month order (oldest first).
3. For each funds-in month S in ascending order, with E = S + N: if an expiry is recorded for E,
   the result for E is the recorded amount (past expiries are never recalculated); otherwise up to
   max(funds_in[S], 0) is taken from what is left of the funds-out entries dated on or before E, in
   month order, and the result for E is what is not covered.

With the August 2026 policy change the funds in split into a long-term cohort (months before the
change, the first period, 24 months) and a short-term cohort (from the change, its own period, 12
months). Each cohort nets its own negative funds in; the funds out are netted once and shared: the
long-term cohort runs steps 2 and 3 completely, with its own recorded expiries, then the short-term
cohort runs them on what funds out remain, with its own.

Readings chosen where the text leaves room (each keeps every worked example of the issue true):
- A month has one entry per map, so "earlier-or-same-month" entries are the earlier ones.
- Recorded expiries and negative amounts are taken as given, even a negative recorded expiry (step
  2's formula then counts it as spending); a recorded expiry whose S is not a funds-in month of its
  cohort still replays, with funds_in[S] = 0, but has no entry in the result.
- A recorded expiry for E belongs to one cohort; S = E - N looks only at that cohort's funds in.
- `as_of` only filters the result: every cohort is still worked out in full, so the long-term
  cohort's later months still use funds out before the short-term cohort sees them, and a result
  never depends on where `as_of` falls.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext
from functools import lru_cache

_ZERO = Decimal(0)
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])", re.ASCII)
# Wide enough that + and - on any two finite amounts are exact.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; ordered, hashable, and `month + n` is n months later."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"a month is 1 to 12, not {self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """The month of `YYYY-MM`."""
        match = _MONTH.fullmatch(text)
        if match is None:
            raise ValueError(f"{text!r} is not a month like 2026-08")
        return cls(int(match[1]), int(match[2]))

    @staticmethod
    def from_ordinal(ordinal: int) -> Month:
        """The month `ordinal` months after January of year 0."""
        return _month_of(ordinal)

    @property
    def ordinal(self) -> int:
        """Months since January of year 0, so that month arithmetic is integer arithmetic."""
        return self.year * 12 + self.month - 1

    def __add__(self, months: int) -> Month:
        return Month.from_ordinal(self.ordinal + months)

    def __sub__(self, months: int) -> Month:
        return Month.from_ordinal(self.ordinal - months)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@lru_cache(maxsize=4096)
def _month_of(ordinal: int) -> Month:
    # Months are immutable, so one instance per month can be shared between calculations.
    year, index = divmod(ordinal, 12)
    return Month(year, index + 1)


@dataclass(frozen=True)
class PolicyChange:
    """Funds landing from `start` on expire after `expiry_months` (August 2026: 12) instead."""

    start: Month
    expiry_months: int
    already_expired: Mapping[Month, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Expiries:
    """What expires in each expiry month, per cohort, months ascending.

    `long_term` holds the funds landing before the policy change (all funds when there is none);
    `short_term` those landing from it, or None without a policy change.
    """

    long_term: dict[Month, Decimal]
    short_term: dict[Month, Decimal] | None = None

    def by_month(self) -> dict[Month, Decimal]:
        """Both cohorts added up per expiry month, months ascending (what leaves the account)."""
        total = dict(self.long_term)
        with localcontext(_EXACT):
            for month, amount in (self.short_term or {}).items():
                total[month] = total.get(month, _ZERO) + amount
        return dict(sorted(total.items()))


class _FundsOut:
    """Funds out still to be set against funds in, always taken oldest first.

    Because every take is oldest first, the used-up entries are always a prefix: `_first` marks
    the first entry with anything left, so a whole calculation walks the entries once.
    """

    def __init__(self, netted: Mapping[int, Decimal]) -> None:
        self._months = sorted(month for month, amount in netted.items() if amount > 0)
        self._left = [netted[month] for month in self._months]
        self._first = 0

    def take(self, amount: Decimal, up_to: int) -> Decimal:
        """Take up to `amount` from entries dated on or before `up_to`; return what is uncovered."""
        index = self._first
        while amount > 0 and index < len(self._months) and self._months[index] <= up_to:
            left = self._left[index]
            if left > amount:
                self._left[index] = left - amount
                amount = _ZERO
            else:
                amount -= left
                self._left[index] = _ZERO
                index += 1
        self._first = index
        return amount


def _net_negatives(amounts: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """Step 1 for one map: each negative entry, in month order, off earlier positives, latest first.

    The positives not yet used up wait on a stack, latest on top, so netting is one pass.
    """
    netted: dict[int, Decimal] = {}
    waiting: list[int] = []
    for month in sorted(amounts):
        amount = amounts[month]
        if amount >= 0:
            netted[month] = amount
            if amount > 0:
                waiting.append(month)
            continue
        netted[month] = _ZERO
        owed = -amount
        while owed > 0 and waiting:
            latest = waiting[-1]
            if netted[latest] > owed:
                netted[latest] -= owed
                owed = _ZERO
            else:
                owed -= netted[latest]
                netted[latest] = _ZERO
                waiting.pop()
    return netted


def _run_cohort(
    funds_in: Mapping[int, Decimal],
    recorded: Mapping[int, Decimal],
    expiry_months: int,
    funds_out: _FundsOut,
) -> dict[int, Decimal]:
    """Steps 2 and 3 for one cohort whose funds in are already netted; expiry month -> amount."""
    for expiry in sorted(recorded):
        behind = funds_in.get(expiry - expiry_months, _ZERO)
        spent = (behind if behind > 0 else _ZERO) - recorded[expiry]
        if spent > 0:
            funds_out.take(spent, expiry)
    result: dict[int, Decimal] = {}
    for landed in sorted(funds_in):
        expiry = landed + expiry_months
        if expiry in recorded:
            result[expiry] = recorded[expiry]
        else:
            amount = funds_in[landed]
            result[expiry] = funds_out.take(amount, expiry) if amount > 0 else _ZERO
    return result


def _ordinals(amounts: Mapping[Month, Decimal]) -> dict[int, Decimal]:
    return {month.ordinal: amount for month, amount in amounts.items()}


def _months(result: Mapping[int, Decimal], as_of: Month | None) -> dict[Month, Decimal]:
    last = None if as_of is None else as_of.ordinal
    return {
        Month.from_ordinal(month): amount
        for month, amount in sorted(result.items())
        if last is None or month <= last
    }


def expiries(
    funds_in: Mapping[Month, Decimal],
    funds_out: Mapping[Month, Decimal],
    expiry_months: int,
    already_expired: Mapping[Month, Decimal] | None = None,
    policy_change: PolicyChange | None = None,
    as_of: Month | None = None,
) -> Expiries:
    """What expires, by the calculation of this module's docstring.

    `funds_in` and `funds_out` map the month funds landed or were spent (refunds negative) to the
    amount; `already_expired` maps expiry months to the amounts already recorded as expired (for
    the long-term cohort when there is a policy change). The result has one entry for each
    funds-in month S, at S + N, including those whose result is a recorded expiry; with `as_of`,
    only expiry months up to and including it.
    """
    if expiry_months < 1:
        raise ValueError(f"expiry_months must be at least 1, not {expiry_months}")
    if policy_change is not None and policy_change.expiry_months < 1:
        raise ValueError(
            f"the policy change's expiry_months must be at least 1, not "
            f"{policy_change.expiry_months}"
        )
    with localcontext(_EXACT):
        spending = _FundsOut(_net_negatives(_ordinals(funds_out)))
        landed = _ordinals(funds_in)
        recorded = _ordinals(already_expired or {})
        if policy_change is None:
            only = _run_cohort(_net_negatives(landed), recorded, expiry_months, spending)
            return Expiries(_months(only, as_of))
        start = policy_change.start.ordinal
        before = {month: amount for month, amount in landed.items() if month < start}
        after = {month: amount for month, amount in landed.items() if month >= start}
        long_term = _run_cohort(_net_negatives(before), recorded, expiry_months, spending)
        short_term = _run_cohort(
            _net_negatives(after),
            _ordinals(policy_change.already_expired),
            policy_change.expiry_months,
            spending,
        )
        return Expiries(_months(long_term, as_of), _months(short_term, as_of))
