"""Reads of the levy ledger that pages, the API and the other levy services share.

Everything is worked out from the summary tables that the writes keep (`levy.summaries`): the
ledger's entries added up by account, month, kind and source (`LedgerMonth`, in whole
hundred-thousandths of a pound, exact even on SQLite) and the payments committed and not yet
posted by account and month (`CommittedMonth`), a few rows per month, never one per entry or
commitment. The bulk form (`account_summaries`) answers for many accounts in the same handful of
queries as for one.

Which entries feed the expiry calculation: funds in are levy, top-up and adjustments; funds out
are payments from the account's own funds, transfers sent, less refunds. A transfer received is
paid straight out again (its `transfer_in` and the receiver's `payment` carry the sender as
counterparty), so neither counts as the receiver's own funds in or out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BigIntegerField, F, Q, QuerySet, Sum
from django.db.models.functions import Cast, Round

from . import expiry, payments, rules
from .allowance import (
    AllowanceShare,
    allowance_year_start,
    previous_year_funds_in,
    share_on,
    transfer_allowance,
)
from .expiry import Month
from .models import (
    AllowanceYear,
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    CommittedMonth,
    EntryKind,
    EntrySource,
    LedgerMonth,
    LevyAccount,
)

PLACES = 5
UNIT = Decimal(1).scaleb(-PLACES)


def units_of(column: str) -> Cast:
    """An amount column in whole hundred-thousandths of a pound, summed exactly in SQL even on
    SQLite."""
    return Cast(Round(F(column) * 10**PLACES), BigIntegerField())


UNITS = units_of("amount")
FUNDS_IN_KINDS = frozenset({EntryKind.FUNDS_IN, EntryKind.TOP_UP, EntryKind.ADJUSTMENT})
FUNDS_OUT_KINDS = frozenset({EntryKind.PAYMENT, EntryKind.TRANSFER_OUT, EntryKind.REFUND})
LONG_TERM = "long"
SHORT_TERM = "short"
FORECAST_MONTHS = 24
EVENT_CHUNK = 900


def to_ledger_places(amount: Decimal) -> Decimal:
    """An amount as the ledger keeps it: 5 decimal places, halves away from zero."""
    return amount.quantize(UNIT, ROUND_HALF_UP)


def _from_units(units: int | None) -> Decimal:
    return Decimal(units or 0).scaleb(-PLACES)


def month_of(day: dt.date) -> Month:
    return Month(day.year, day.month)


def month_start(month: Month) -> dt.date:
    return dt.date(month.year, month.month, 1)


def expiry_key(month: Month, cohort: str) -> str:
    """The key of a posted expiry: one per expiry month and cohort, so it is never posted twice."""
    return f"expiry:{month}:{cohort}"


def payer_key(commitment_id: int, kind: str, month: dt.date) -> str:
    """The key of a payment (or the transfer paying for it) of one commitment in one month."""
    return f"{kind}:c{commitment_id}:{month:%Y-%m}"


@dataclass
class Ledger:
    """An account's entries added up by month and kind, and its recorded expiries by cohort."""

    sums: dict[tuple[dt.date, str, bool], Decimal] = field(default_factory=dict)
    recorded: dict[str, dict[Month, Decimal]] = field(
        default_factory=lambda: {LONG_TERM: {}, SHORT_TERM: {}}
    )

    def balance(self) -> Decimal:
        return sum(self.sums.values(), Decimal(0))

    def funds_in(self) -> dict[Month, Decimal]:
        """Levy, top-up and adjustments by landing month."""
        totals: dict[Month, Decimal] = defaultdict(Decimal)
        for (month, kind, _), amount in self.sums.items():
            if kind in FUNDS_IN_KINDS:
                totals[month_of(month)] += amount
        return dict(sorted(totals.items()))

    def funds_out(self) -> dict[Month, Decimal]:
        """Own payments and transfers sent, less refunds, by month (positive is spending)."""
        totals: dict[Month, Decimal] = defaultdict(Decimal)
        for (month, kind, from_transfer), amount in self.sums.items():
            if kind in FUNDS_OUT_KINDS and not from_transfer:
                totals[month_of(month)] -= amount
        return dict(sorted(totals.items()))


def _ledgers(
    account_ids: Sequence[int], months: tuple[dt.date, dt.date] | None = None
) -> dict[int, Ledger]:
    """Every account's `Ledger` in one query, from the monthly summary (`LedgerMonth`); only the
    months from `months[0]` to `months[1]` when given."""
    ledgers = {pk: Ledger() for pk in account_ids}
    rows = LedgerMonth.objects.filter(account_id__in=account_ids)
    if months is not None:
        rows = rows.filter(month__range=months)
    rows = rows.values_list("account_id", "month", "kind", "source", "units")
    for account_id, month, kind, source, units in rows.order_by():
        books = ledgers[account_id]
        amount = _from_units(units)
        # Only a receiver's payment from a transfer is set apart from its own spending.
        key = (month, kind, source == EntrySource.TRANSFER)
        books.sums[key] = books.sums.get(key, Decimal(0)) + amount
        if kind == EntryKind.EXPIRY:
            cohort = SHORT_TERM if source == EntrySource.SHORT_TERM else LONG_TERM
            books.recorded[cohort][month_of(month)] = -amount
    return ledgers


def ledger(account: LevyAccount, months: tuple[dt.date, dt.date] | None = None) -> Ledger:
    """One account's entries added up by month and kind (only the months from `months[0]` to
    `months[1]` when given)."""
    return _ledgers([account.pk], months)[account.pk]


def balance(account: LevyAccount, before: dt.date | None = None) -> Decimal:
    """The account's balance: the sum of its entries (of the months before `before` if given)."""
    rows = LedgerMonth.objects.filter(account=account)
    if before is not None:
        rows = rows.filter(month__lt=before)
    return _from_units(rows.aggregate(total=Sum("units"))["total"])


def funds_in_by_month(account: LevyAccount) -> dict[str, Decimal]:
    """Funds in (levy, top-up, adjustments) by landing month (YYYY-MM), for the allowance."""
    return {str(month): amount for month, amount in ledger(account).funds_in().items()}


@dataclass(frozen=True)
class StatementMonth:
    """One calendar month of an account's statement; amounts as they change the balance."""

    month: dt.date
    funds_in: Decimal
    top_up: Decimal
    adjustments: Decimal
    payments: Decimal
    transfers_in: Decimal
    transfers_out: Decimal
    refunds: Decimal
    expiries: Decimal
    closing_balance: Decimal

    @property
    def net(self) -> Decimal:
        """What the month changed the balance by."""
        return (
            self.funds_in
            + self.top_up
            + self.adjustments
            + self.payments
            + self.transfers_in
            + self.transfers_out
            + self.refunds
            + self.expiries
        )


STATEMENT_COLUMNS = {
    EntryKind.FUNDS_IN: "funds_in",
    EntryKind.TOP_UP: "top_up",
    EntryKind.ADJUSTMENT: "adjustments",
    EntryKind.PAYMENT: "payments",
    EntryKind.TRANSFER_IN: "transfers_in",
    EntryKind.TRANSFER_OUT: "transfers_out",
    EntryKind.REFUND: "refunds",
    EntryKind.EXPIRY: "expiries",
}


def statement(
    account: LevyAccount, books: Ledger | None = None, opening: Decimal = Decimal(0)
) -> list[StatementMonth]:
    """The account's months with any entry, newest first, each with its closing balance; `books`
    may hold only some months, with `opening` the balance before the first of them."""
    by_month: dict[dt.date, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (month, kind, _), amount in (books or ledger(account)).sums.items():
        by_month[month][STATEMENT_COLUMNS[EntryKind(kind)]] += amount
    rows = []
    running = opening
    for month in sorted(by_month):
        columns = {name: by_month[month][name] for name in STATEMENT_COLUMNS.values()}
        running += sum(columns.values(), Decimal(0))
        rows.append(StatementMonth(month=month, closing_balance=running, **columns))
    return rows[::-1]


def tax_year_of(month: dt.date) -> int:
    """The first calendar year of the tax year (6 April to 5 April) a calendar month's entries
    belong to: the statement's months from April to March."""
    return month.year if month.month >= 4 else month.year - 1


STATEMENT_PAGE_MONTHS = 12


@dataclass(frozen=True)
class StatementPage:
    """Whole tax years of the statement, newest first: `years` their first calendar years and
    `months` their months with any entry, newest first."""

    years: tuple[int, ...]
    months: list[dt.date]


def statement_months(account: LevyAccount) -> list[dt.date]:
    """The months in which the account has any entry, newest first."""
    rows = LedgerMonth.objects.filter(account=account).values_list("month", flat=True)
    return list(rows.order_by("-month").distinct())


def statement_pages(
    months: Sequence[dt.date], least: int = STATEMENT_PAGE_MONTHS
) -> list[StatementPage]:
    """The statement's months (newest first) cut into pages of whole tax years, newest first,
    each page taking older years until it holds at least `least` months (the last may hold
    fewer)."""
    pages: list[StatementPage] = []
    years: list[int] = []
    shown: list[dt.date] = []
    for index, month in enumerate(months):
        year = tax_year_of(month)
        if not years or years[-1] != year:
            if len(shown) >= least:
                pages.append(StatementPage(tuple(years), shown))
                years, shown = [], []
            years.append(year)
        shown.append(month)
        if index == len(months) - 1:
            pages.append(StatementPage(tuple(years), shown))
    return pages


def statement_page(account: LevyAccount, page: StatementPage) -> list[StatementMonth]:
    """One page of the statement: its months' rows, reading only those months and the balance
    before them, so the page costs the same however long the account's history."""
    if not page.months:
        return []
    first, last = page.months[-1], page.months[0]
    return statement(
        account, ledger(account, (first, last)), opening=balance(account, before=first)
    )


def schedule_event(event: CommitmentEvent) -> payments.ScheduleEvent:
    """A recorded commitment event as the pure schedule reads it."""
    return payments.ScheduleEvent(
        kind=payments.EventKind(event.kind),
        on=event.on,
        planned_end=event.planned_end_on,
        not_before=event.not_before,
        price=event.price,
    )


def events_of(commitment_ids: Iterable[int]) -> dict[int, list[payments.ScheduleEvent]]:
    """The recorded events of each commitment (only those with any), in the order they happened,
    in one query."""
    found: dict[int, list[payments.ScheduleEvent]] = defaultdict(list)
    ids = sorted(set(commitment_ids))
    # In chunks, to stay under SQLite's limit on query parameters for a large account.
    for first in range(0, len(ids), EVENT_CHUNK):
        chunk = ids[first : first + EVENT_CHUNK]
        for event in CommitmentEvent.objects.filter(commitment_id__in=chunk).order_by(
            "commitment_id", "on", "id"
        ):
            found[event.commitment_id].append(schedule_event(event))
    return dict(found)


def schedule_of(
    commitment: Commitment,
    terms: Sequence[payments.PaymentTerms] | None = None,
    events: Sequence[payments.ScheduleEvent] | None = None,
) -> payments.PaymentSchedule:
    """A commitment's provider payments under the payment terms in force at its start, moved by
    its recorded events (`events`, when the caller has read them; else read here)."""
    if events is None:
        events = events_of([commitment.pk]).get(commitment.pk, []) if commitment.pk else []
    return payments.payment_schedule(
        start=commitment.start_on,
        planned_end=commitment.planned_end_on,
        price=commitment.price,
        funding_band=commitment.funding_band,
        terms=payments.in_force(terms or rules.payment_terms(), commitment.start_on),
        events=events,
        completion_on_record=getattr(commitment, "completion_on_record", False),
    )


def _committed(account_ids: Sequence[int], today: dt.date) -> dict[int, dict[str, Decimal]]:
    """Each account's committed spending from today's month on, not yet posted, by YYYY-MM,
    from the summary (`CommittedMonth`)."""
    committed: dict[int, dict[str, Decimal]] = {pk: {} for pk in account_ids}
    rows = CommittedMonth.objects.filter(
        account_id__in=account_ids, month__gte=today.replace(day=1), payments__gt=0
    ).values_list("account_id", "month", "units")
    for account_id, month, units in rows.order_by("account_id", "month"):
        committed[account_id][f"{month:%Y-%m}"] = _from_units(units)
    return committed


def committed_spending(account: LevyAccount, today: dt.date) -> dict[str, Decimal]:
    """Payments the account's funds are committed to from today's month on (YYYY-MM -> amount).

    Its own active commitments' schedules and those of the commitments it funds by transfer; not
    the commitments others fund for it. Months already posted to the ledger are left out.
    """
    return _committed([account.pk], today)[account.pk]


@dataclass(frozen=True)
class ForecastMonth:
    """One month of the expiry forecast.

    `expiring` is what will expire at the end of the month given committed spending, from the
    funds that landed in `landed`; `save_by_then` is how much more spending, by the end of the
    month, would leave nothing expiring from the forecast's first month up to this one.
    """

    month: dt.date
    expiring: Decimal
    landed: tuple[dt.date, ...]
    save_by_then: Decimal


@dataclass(frozen=True)
class Forecast:
    months: list[ForecastMonth]
    committed: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum((row.expiring for row in self.months), Decimal(0))

    @property
    def next_expiry(self) -> ForecastMonth | None:
        """The first month in which anything expires."""
        return next((row for row in self.months if row.expiring > 0), None)

    def expiring(self) -> dict[str, Decimal]:
        """What expires by month (YYYY-MM), months with nothing left out, as the optimiser reads."""
        return {f"{row.month:%Y-%m}": row.expiring for row in self.months if row.expiring}


@dataclass(frozen=True)
class Policy:
    """The expiry periods: the first one, and the change to a second (August 2026), if any."""

    expiry_months: int
    change: expiry.PolicyChange | None

    @classmethod
    def in_force(cls) -> Policy:
        months, change = rules.expiry_policy()
        return cls(months, change)

    def period_of(self, cohort: str) -> int:
        if cohort == SHORT_TERM and self.change is not None:
            return self.change.expiry_months
        return self.expiry_months


def expiries_of(
    books: Ledger,
    policy: Policy,
    extra_spending: dict[Month, Decimal] | None = None,
) -> dict[str, dict[Month, Decimal]]:
    """What expires by cohort and expiry month, from the ledger and any extra spending."""
    funds_out = books.funds_out()
    for month, amount in (extra_spending or {}).items():
        funds_out[month] = funds_out.get(month, Decimal(0)) + amount
    change = policy.change
    if change is not None:
        change = expiry.PolicyChange(
            start=change.start,
            expiry_months=change.expiry_months,
            already_expired=books.recorded[SHORT_TERM],
        )
    result = expiry.expiries(
        books.funds_in(),
        funds_out,
        policy.expiry_months,
        already_expired=books.recorded[LONG_TERM],
        policy_change=change,
    )
    return {LONG_TERM: result.long_term, SHORT_TERM: result.short_term or {}}


def _forecast(
    books: Ledger, committed: dict[str, Decimal], policy: Policy, today: dt.date, months: int
) -> Forecast:
    extra = {Month.parse(month): amount for month, amount in committed.items()}
    by_cohort = expiries_of(books, policy, extra)
    first = month_of(today)
    window = [first + offset for offset in range(months)]
    expiring: dict[Month, Decimal] = defaultdict(Decimal)
    landed: dict[Month, list[dt.date]] = defaultdict(list)
    for cohort, results in by_cohort.items():
        for month, amount in results.items():
            if first <= month <= window[-1] and amount > 0:
                expiring[month] += to_ledger_places(amount)
                landed[month].append(month_start(month - policy.period_of(cohort)))
    rows = []
    running = Decimal(0)
    for month in window:
        running += expiring[month]
        rows.append(
            ForecastMonth(
                month=month_start(month),
                expiring=expiring[month],
                landed=tuple(sorted(landed[month])),
                save_by_then=running,
            )
        )
    return Forecast(months=rows, committed=committed)


def forecast(account: LevyAccount, today: dt.date, months: int = FORECAST_MONTHS) -> Forecast:
    """What will expire in each of the next `months` months (from today's) given committed
    spending, and how much more spending by each month would save it."""
    return _forecast(
        ledger(account), committed_spending(account, today), Policy.in_force(), today, months
    )


def _allowance(
    books: Ledger,
    row: AllowanceYear | None,
    today: dt.date,
    shares: Sequence[AllowanceShare],
) -> tuple[Decimal, Decimal]:
    """The year's allowance and what is committed: the row's, else worked out, none committed."""
    if row is not None:
        return row.allowance, row.committed
    funds = {str(month): amount for month, amount in books.funds_in().items()}
    return to_ledger_places(transfer_allowance(funds, today, shares)), Decimal(0)


def _remaining(allowance: Decimal, committed: Decimal, balance_now: Decimal) -> Decimal:
    return max(Decimal(0), min(allowance - committed, balance_now))


def remaining_allowance(account: LevyAccount, today: dt.date) -> Decimal:
    """Allowance less what pledges committed, never below 0 and never above the balance."""
    books = ledger(account)
    row = AllowanceYear.objects.filter(
        account=account, starts_on=allowance_year_start(today)
    ).first()
    allowance, committed = _allowance(books, row, today, rules.transfer_shares())
    return _remaining(allowance, committed, books.balance())


@dataclass(frozen=True)
class AccountSummary:
    """An account's headline figures, for the partnership view and the optimiser."""

    account: LevyAccount
    balance: Decimal
    forecast: Forecast
    allowance: Decimal
    committed: Decimal
    remaining_allowance: Decimal

    @property
    def forecast_total(self) -> Decimal:
        return self.forecast.total

    @property
    def next_expiry(self) -> ForecastMonth | None:
        return self.forecast.next_expiry


def account_summaries(
    accounts: Sequence[LevyAccount],
    today: dt.date,
    months: int = FORECAST_MONTHS,
    books: dict[int, Ledger] | None = None,
) -> dict[int, AccountSummary]:
    """Each account's summary by account id, in the same few queries however many accounts
    (`books`: their ledgers when already read)."""
    ids = [account.pk for account in accounts]
    books = books if books is not None else _ledgers(ids)
    committed = _committed(ids, today)
    policy = Policy.in_force()
    shares = rules.transfer_shares()
    rows = {
        row.account_id: row
        for row in AllowanceYear.objects.filter(
            account_id__in=ids, starts_on=allowance_year_start(today)
        )
    }
    summaries = {}
    for account in accounts:
        own = books[account.pk]
        balance_now = own.balance()
        allowance, taken = _allowance(own, rows.get(account.pk), today, shares)
        summaries[account.pk] = AccountSummary(
            account=account,
            balance=balance_now,
            forecast=_forecast(own, committed[account.pk], policy, today, months),
            allowance=allowance,
            committed=taken,
            remaining_allowance=_remaining(allowance, taken, balance_now),
        )
    return summaries


def account_summary(
    account: LevyAccount, today: dt.date, books: Ledger | None = None
) -> AccountSummary:
    """One account's balance, expiry forecast and allowance (see `account_summaries`)."""
    read = {account.pk: books} if books is not None else None
    return account_summaries([account], today, books=read)[account.pk]


@dataclass(frozen=True)
class AllowanceDetail:
    """The transfer allowance of the year containing a day: what it rests on, used and left."""

    starts_on: dt.date
    ends_on: dt.date
    previous_year_funds_in: Decimal
    share: Decimal
    allowance: Decimal
    committed: Decimal
    transferred: Decimal
    balance: Decimal
    remaining: Decimal


def allowance_detail(account: LevyAccount, today: dt.date) -> AllowanceDetail:
    """The allowance year's figures: last year's funds in and the share, the allowance, what
    pledges committed, the transfers paid since 20 April, and what is left."""
    books = ledger(account)
    shares = rules.transfer_shares()
    starts_on = allowance_year_start(today)
    row = AllowanceYear.objects.filter(account=account, starts_on=starts_on).first()
    allowance, committed = _allowance(books, row, today, shares)
    funds = {str(month): amount for month, amount in books.funds_in().items()}
    transferred = -sum(
        (
            amount
            for (month, kind, _), amount in books.sums.items()
            if kind == EntryKind.TRANSFER_OUT and month >= starts_on.replace(day=1)
        ),
        Decimal(0),
    )
    balance_now = books.balance()
    return AllowanceDetail(
        starts_on=starts_on,
        ends_on=starts_on.replace(year=starts_on.year + 1) - dt.timedelta(days=1),
        previous_year_funds_in=previous_year_funds_in(funds, starts_on),
        share=share_on(today, shares),
        allowance=allowance,
        committed=committed,
        transferred=transferred,
        balance=balance_now,
        remaining=_remaining(allowance, committed, balance_now),
    )


@dataclass(frozen=True)
class CommittedApprenticeship:
    """A commitment the account's funds pay for, or that another account funds for it."""

    commitment: Commitment
    paid_by_us: bool
    still_to_pay: Decimal
    next_month: dt.date | None


def active_commitments(account: LevyAccount) -> QuerySet[Commitment]:
    """Active commitments the account pays for (its own and those it funds by transfer) and those
    others fund for it, the earliest started first."""
    return (
        Commitment.objects.filter(status=CommitmentStatus.ACTIVE)
        .filter(Q(account=account) | Q(funded_by=account))
        .order_by("start_on", "id")
    )


def committed_apprenticeships(
    account: LevyAccount, today: dt.date, limit: int | None = None
) -> list[CommittedApprenticeship]:
    """The first `limit` (else all) of `active_commitments`, each with what is still to pay from
    today's month on."""
    current = today.replace(day=1)
    terms = rules.payment_terms()
    found = active_commitments(account).select_related(
        "account__organisation", "funded_by__organisation"
    )
    found = list(found[:limit] if limit is not None else found)
    events = events_of(commitment.pk for commitment in found)
    rows = []
    for commitment in found:
        schedule = schedule_of(commitment, terms, events.get(commitment.pk, []))
        months = [
            (month_start(Month.parse(month)), amount)
            for month, amount in schedule.costs_by_month().items()
        ]
        ahead = [(month, amount) for month, amount in months if month >= current and amount]
        rows.append(
            CommittedApprenticeship(
                commitment=commitment,
                paid_by_us=(commitment.funded_by_id or commitment.account_id) == account.pk,
                still_to_pay=to_ledger_places(sum((amount for _, amount in ahead), Decimal(0))),
                next_month=ahead[0][0] if ahead else None,
            )
        )
    return rows
