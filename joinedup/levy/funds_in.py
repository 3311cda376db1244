"""Levy funds in from HMRC declarations: which figure counts, what it adds, and when it lands.

Pure Python, no Django: fed plain declarations, returns plain rows, so the `levy funds-in` contract,
the ledger service and the tests all share one reading of the rules of the levy issue.

How the rule text is read, where it leaves room:

- Tax month m of tax year `YY-YY` runs from the 6th of one calendar month to the 5th of the
  next (month 1 of 17-18 is 6 April to 5 May 2017). Its cut-off is the 20th of the calendar month
  in which it ends (20 May 2017). A declaration is on time when submitted strictly before the
  cut-off date; one submitted on the 20th is late. Nothing stops a declaration being "early": any
  date before the cut-off counts.
- For one scheme, tax year and payroll month the winning declaration is the on-time one submitted
  last; between those submitted on the same day, the one listed later wins. Only the winner is
  used, even when its figure is null and an earlier on-time one had a figure.
- A month's levy is its winner's year-to-date figure minus the figure of the latest earlier payroll
  month of the same year whose winner has a figure (0 if none), times the English fraction. A null
  winner adds nothing and is skipped when later months look back. Its month still gets a row.
- Late declarations are ignored for their own month (the next on-time year-to-date figure carries
  the correction). A payroll-month-12 declaration submitted after the month-12 cut-off (20 April)
  but before 22 April is late like any other and ignored; from 22 April following the year's end on
  (however many years later) it is an end-of-year adjustment instead.
- An adjustment's levy is its figure minus the latest figure used for that scheme and year (the
  previous adjustment with a figure, else the latest on-time winner with a figure, else 0), times
  the English fraction. Several adjustments are taken in order of submission, then of listing, each
  measured against the one before. A null adjustment adds nothing and leaves the figure it would
  have replaced in place. Its top-up uses the rate in force at the year's month-12 cut-off; it lands
  in the month of submission when submitted on or before the 23rd, else in the next month.
- The rate in force at a date is the rate whose start date is the latest one strictly before it; a
  date before every start has no top-up (rate 0).
- All arithmetic is exact: no rounding anywhere, whatever the number of decimal places.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

CUT_OFF_DAY = 20
ADJUSTMENTS_FROM_DAY = 22  # of April following the tax year's end
ADJUSTMENT_LANDS_SAME_MONTH_UNTIL_DAY = 23
FIRST_CALENDAR_MONTH = 4  # tax month 1 starts in April


@dataclass(frozen=True)
class Declaration:
    """One HMRC levy declaration (EPS) for a PAYE scheme, as submitted."""

    id: str
    scheme: str
    payroll_year: str  # "17-18"
    payroll_month: int  # 1-12
    levy_due_ytd: Decimal | None  # None: "no payment for period"
    submitted: dt.date

    def __post_init__(self) -> None:
        tax_year_start(self.payroll_year)
        if not 1 <= self.payroll_month <= 12:
            raise ValueError(f"payroll month must be 1-12, not {self.payroll_month}")


@dataclass(frozen=True)
class TopUpRate:
    """A government top-up rate in force from the day after `start` onwards."""

    start: dt.date
    rate: Decimal


DEFAULT_TOP_UP_RATES: tuple[TopUpRate, ...] = (
    TopUpRate(dt.date(2015, 1, 1), Decimal("0.1")),
    TopUpRate(dt.date(2026, 8, 1), Decimal("0")),
)


@dataclass(frozen=True)
class FundsInEntry:
    """What one used declaration adds to the account: one funds-in ledger entry."""

    month: str  # landing month, YYYY-MM
    declaration: str
    scheme: str
    payroll_year: str
    payroll_month: int
    adjustment: bool
    levy: Decimal
    top_up: Decimal

    @property
    def total(self) -> Decimal:
        """Levy plus top-up."""
        return self.levy + self.top_up


@dataclass(frozen=True)
class MonthFundsIn:
    """Everything that lands in one calendar month, and the running balance after it."""

    month: str  # YYYY-MM
    levy: Decimal
    top_up: Decimal
    total: Decimal
    balance: Decimal


@contextmanager
def exact() -> Iterator[None]:
    """Decimal arithmetic that never rounds: sums and products keep every digit."""
    with decimal.localcontext() as context:
        context.prec = decimal.MAX_PREC
        context.Emax = decimal.MAX_EMAX
        context.Emin = decimal.MIN_EMIN
        context.traps[decimal.Inexact] = True
        yield


def tax_year_start(payroll_year: str) -> int:
    """The calendar year in which a `YY-YY` tax year starts (17-18 -> 2017)."""
    first, dash, second = payroll_year.partition("-")
    if (
        not dash
        or len(first) != 2
        or len(second) != 2
        or not (first + second).isascii()
        or not (first + second).isdigit()
        or (int(first) + 1) % 100 != int(second)
    ):
        raise ValueError(f"tax year must look like 17-18, not {payroll_year!r}")
    return 2000 + int(first)


def month_text(year: int, month: int) -> str:
    """A calendar month as YYYY-MM."""
    return f"{year:04d}-{month:02d}"


def next_month(year: int, month: int) -> tuple[int, int]:
    """The calendar month after the given one."""
    return (year + 1, 1) if month == 12 else (year, month + 1)


@functools.cache  # a ledger of many employers asks for the same few hundred dates
def cut_off(payroll_year: str, payroll_month: int) -> dt.date:
    """The 20th of the calendar month in which the tax month ends (month 1 of 17-18: 2017-05-20).

    Tax month m ends on the 5th of the calendar month m after April: month 1 in May, month 9 in
    January of the next year, month 12 in April of the next year.
    """
    months_after_january = FIRST_CALENDAR_MONTH - 1 + payroll_month
    year = tax_year_start(payroll_year) + months_after_january // 12
    return dt.date(year, months_after_january % 12 + 1, CUT_OFF_DAY)


def adjustments_open(payroll_year: str) -> dt.date:
    """22 April after the tax year ends: month-12 declarations from then on are adjustments."""
    return dt.date(tax_year_start(payroll_year) + 1, 4, ADJUSTMENTS_FROM_DAY)


def adjustment_landing(submitted: dt.date) -> str:
    """An adjustment lands in its month of submission up to the 23rd, else in the next month."""
    if submitted.day <= ADJUSTMENT_LANDS_SAME_MONTH_UNTIL_DAY:
        return month_text(submitted.year, submitted.month)
    return month_text(*next_month(submitted.year, submitted.month))


def rate_in_force(on: dt.date, rates: Sequence[TopUpRate]) -> Decimal:
    """The rate whose start is the latest strictly before `on`; 0 when none started before it."""
    started = [rate for rate in rates if rate.start < on]
    if not started:
        return Decimal(0)
    return max(started, key=lambda rate: rate.start).rate


def is_on_time(declaration: Declaration) -> bool:
    """Submitted strictly before its month's cut-off date."""
    return declaration.submitted < cut_off(declaration.payroll_year, declaration.payroll_month)


def is_adjustment(declaration: Declaration) -> bool:
    """A payroll-month-12 declaration submitted on or after 22 April following the year's end."""
    return declaration.payroll_month == 12 and declaration.submitted >= adjustments_open(
        declaration.payroll_year
    )


def funds_in_entries(
    declarations: Sequence[Declaration],
    *,
    english_fraction: Decimal = Decimal(1),
    top_up_rates: Sequence[TopUpRate] = DEFAULT_TOP_UP_RATES,
) -> list[FundsInEntry]:
    """One entry per used declaration: each month's on-time winner, then each adjustment.

    `declarations` are in their listed order, which breaks ties between same-day submissions.
    Entries come per scheme and year in payroll-month order, adjustments last; late declarations
    that are not adjustments give no entry.
    """
    groups: dict[tuple[str, str], list[tuple[int, Declaration]]] = {}
    for position, declaration in enumerate(declarations):
        key = (declaration.scheme, declaration.payroll_year)
        groups.setdefault(key, []).append((position, declaration))
    entries: list[FundsInEntry] = []
    with exact():
        for listed in groups.values():
            entries.extend(_scheme_year_entries(listed, english_fraction, top_up_rates))
    return entries


def _submission_order(item: tuple[int, Declaration]) -> tuple[dt.date, int]:
    position, declaration = item
    return declaration.submitted, position


def _scheme_year_entries(
    listed: list[tuple[int, Declaration]],
    english_fraction: Decimal,
    top_up_rates: Sequence[TopUpRate],
) -> Iterator[FundsInEntry]:
    """The entries of one scheme and tax year; `listed` keeps each declaration's listed position."""
    winners: dict[int, tuple[int, Declaration]] = {}
    adjustments: list[tuple[int, Declaration]] = []
    for item in listed:
        declaration = item[1]
        if is_on_time(declaration):
            current = winners.get(declaration.payroll_month)
            if current is None or _submission_order(item) > _submission_order(current):
                winners[declaration.payroll_month] = item
        elif is_adjustment(declaration):
            adjustments.append(item)
    previous = Decimal(0)
    for payroll_month in sorted(winners):
        declaration = winners[payroll_month][1]
        when = cut_off(declaration.payroll_year, payroll_month)
        levy, previous = _levy_and_figure(declaration, previous, english_fraction)
        yield _entry(declaration, month_text(when.year, when.month), levy, False, top_up_rates)
    for _, declaration in sorted(adjustments, key=_submission_order):
        levy, previous = _levy_and_figure(declaration, previous, english_fraction)
        landing = adjustment_landing(declaration.submitted)
        yield _entry(declaration, landing, levy, True, top_up_rates)


def _levy_and_figure(
    declaration: Declaration, previous: Decimal, english_fraction: Decimal
) -> tuple[Decimal, Decimal]:
    """The levy a used declaration adds, and the figure the next one is measured against."""
    if declaration.levy_due_ytd is None:
        return Decimal(0), previous
    return (declaration.levy_due_ytd - previous) * english_fraction, declaration.levy_due_ytd


def _entry(
    declaration: Declaration,
    landing: str,
    levy: Decimal,
    adjustment: bool,
    top_up_rates: Sequence[TopUpRate],
) -> FundsInEntry:
    # An adjustment's top-up is at the rate of its year's month-12 cut-off, which is also the
    # cut-off of its own (month-12) payroll month.
    rate = rate_in_force(cut_off(declaration.payroll_year, declaration.payroll_month), top_up_rates)
    return FundsInEntry(
        month=landing,
        declaration=declaration.id,
        scheme=declaration.scheme,
        payroll_year=declaration.payroll_year,
        payroll_month=declaration.payroll_month,
        adjustment=adjustment,
        levy=levy,
        top_up=levy * rate,
    )


def monthly_funds_in(entries: Sequence[FundsInEntry]) -> list[MonthFundsIn]:
    """Entries added up by landing month (all schemes of the employer together), in month order,
    with the running balance; a month whose entries add nothing still has its row."""
    levy: dict[str, Decimal] = {}
    top_up: dict[str, Decimal] = {}
    with exact():
        for entry in entries:
            levy[entry.month] = levy.get(entry.month, Decimal(0)) + entry.levy
            top_up[entry.month] = top_up.get(entry.month, Decimal(0)) + entry.top_up
        rows: list[MonthFundsIn] = []
        balance = Decimal(0)
        for month in sorted(levy):
            total = levy[month] + top_up[month]
            balance += total
            rows.append(MonthFundsIn(month, levy[month], top_up[month], total, balance))
    return rows


def funds_in(
    declarations: Sequence[Declaration],
    *,
    english_fraction: Decimal = Decimal(1),
    top_up_rates: Sequence[TopUpRate] = DEFAULT_TOP_UP_RATES,
) -> list[MonthFundsIn]:
    """Funds in by calendar month of landing for one employer's declarations (the contract)."""
    return monthly_funds_in(
        funds_in_entries(declarations, english_fraction=english_fraction, top_up_rates=top_up_rates)
    )
