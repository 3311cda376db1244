"""The levy summary tables, kept up to date by the writes themselves (DESIGN.md: "Figures over
millions of rows come from summary tables kept up to date, not live aggregates").

- `LedgerMonth`: an account's entries added up by month, kind and source. Appending an entry
  (`LedgerEntry.save`, `LedgerEntry.objects.bulk_create`, the only ways, the ledger being
  append-only) adds it to its row in the same transaction, so the summary always equals the
  live sums, whoever writes.
- `CommittedMonth`: each paying account's scheduled payments not yet posted, by month. A
  commitment's schedule is added when it is recorded, taken off when it ends, and each payment
  is taken off in the transaction that posts it.
- `AccountFigures`: the partnership view's headline figures per account, worked out on a day.
  Every write above (and a change of the transfer allowance) bumps the account's `version` and
  clears its day; `stored_figures` works out the missing ones and keeps them only if the version
  it read is still the account's, so a write racing with a reader is never hidden.

Sums are whole hundred-thousandths of a pound (`units`), exact on every database; each change is
one `INSERT ... ON CONFLICT DO UPDATE` adding to the row (PostgreSQL and SQLite alike), so two
transactions adding to one row never lose either amount. `ledger_month_rows` and
`committed_rows` work them out afresh, set-based, for the migration that made the tables, and
`rebuild_committed` for commitments written around the services (the scale generator).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from . import payments, queries, rules
from .expiry import Month
from .models import (
    FINAL_EVENT_KINDS,
    AccountFigures,
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    CommittedMonth,
    EntryKind,
    EntrySource,
    LedgerEntry,
    LevyAccount,
    execute_many,
    figures_changed,
)

SOON_MONTHS = 12
# Only constants in the text; every value is a parameter.
ADD_TO_COMMITTED_MONTH = """
INSERT INTO levy_committedmonth (account_id, month, payments, units) VALUES (%s, %s, %s, %s)
ON CONFLICT (account_id, month)
DO UPDATE SET payments = levy_committedmonth.payments + EXCLUDED.payments,
              units = levy_committedmonth.units + EXCLUDED.units
"""


def units(amount: Decimal) -> int:
    """An amount in whole hundred-thousandths of a pound (the ledger keeps 5 places)."""
    return int(queries.to_ledger_places(amount).scaleb(queries.PLACES))


def _payer(commitment: Commitment) -> int:
    return commitment.funded_by_id or commitment.account_id


def _payer_kind(commitment: Commitment) -> str:
    return EntryKind.PAYMENT if commitment.funded_by_id is None else EntryKind.TRANSFER_OUT


def scheduled(
    commitment: Commitment,
    terms: Sequence[payments.PaymentTerms],
    events: Sequence[payments.ScheduleEvent] = (),
) -> dict[dt.date, Decimal]:
    """A commitment's scheduled payments by month (first day), moved by `events` (given, never
    read here: the migration that made the tables passes historical instances)."""
    schedule = queries.schedule_of(commitment, terms, events)
    return {
        queries.month_start(Month.parse(month)): amount
        for month, amount in schedule.costs_by_month().items()
    }


def _posted_keys(commitments: Sequence[Commitment]) -> set[tuple[int, str]]:
    """The (payer, key) of every payer entry posted for these commitments."""
    if not commitments:
        return set()
    prefixes = Q()
    for commitment in commitments:
        prefixes |= Q(
            account_id=_payer(commitment),
            key__startswith=f"{_payer_kind(commitment)}:c{commitment.pk}:",
        )
    return set(LedgerEntry.objects.filter(prefixes).values_list("account_id", "key"))


def committed_rows(
    commitments: Iterable[Commitment],
    terms: Sequence[payments.PaymentTerms],
    posted: set[tuple[int, str]],
    sign: int,
    events: Mapping[int, Sequence[payments.ScheduleEvent]] | None = None,
) -> dict[tuple[int, dt.date], list[int]]:
    """The commitments' payments not yet posted, by (payer, month): [count, units], signed;
    `events` are the commitments' recorded events by id. Reads nothing from the database (the
    migration gives it historical model instances)."""
    rows: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    for commitment in commitments:
        payer, kind = _payer(commitment), _payer_kind(commitment)
        moved = (events or {}).get(commitment.pk, ())
        for month, amount in scheduled(commitment, terms, moved).items():
            if (payer, queries.payer_key(commitment.pk, kind, month)) in posted:
                continue
            row = rows[(payer, month)]
            row[0] += sign
            row[1] += sign * units(amount)
    return rows


def _add_committed(rows: dict[tuple[int, dt.date], list[int]]) -> None:
    execute_many(
        ADD_TO_COMMITTED_MONTH,
        (key + tuple(numbers) for key, numbers in sorted(rows.items())),
    )
    figures_changed({payer for payer, _ in rows})


def payable_commitments() -> QuerySet[Commitment]:
    """Commitments whose schedules may still have payments to post: the active ones, and those
    ended by a recorded withdrawal or completion (their last payments follow the event)."""
    ended_by_event = CommitmentEvent.objects.filter(
        commitment=OuterRef("pk"), kind__in=FINAL_EVENT_KINDS
    )
    return Commitment.objects.filter(Q(status=CommitmentStatus.ACTIVE) | Exists(ended_by_event))


def commitments_started(commitments: Sequence[Commitment]) -> None:
    """Add new active commitments' schedules to what their payers are committed to."""
    active = [c for c in commitments if c.status == CommitmentStatus.ACTIVE]
    with transaction.atomic():
        _add_committed(committed_rows(active, rules.payment_terms(), set(), 1))


def commitments_ended(commitments: Sequence[Commitment]) -> None:
    """Take commitments that stop being active off what their payers are committed to: each
    payment of their schedules not yet posted. Call before marking them, in that transaction."""
    active = [c for c in commitments if c.status == CommitmentStatus.ACTIVE]
    with transaction.atomic():
        events = queries.events_of(c.pk for c in active)
        rows = committed_rows(active, rules.payment_terms(), _posted_keys(active), -1, events)
        _add_committed(rows)


def commitment_rescheduled(
    commitment: Commitment,
    before: Sequence[payments.ScheduleEvent],
    after: Sequence[payments.ScheduleEvent],
) -> None:
    """Move a commitment's payments not yet posted from its schedule under the events `before`
    to that under `after` (an event was just recorded), in the transaction recording it."""
    with transaction.atomic():
        terms = rules.payment_terms()
        posted = _posted_keys([commitment])
        rows = committed_rows([commitment], terms, posted, -1, {commitment.pk: before})
        for key, (count, total) in committed_rows(
            [commitment], terms, posted, 1, {commitment.pk: after}
        ).items():
            rows[key][0] += count
            rows[key][1] += total
        _add_committed({key: numbers for key, numbers in rows.items() if numbers != [0, 0]})


def first_unposted_month(commitment: Commitment) -> dt.date | None:
    """The first month after the last one with a payment of the commitment posted (None when
    nothing is posted yet): an event may change its schedule only from there."""
    posted = [key for _, key in _posted_keys([commitment])]
    if not posted:
        return None
    last = max(key.rsplit(":", 1)[1] for key in posted)
    month = queries.month_start(Month.parse(last) + 1)
    return month


def payments_posted(payer: LevyAccount, paid: Iterable[tuple[dt.date, Decimal]]) -> None:
    """Take scheduled payments (month, scheduled amount) just posted off what the payer is
    committed to, in the transaction that posts them."""
    rows: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    for month, amount in paid:
        row = rows[(payer.pk, month)]
        row[0] -= 1
        row[1] -= units(amount)
    _add_committed(rows)


def ledger_month_rows(entries: QuerySet) -> Iterator[tuple[int, dt.date, str, str, int]]:
    """The summary rows (account, month, kind, source, units) of a queryset of ledger entries,
    grouped in SQL (also given the migration's historical model)."""
    own = Q(counterparty__isnull=True) | ~Q(kind=EntryKind.PAYMENT)
    short = Q(kind=EntryKind.EXPIRY, key__endswith=f":{queries.SHORT_TERM}")
    grouped = (
        entries.values("account_id", "month", "kind")
        .annotate(
            own=Sum(queries.UNITS, filter=own & ~short),
            transfer=Sum(queries.UNITS, filter=~own),
            short=Sum(queries.UNITS, filter=short),
        )
        .order_by()
    )
    for row in grouped.iterator(chunk_size=10_000):
        for source, total in (
            (EntrySource.OWN, row["own"]),
            (EntrySource.TRANSFER, row["transfer"]),
            (EntrySource.SHORT_TERM, row["short"]),
        ):
            if total is not None:
                yield row["account_id"], row["month"], row["kind"], str(source), total


def rebuild_committed(account_ids: Sequence[int]) -> None:
    """Work the accounts' committed months out afresh: their active commitments' schedules less
    the payments posted."""
    ids = list(account_ids)
    with transaction.atomic():
        CommittedMonth.objects.filter(account_id__in=ids).delete()
        active = list(
            payable_commitments().filter(
                Q(funded_by_id__in=ids) | Q(account_id__in=ids, funded_by__isnull=True)
            )
        )
        first = min((c.start_on.replace(day=1) for c in active), default=None)
        posted: set[tuple[int, str]] = set()
        if first is not None:
            posted = set(
                LedgerEntry.objects.filter(
                    account_id__in=ids,
                    kind__in=(EntryKind.PAYMENT, EntryKind.TRANSFER_OUT),
                    month__gte=first,
                ).values_list("account_id", "key")
            )
        events = queries.events_of(c.pk for c in active)
        rows = committed_rows(active, rules.payment_terms(), posted, 1, events)
        CommittedMonth.objects.bulk_create(
            [
                CommittedMonth(account_id=payer, month=month, payments=count, units=total)
                for (payer, month), (count, total) in sorted(rows.items())
            ],
            batch_size=5_000,
        )
        figures_changed(ids)


def _figures_of(summary: queries.AccountSummary, today: dt.date, version: int) -> AccountFigures:
    first = summary.next_expiry
    return AccountFigures(
        account_id=summary.account.pk,
        version=version,
        computed_on=today,
        balance=summary.balance,
        expiring_soon=sum(
            (row.expiring for row in summary.forecast.months[:SOON_MONTHS]), Decimal(0)
        ),
        expiring=summary.forecast_total,
        next_expiry=first.month if first else None,
        next_expiry_amount=first.expiring if first else Decimal(0),
        remaining_allowance=summary.remaining_allowance,
    )


def stored_figures(
    accounts: Sequence[LevyAccount],
    today: dt.date,
    books: dict[int, queries.Ledger] | None = None,
) -> dict[int, AccountFigures]:
    """Each account's headline figures for today: stored ones when still right, the others
    worked out now (`queries.account_summaries`, the same few queries however many, from
    `books`, their ledgers, when the caller has read them) and stored in two more, unless a
    write has moved an account on since its version was read."""
    ids = [account.pk for account in accounts]
    stored = {row.account_id: row for row in AccountFigures.objects.filter(account_id__in=ids)}
    missing = [
        account
        for account in accounts
        if account.pk not in stored or stored[account.pk].computed_on != today
    ]
    if not missing:
        return stored
    summaries = queries.account_summaries(
        missing,
        today,
        books={pk: books[pk] for pk in (a.pk for a in missing)} if books is not None else None,
    )
    old = {pk: stored[pk].version for pk in (a.pk for a in missing) if pk in stored}
    fresh = [
        _figures_of(summaries[account.pk], today, old.get(account.pk, 0)) for account in missing
    ]
    with transaction.atomic():
        if old:
            # Only rows still at the version read: a write since has bumped the others (and a
            # write after this bumps what is stored here).
            still = Q()
            for pk, version in old.items():
                still |= Q(account_id=pk, version=version)
            AccountFigures.objects.filter(still).delete()
        AccountFigures.objects.bulk_create(fresh, ignore_conflicts=True)
    stored.update((figures.account_id, figures) for figures in fresh)
    return stored
