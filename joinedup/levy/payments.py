"""Provider payments for an apprenticeship and how a month's outgoings are met. Plain data in/out.

The rules (issue 4, "Provider payments" and "Spending in a month"):

- The agreed price is capped at the standard's funding band; the employer pays any excess to the
  provider directly, outside the levy.
- The capped price less the completion share (20%) is paid in monthly instalments; the completion
  share is paid on completion.
- Instalments fall in every month from the start month to the planned end month; the end month
  counts only when the planned end date is that month's last day (an apprenticeship ending
  mid-month earns nothing for its last part-month). Each instalment is the unpaid on-programme
  amount divided by the instalments left, rounded to 5 decimal places with halves away from zero;
  the last instalment is whatever is unpaid, so the instalments add up exactly.
- A price change from a given month re-spreads what is unpaid, under the new capped price, over the
  instalments from that month on.
- Months here are the months the money is earned (the issue's months), each written as the first day
  of the month. The completion payment falls in the month of the planned end date.
- What happens to the apprenticeship moves its schedule (`ScheduleEvent`, passed to
  `payment_schedule`; see `payment_schedule_with_events` for the rules of breaks, returns,
  withdrawal and completion).
- In a month, refunds come back first, then transfers are met, then payments to providers in the
  employer's priority order, then the other payments, each group in the order given. What the
  balance cannot meet is co-invested, split government/employer by the rate in force at the
  apprenticeship's start; co-investment never touches the balance.

Every rate is data passed in (`PaymentTerms`, `CoInvestmentRate`), versioned by effective date; the
`DEFAULT_*` constants are the issue's figures for the service to load into its tables.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Protocol, TypeVar

ZERO = Decimal(0)


class _Dated(Protocol):
    @property
    def effective_from(self) -> dt.date: ...


_Version = TypeVar("_Version", bound=_Dated)


def in_force(versions: Iterable[_Version], on: dt.date) -> _Version:
    """The version with the latest effective date on or before `on` (a rate starts on its date)."""
    started = [version for version in versions if version.effective_from <= on]
    if not started:
        raise ValueError(f"no rate is in force on {on.isoformat()}")
    return max(started, key=lambda version: version.effective_from)


@dataclass(frozen=True)
class PaymentTerms:
    """How a capped price is split and rounded, for apprenticeships starting from
    `effective_from`."""

    effective_from: dt.date
    completion_share: Decimal
    instalment_places: int


@dataclass(frozen=True)
class CoInvestmentRate:
    """The government's share of what levy cannot cover, for starts from `effective_from`; the
    employer pays the rest."""

    effective_from: dt.date
    government_share: Decimal


# Levy funding of apprenticeships began on 1 May 2017.
DEFAULT_PAYMENT_TERMS: tuple[PaymentTerms, ...] = (
    PaymentTerms(
        effective_from=dt.date(2017, 5, 1), completion_share=Decimal("0.2"), instalment_places=5
    ),
)
DEFAULT_CO_INVESTMENT_RATES: tuple[CoInvestmentRate, ...] = (
    CoInvestmentRate(effective_from=dt.date(2017, 5, 1), government_share=Decimal("0.9")),
    CoInvestmentRate(effective_from=dt.date(2019, 4, 1), government_share=Decimal("0.95")),
)


@dataclass(frozen=True)
class PriceChange:
    """A new agreed price, in force from the given month (the first day of that month)."""

    from_month: dt.date
    price: Decimal


@dataclass(frozen=True)
class Instalment:
    """One monthly on-programme payment; `month` is the first day of the month."""

    month: dt.date
    amount: Decimal


@dataclass(frozen=True)
class PaymentSchedule:
    """What the levy pays a provider, and when, under the final agreed price."""

    capped_price: Decimal
    employer_excess: Decimal
    instalments: tuple[Instalment, ...]
    completion_payment: Decimal
    completion_month: dt.date
    # Set by events (see `payment_schedule_with_events`); the defaults are a plain schedule's.
    balancing_payment: Decimal = ZERO
    on_hold: Decimal = ZERO
    completion_due: bool = True
    stopped_from: dt.date | None = None

    @property
    def total(self) -> Decimal:
        """Everything the schedule pays: the capped price, unless stopped or on a break."""
        paid = sum((i.amount for i in self.instalments), ZERO)
        return paid + self.balancing_payment + self.completion_payment

    def costs_by_month(self) -> dict[str, Decimal]:
        """Instalments, any balancing payment and the completion payment added up by month
        (`YYYY-MM`), in month order: the cost schedule the pooling optimiser's `Need.costs` and the
        expiry forecast take. A payment of nothing (a stopped schedule's) is left out."""
        costs: dict[str, Decimal] = {}
        payments = [(i.month, i.amount) for i in self.instalments]
        ending = [
            (self.completion_month, self.balancing_payment),
            (self.completion_month, self.completion_payment),
        ]
        for month, amount in [*payments, *[(m, a) for m, a in ending if a]]:
            key = f"{month:%Y-%m}"
            costs[key] = costs.get(key, ZERO) + amount
        return dict(sorted(costs.items()))

    def due_by_month(self) -> dict[str, Decimal]:
        """`costs_by_month` less a completion payment not yet due (awaiting a recorded completion,
        or on a break): what may be posted to the ledger once its month comes."""
        costs = self.costs_by_month()
        if not self.completion_due and self.completion_payment:
            key = f"{self.completion_month:%Y-%m}"
            costs[key] -= self.completion_payment
            if costs[key] == 0:
                del costs[key]
        return costs


def month_of(day: dt.date) -> dt.date:
    """The first day of the month that holds `day`."""
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def is_last_day_of_month(day: dt.date) -> bool:
    """Whether `day` ends its month."""
    return day.day == calendar.monthrange(day.year, day.month)[1]


def capped_price(price: Decimal, funding_band: Decimal) -> Decimal:
    """The part of the agreed price the levy pays for: at most the standard's funding band."""
    return min(price, funding_band)


def employer_excess(price: Decimal, funding_band: Decimal) -> Decimal:
    """The part of the agreed price above the funding band, which the employer pays directly."""
    return max(price - funding_band, ZERO)


def instalment_months(start: dt.date, planned_end: dt.date) -> tuple[dt.date, ...]:
    """The months that carry an instalment: from the start month to the planned end month, the end
    month only when the planned end date is its last day."""
    if planned_end <= start:
        raise ValueError(
            f"planned end date {planned_end.isoformat()} must be after start date "
            f"{start.isoformat()}"
        )
    last = month_of(planned_end)
    months: list[dt.date] = []
    month = month_of(start)
    while month < last or (month == last and is_last_day_of_month(planned_end)):
        months.append(month)
        month = _next_month(month)
    if not months:
        raise ValueError(
            f"start date {start.isoformat()} and planned end date {planned_end.isoformat()} "
            "leave no month for an instalment"
        )
    return tuple(months)


def completion_month(planned_end: dt.date) -> dt.date:
    """The month the completion payment is planned for: that of the planned end date."""
    return month_of(planned_end)


def instalment_amount(unpaid: Decimal, instalments_left: int, places: int) -> Decimal:
    """The next instalment: the unpaid on-programme amount over the instalments left, rounded to
    `places` decimal places with halves away from zero; the last one is all that is unpaid."""
    if instalments_left == 1:
        return unpaid
    return (unpaid / instalments_left).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _prices_by_month(
    price: Decimal, price_changes: Sequence[PriceChange], months: Sequence[dt.date]
) -> list[Decimal]:
    """The agreed price in force in each instalment month."""
    changes = sorted(price_changes, key=lambda change: change.from_month)
    for earlier, later in zip(changes, changes[1:], strict=False):
        if earlier.from_month == later.from_month:
            raise ValueError(f"two price changes from {later.from_month:%Y-%m}")
    for change in changes:
        if change.from_month.day != 1:
            raise ValueError(f"price change month {change.from_month} is not a month's first day")
        if not months[0] < change.from_month <= months[-1]:
            raise ValueError(
                f"a price change from {change.from_month:%Y-%m} must come after the start month "
                f"and no later than the last instalment month {months[-1]:%Y-%m}"
            )
    prices: list[Decimal] = []
    for month in months:
        in_force_now = [change.price for change in changes if change.from_month <= month]
        prices.append(in_force_now[-1] if in_force_now else price)
    return prices


def _check_positive(amount: Decimal, name: str) -> None:
    if not amount > 0:
        raise ValueError(f"{name} must be more than 0, not {amount}")


def payment_schedule(
    *,
    start: dt.date,
    planned_end: dt.date,
    price: Decimal,
    funding_band: Decimal,
    terms: PaymentTerms,
    price_changes: Sequence[PriceChange] = (),
    events: Sequence[ScheduleEvent] = (),
    completion_on_record: bool = False,
) -> PaymentSchedule:
    """The provider payments for one apprenticeship: monthly instalments re-spread at each price
    change, then the completion payment, all under the funding band. With `events` or
    `completion_on_record`, see `payment_schedule_with_events`."""
    if events or completion_on_record:
        if price_changes:
            raise ValueError("price changes and events cannot be combined in one schedule")
        return payment_schedule_with_events(
            start=start,
            planned_end=planned_end,
            price=price,
            funding_band=funding_band,
            terms=terms,
            events=events,
            completion_on_record=completion_on_record,
        )
    _check_positive(funding_band, "funding band")
    _check_positive(price, "price")
    for change in price_changes:
        _check_positive(change.price, f"price from {change.from_month:%Y-%m}")
    on_programme_share = 1 - terms.completion_share
    months = instalment_months(start, planned_end)
    prices = _prices_by_month(price, price_changes, months)
    paid = ZERO
    instalments: list[Instalment] = []
    for index, (month, price_now) in enumerate(zip(months, prices, strict=True)):
        unpaid = capped_price(price_now, funding_band) * on_programme_share - paid
        if unpaid < 0:
            raise ValueError(
                f"the price from {month:%Y-%m} is below what is already paid on programme "
                f"({paid}); record a refund instead"
            )
        amount = instalment_amount(unpaid, len(months) - index, terms.instalment_places)
        instalments.append(Instalment(month, amount))
        paid += amount
    final_price = prices[-1]
    capped = capped_price(final_price, funding_band)
    return PaymentSchedule(
        capped_price=capped,
        employer_excess=employer_excess(final_price, funding_band),
        instalments=tuple(instalments),
        completion_payment=capped - paid,
        completion_month=completion_month(planned_end),
    )


class EventKind(StrEnum):
    """What can happen to an apprenticeship that moves its payments."""

    BREAK = "break"
    RESUME = "resume"
    STOP = "stop"
    COMPLETE = "complete"
    CHANGE = "change"


@dataclass(frozen=True)
class ScheduleEvent:
    """A dated change to an apprenticeship: a break in learning, a return (with the new planned
    end date), a withdrawal, a completion, or a change of the agreed price or planned end date
    (either or both).

    `not_before` (a month's first day) is the first month whose payment was not yet on the
    ledger when the event was recorded: a month already posted is never changed, so the event
    takes effect from that month at the earliest.
    """

    kind: EventKind
    on: dt.date
    planned_end: dt.date | None = None
    not_before: dt.date | None = None
    price: Decimal | None = None


def _months_from(first: dt.date, planned_end: dt.date) -> list[dt.date]:
    """The instalment months of a plan from the month `first` to a planned end (its month only
    when the end is the month's last day)."""
    last = month_of(planned_end)
    months: list[dt.date] = []
    month = first
    while month < last or (month == last and is_last_day_of_month(planned_end)):
        months.append(month)
        month = _next_month(month)
    return months


def census_month(day: dt.date) -> dt.date:
    """The first month an event on `day` stops paying for: its own, unless `day` is the month's
    last day (the census date), when the month is still paid and it is the next."""
    return _next_month(month_of(day)) if is_last_day_of_month(day) else month_of(day)


def expected_completion_month(planned_end: dt.date) -> dt.date:
    """Where a completion not yet recorded is forecast: the month of the day after the planned
    end, the first month after the last instalment."""
    return month_of(planned_end + dt.timedelta(days=1))


def _effective_month(event: ScheduleEvent, floor: dt.date) -> dt.date:
    if event.kind in (EventKind.BREAK, EventKind.STOP):
        month = census_month(event.on)
    else:
        month = month_of(event.on)
    candidates = [month, floor]
    if event.not_before is not None:
        if event.not_before.day != 1:
            raise ValueError(f"not_before {event.not_before} is not a month's first day")
        candidates.append(event.not_before)
    return max(candidates)


def payment_schedule_with_events(
    *,
    start: dt.date,
    planned_end: dt.date,
    price: Decimal,
    funding_band: Decimal,
    terms: PaymentTerms,
    events: Sequence[ScheduleEvent] = (),
    completion_on_record: bool = False,
) -> PaymentSchedule:
    """The provider payments of an apprenticeship as its events move them.

    The rules (events in date order, the order given for one day):

    - Instalments follow the plan as known at the time: each is the unpaid on-programme amount
      over the plan's months left, so the months before an event are what they would have been
      without it.
    - A break stops instalments from its month; a break starting on a month's last day (the
      census date) still pays that month and stops from the next.
    - A return re-spreads the unpaid on-programme amount over the months from the return's month
      to the new planned end (that month only when the new end is its last day). A return in the
      month the break took effect loses no month.
    - A withdrawal stops every instalment from its month (the month is still paid when it falls on
      the month's last day) and the completion payment: the schedule then sums to what was paid.
    - A completion ends the instalments: the unpaid on-programme amount (the balancing payment;
      nothing when it is on time or late) and the completion payment fall in the completion's
      month.
    - A change of the agreed price or planned end re-spreads the unpaid on-programme amount,
      under the new capped price, over the months from the change's month to the (new) planned
      end (with no month left, it is held until the completion's balancing payment); the
      completion payment is the new capped price's share. On a break it changes what the return
      spreads. A price whose on-programme amount is below what is already paid is refused (a
      refund is a matter for the provider).
    - No event takes effect before an earlier one, nor before its `not_before` month.
    - Without `completion_on_record` the completion payment falls due in the planned end's
      month (the levy's plain rule): an event taking effect after that month leaves it there,
      paid, even a withdrawal.
    - Without a recorded completion, the completion payment is forecast in the planned end's
      month, or with `completion_on_record` in the month after the last instalment
      (`expected_completion_month`); it is due (may be posted) only when no break is open and,
      with `completion_on_record`, only once the completion is recorded.
    - On a break still open, the unpaid on-programme amount is held (`on_hold`) until a return.

    So instalments + balancing + completion + on hold always equal the capped price, unless the
    apprenticeship is stopped. ValueError for an impossible history (a return without a break,
    anything after a withdrawal or completion, an event before the start).
    """
    _check_positive(funding_band, "funding band")
    _check_positive(price, "price")
    capped = capped_price(price, funding_band)
    on_programme = capped * (1 - terms.completion_share)
    plan = list(instalment_months(start, planned_end))
    plan_end = planned_end
    paid = ZERO
    instalments: list[Instalment] = []
    cursor = month_of(start)
    floor = month_of(start)
    state = "learning"
    ended_in: dt.date | None = None
    fixed: dt.date | None = None

    def pay_until(limit: dt.date | None) -> None:
        nonlocal paid, cursor
        due = [month for month in plan if month >= cursor and (limit is None or month < limit)]
        for month in due:
            left = len([m for m in plan if m >= month])
            amount = instalment_amount(on_programme - paid, left, terms.instalment_places)
            if amount:
                instalments.append(Instalment(month, amount))
            paid += amount
        if limit is not None:
            cursor = max(cursor, limit)

    for event in sorted(events, key=lambda event: event.on):
        kind = EventKind(event.kind)
        if event.on < start:
            raise ValueError(f"a {kind} on {event.on.isoformat()} is before the start")
        if state in ("stopped", "completed"):
            raise ValueError(
                f"nothing can follow a {'withdrawal' if state == 'stopped' else 'completion'}"
            )
        month = _effective_month(event, floor)
        floor = month
        if (
            not completion_on_record
            and state == "learning"
            and fixed is None
            and completion_month(plan_end) < month
        ):
            # Its planned month came first: the completion payment fell due there and stays.
            fixed = completion_month(plan_end)
        if kind == EventKind.BREAK:
            if state != "learning":
                raise ValueError(f"a break on {event.on.isoformat()} while already on a break")
            pay_until(month)
            state = "on_break"
        elif kind == EventKind.RESUME:
            if state != "on_break":
                raise ValueError(f"a return on {event.on.isoformat()} without a break")
            if event.planned_end is None:
                raise ValueError("a return needs its new planned end date")
            plan = _months_from(month, event.planned_end)
            if not plan:
                raise ValueError(
                    f"the new planned end date {event.planned_end.isoformat()} leaves no month "
                    f"for an instalment after the return on {event.on.isoformat()}"
                )
            plan_end = event.planned_end
            cursor = month
            state = "learning"
        elif kind == EventKind.CHANGE:
            if event.price is None and event.planned_end is None:
                raise ValueError("a change needs a new price or a new planned end date")
            if state == "learning":
                pay_until(month)
            if event.price is not None:
                _check_positive(event.price, "price")
                price = event.price
                capped = capped_price(price, funding_band)
                on_programme = capped * (1 - terms.completion_share)
                if on_programme < paid:
                    raise ValueError(
                        f"the new price's on-programme amount is below what is already paid "
                        f"({paid})"
                    )
            plan_end = event.planned_end or plan_end
            if state == "learning":
                # No month left (a change after the last instalment): the rest is held and paid
                # as the balancing payment at completion.
                plan = _months_from(month, plan_end)
                cursor = month
        elif kind == EventKind.STOP:
            if state == "learning":
                pay_until(month)
            state, ended_in = "stopped", month
        else:
            if state == "learning":
                pay_until(month)
            state, ended_in = "completed", month
    if state == "learning":
        pay_until(None)
    completion = capped - on_programme
    if state == "stopped":
        assert ended_in is not None
        return PaymentSchedule(
            capped_price=capped,
            employer_excess=employer_excess(price, funding_band),
            instalments=tuple(instalments),
            completion_payment=ZERO if fixed is None else completion,
            completion_month=ended_in if fixed is None else fixed,
            completion_due=fixed is not None,
            stopped_from=ended_in,
        )
    if state == "completed":
        assert ended_in is not None
        return PaymentSchedule(
            capped_price=capped,
            employer_excess=employer_excess(price, funding_band),
            instalments=tuple(instalments),
            completion_payment=completion,
            completion_month=ended_in if fixed is None else fixed,
            balancing_payment=on_programme - paid,
        )
    if fixed is not None:
        return PaymentSchedule(
            capped_price=capped,
            employer_excess=employer_excess(price, funding_band),
            instalments=tuple(instalments),
            completion_payment=completion,
            completion_month=fixed,
            on_hold=on_programme - paid,
        )
    forecast = (
        expected_completion_month(plan_end) if completion_on_record else completion_month(plan_end)
    )
    return PaymentSchedule(
        capped_price=capped,
        employer_excess=employer_excess(price, funding_band),
        instalments=tuple(instalments),
        completion_payment=completion,
        completion_month=max(forecast, floor),
        on_hold=on_programme - paid,
        completion_due=state == "learning" and not completion_on_record,
    )


@dataclass(frozen=True)
class CoInvestment:
    """What levy could not cover, split between the government and the employer."""

    government: Decimal
    employer: Decimal


def co_investment(
    uncovered: Decimal, start: dt.date, rates: Sequence[CoInvestmentRate]
) -> CoInvestment:
    """Split an amount levy cannot cover by the rate in force on the apprenticeship's start date;
    the employer's part is the remainder, so the parts add up exactly."""
    government = uncovered * in_force(rates, start).government_share
    return CoInvestment(government=government, employer=uncovered - government)


@dataclass(frozen=True)
class Refund:
    """Money a provider pays back into the levy account (a positive amount)."""

    id: str
    amount: Decimal


@dataclass(frozen=True)
class TrainingPayment:
    """A payment due this month for an apprenticeship: to a provider, or a transfer to another
    employer's apprenticeship (`transfer`)."""

    id: str
    amount: Decimal
    start: dt.date
    provider: str | None = None
    transfer: bool = False


@dataclass(frozen=True)
class SpendingLine:
    """How one outgoing was met: `levy` from the balance (negative for a refund, which adds to it),
    the rest co-invested."""

    id: str
    levy: Decimal
    government: Decimal
    employer: Decimal


@dataclass(frozen=True)
class MonthSpending:
    """Each outgoing in the order it was met, and the balance left."""

    lines: tuple[SpendingLine, ...]
    balance: Decimal


def spending_order(
    outgoings: Sequence[Refund | TrainingPayment], provider_priority: Sequence[str]
) -> list[Refund | TrainingPayment]:
    """Refunds, then transfers, then payments to providers in the employer's priority order, then
    the other payments; each group keeps the order given."""
    rank = {provider: place for place, provider in enumerate(provider_priority)}
    unranked = len(rank)

    def group(outgoing: Refund | TrainingPayment) -> tuple[int, int]:
        if isinstance(outgoing, Refund):
            return (0, 0)
        if outgoing.transfer:
            return (1, 0)
        if outgoing.provider in rank:
            return (2, rank[outgoing.provider])
        return (2, unranked)

    return sorted(outgoings, key=group)


def spend_month(
    *,
    balance: Decimal,
    outgoings: Sequence[Refund | TrainingPayment],
    provider_priority: Sequence[str],
    co_investment_rates: Sequence[CoInvestmentRate],
) -> MonthSpending:
    """Meet a month's outgoings from the available balance in the spending order; what the balance
    cannot meet is co-invested and leaves the balance as it is."""
    lines: list[SpendingLine] = []
    for outgoing in spending_order(outgoings, provider_priority):
        _check_positive(outgoing.amount, f"amount of {outgoing.id}")
        if isinstance(outgoing, Refund):
            balance += outgoing.amount
            lines.append(SpendingLine(outgoing.id, -outgoing.amount, ZERO, ZERO))
            continue
        levy = min(outgoing.amount, max(balance, ZERO))
        balance -= levy
        shares = co_investment(outgoing.amount - levy, outgoing.start, co_investment_rates)
        lines.append(SpendingLine(outgoing.id, levy, shares.government, shares.employer))
    return MonthSpending(lines=tuple(lines), balance=balance)
