"""The levy transfer allowance: how much an employer may still transfer this allowance year.

Pure Python, no Django: fed funds in by landing month and the transfers sent, returns amounts.

How the rule text of the levy issue is read:

- An allowance year starts on 20 April and runs to 19 April of the next calendar year.
- The allowance is a share of the previous year's funds in (levy after the English fraction, plus
  top-up, adjustments included): the totals that landed in the calendar months April to March
  before the allowance year starts (April 2023 to March 2024 for the year from 20 April 2024).
  A negative sum gives no allowance rather than a negative one.
- The share is dated data looked up on the day in question: the latest share whose start is on or
  before that day (10% from 20 April 2018, the first allowance year; 25% from 20 April 2019; 50%
  from 22 April 2024). So on 20 and 21 April 2024 the share was still 25%. Before the first start
  there is no allowance.
- Remaining allowance = allowance - transfers sent from the year's 20 April up to and including
  the day, never below zero and never above the balance.
- Nothing is rounded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from joinedup.levy.funds_in import exact, month_text

YEAR_STARTS_MONTH = 4
YEAR_STARTS_DAY = 20


@dataclass(frozen=True)
class AllowanceShare:
    """The share of the previous year's funds in that may be transferred, from `start` on."""

    start: dt.date
    share: Decimal


DEFAULT_SHARES: tuple[AllowanceShare, ...] = (
    AllowanceShare(dt.date(2018, 4, 20), Decimal("0.1")),
    AllowanceShare(dt.date(2019, 4, 20), Decimal("0.25")),
    AllowanceShare(dt.date(2024, 4, 22), Decimal("0.5")),
)


@dataclass(frozen=True)
class Transfer:
    """A transfer sent to another employer on a day."""

    sent: dt.date
    amount: Decimal


def allowance_year_start(on: dt.date) -> dt.date:
    """The 20 April on or before `on`: the start of the allowance year that contains it."""
    start = dt.date(on.year, YEAR_STARTS_MONTH, YEAR_STARTS_DAY)
    return start if on >= start else start.replace(year=on.year - 1)


def previous_year_months(year_start: dt.date) -> list[str]:
    """The calendar months (YYYY-MM) April to March before an allowance year starting in April."""
    first = year_start.year - 1
    return [month_text(first, month) for month in range(4, 13)] + [
        month_text(first + 1, month) for month in range(1, 4)
    ]


def previous_year_funds_in(funds_in: Mapping[str, Decimal], year_start: dt.date) -> Decimal:
    """The funds in (by landing month YYYY-MM) that landed in the months April to March before
    the allowance year; months with nothing landed count as 0."""
    with exact():
        return sum(
            (funds_in.get(month, Decimal(0)) for month in previous_year_months(year_start)),
            Decimal(0),
        )


def share_on(on: dt.date, shares: Sequence[AllowanceShare] = DEFAULT_SHARES) -> Decimal:
    """The share in force on a day: the latest whose start is on or before it, else 0."""
    started = [share for share in shares if share.start <= on]
    if not started:
        return Decimal(0)
    return max(started, key=lambda share: share.start).share


def transfer_allowance(
    funds_in: Mapping[str, Decimal],
    on: dt.date,
    shares: Sequence[AllowanceShare] = DEFAULT_SHARES,
) -> Decimal:
    """The allowance of the allowance year containing `on`, at the share in force on `on`."""
    with exact():
        previous = previous_year_funds_in(funds_in, allowance_year_start(on))
        return share_on(on, shares) * max(previous, Decimal(0))


def sent_this_year(transfers: Sequence[Transfer], on: dt.date) -> Decimal:
    """Transfers sent from the allowance year's 20 April up to and including `on`."""
    start = allowance_year_start(on)
    with exact():
        return sum(
            (transfer.amount for transfer in transfers if start <= transfer.sent <= on),
            Decimal(0),
        )


def remaining(allowance: Decimal, sent: Decimal, balance: Decimal) -> Decimal:
    """Allowance less what was sent, never below zero and never above the balance."""
    with exact():
        return max(Decimal(0), min(allowance - sent, balance))


def remaining_allowance(
    *,
    funds_in: Mapping[str, Decimal],
    transfers: Sequence[Transfer],
    balance: Decimal,
    on: dt.date,
    shares: Sequence[AllowanceShare] = DEFAULT_SHARES,
) -> Decimal:
    """What may still be transferred on `on`: the year's allowance less this year's transfers,
    within zero and the account balance."""
    return remaining(
        transfer_allowance(funds_in, on, shares), sent_this_year(transfers, on), balance
    )
