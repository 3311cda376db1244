"""Writes to the levy ledger: opening an account, posting funds in, allowances, payments, expiries.

Every write is one transaction with one audit entry. The ledger only grows: a service works out
what the ledger should hold, compares it with what it holds, and posts the difference as new
entries whose keys make a second run post nothing. Each service locks the account's row first
(`select_for_update`, a no-op on SQLite whose IMMEDIATE transactions already serialise writers),
so two runs for one account never pick the same key. Appending entries adds them
to the monthly summary in the same transaction (`LedgerEntry.objects.bulk_create`); posting a
payment takes it off the payer's committed months (`summaries.payments_posted`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest

from joinedup.lib.money import pounds
from joinedup.partnership import audit
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation

from . import funds_in, payments, queries, rules, summaries
from .allowance import allowance_year_start, transfer_allowance
from .expiry import Month
from .models import (
    AllowanceYear,
    Commitment,
    Declaration,
    EntryKind,
    LedgerEntry,
    LevyAccount,
)

FUNDS_IN_KINDS = (EntryKind.FUNDS_IN, EntryKind.TOP_UP, EntryKind.ADJUSTMENT)
LABELS = {
    EntryKind.FUNDS_IN: "Levy declared",
    EntryKind.TOP_UP: "Government top-up",
    EntryKind.ADJUSTMENT: "End-of-year adjustment",
}


def _locked(account: LevyAccount) -> LevyAccount:
    return LevyAccount.objects.select_for_update().get(pk=account.pk)


def open_account(*, actor: Actor | None, organisation: Organisation) -> LevyAccount:
    """The organisation's levy account, opened now if it has none (opening twice opens one)."""
    with transaction.atomic():
        account, created = LevyAccount.objects.get_or_create(organisation=organisation)
        if created:
            audit.record(
                actor=actor,
                action="levy_account.opened",
                kind="levy.LevyAccount",
                object_id=account.pk,
                label=str(account),
                organisation=organisation,
            )
    return account


def _declarations(account: LevyAccount) -> list[funds_in.Declaration]:
    """The account's declarations as the pure core reads them, in the order they were listed."""
    rows = Declaration.objects.filter(scheme__account=account).order_by("id")
    return [
        funds_in.Declaration(
            id=str(row.pk),
            scheme=row.scheme.reference,
            payroll_year=row.payroll_year,
            payroll_month=row.payroll_month,
            levy_due_ytd=row.levy_due_ytd,
            submitted=row.submitted_on,
        )
        for row in rows.select_related("scheme")
    ]


def funds_in_due(account: LevyAccount) -> dict[tuple[str, str], Decimal]:
    """What the declarations say the ledger should hold, by (landing month, kind), to 5 places.

    Regular declarations give levy (funds in) and top-up; end-of-year adjustments give their levy
    as an adjustment and their top-up as top-up.
    """
    due: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    entries = funds_in.funds_in_entries(
        _declarations(account),
        english_fraction=account.english_fraction,
        top_up_rates=rules.top_up_rates(),
    )
    for entry in entries:
        levy_kind = EntryKind.ADJUSTMENT if entry.adjustment else EntryKind.FUNDS_IN
        due[(entry.month, levy_kind)] += entry.levy
        due[(entry.month, EntryKind.TOP_UP)] += entry.top_up
    return {key: queries.to_ledger_places(amount) for key, amount in due.items()}


def sync_funds_in(account: LevyAccount, *, actor: Actor | None = None) -> list[LedgerEntry]:
    """Post the differences between what the declarations say and what the ledger holds.

    A late correction posts a new (possibly negative) entry beside the old one; a second run with
    no new declarations posts nothing. Returns the entries posted.
    """
    with transaction.atomic():
        account = _locked(account)
        due = funds_in_due(account)
        held: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for month, kind, amount in LedgerEntry.objects.filter(
            account=account, kind__in=FUNDS_IN_KINDS
        ).values_list("month", "kind", "amount"):
            held[(f"{month:%Y-%m}", kind)] += amount
            counts[(f"{month:%Y-%m}", kind)] += 1
        posted = []
        for month, kind in sorted(due.keys() | held.keys()):
            difference = due.get((month, kind), Decimal(0)) - held[(month, kind)]
            if difference == 0:
                continue
            number = counts[(month, kind)] + 1
            label = LABELS[kind] if number == 1 else f"{LABELS[kind]}: correction"
            posted.append(
                LedgerEntry(
                    account=account,
                    kind=kind,
                    month=queries.month_start(Month.parse(month)),
                    amount=difference,
                    key=f"{kind}:{month}:{number}",
                    label=label,
                    created_by=actor.person if actor else None,
                )
            )
        if posted:
            LedgerEntry.objects.bulk_create(posted)
            audit.record(
                actor=actor,
                action="levy_ledger.funds_in_posted",
                kind="levy.LevyAccount",
                object_id=account.pk,
                label=str(account),
                organisation=account.organisation,
                changes={
                    "entries": len(posted),
                    "total": str(sum((entry.amount for entry in posted), Decimal(0))),
                    "months": sorted({f"{entry.month:%Y-%m}" for entry in posted}),
                },
            )
    return posted


def allowance_for(account: LevyAccount, today: dt.date) -> AllowanceYear:
    """The row of the allowance year containing `today`, with its allowance worked out afresh.

    The allowance is a share of last year's funds in (by landing month); it is recorded when the
    row is first made and moved if a later declaration or a new share changes it, never below
    what pledges have already committed.
    """
    starts_on = allowance_year_start(today)
    allowance = queries.to_ledger_places(
        transfer_allowance(queries.funds_in_by_month(account), today, rules.transfer_shares())
    )
    with transaction.atomic():
        row, created = AllowanceYear.objects.get_or_create(
            account=account, starts_on=starts_on, defaults={"allowance": allowance}
        )
        if not created and row.allowance == allowance:
            return row
        summaries.figures_changed([account.pk])
        if not created:
            AllowanceYear.objects.filter(pk=row.pk).update(
                allowance=Greatest(Value(allowance), F("committed"))
            )
            row.refresh_from_db()
        audit.record(
            actor=None,
            action="levy_allowance.set",
            kind="levy.AllowanceYear",
            object_id=row.pk,
            label=str(row),
            organisation=account.organisation,
            changes={"starts_on": starts_on.isoformat(), "allowance": str(row.allowance)},
        )
    return row


def _payments_due(
    commitment: Commitment,
    up_to: dt.date,
    terms: tuple[payments.PaymentTerms, ...],
    events: list[payments.ScheduleEvent],
) -> list[tuple[dt.date, Decimal]]:
    """The schedule's payments (instalments and completion) in months up to `up_to`'s, by month,
    as its events have moved them; a completion payment not yet due waits."""
    current = up_to.replace(day=1)
    due = []
    schedule = queries.schedule_of(commitment, terms, events)
    for month, amount in schedule.due_by_month().items():
        day = queries.month_start(Month.parse(month))
        if day <= current and amount > 0:
            due.append((day, amount))
    return due


def _covered(line: payments.SpendingLine) -> str:
    """What the levy covered of a payment and how the rest is co-invested, in words."""
    if line.government == 0 and line.employer == 0:
        return ""
    return (
        f" (levy paid {pounds(line.levy)}; co-investment: government {pounds(line.government)},"
        f" employer {pounds(line.employer)})"
    )


def _payment_entries(
    payer: LevyAccount, commitment: Commitment, month: dt.date, line: payments.SpendingLine
) -> list[LedgerEntry]:
    """The entries for the levy's part of one commitment's payment in one month.

    From the payer's own funds: one `payment`. From a transfer: a `transfer_out` on the sender,
    and a `transfer_in` and a `payment` on the receiver, both naming the sender.
    """
    levy = queries.to_ledger_places(line.levy)
    what = f"{commitment.reference} with {commitment.provider}{_covered(line)}"
    if commitment.funded_by_id is None:
        key = queries.payer_key(commitment.pk, EntryKind.PAYMENT, month)
        return [
            LedgerEntry(
                account=payer,
                kind=EntryKind.PAYMENT,
                month=month,
                amount=-levy,
                key=key,
                label=what[:300],
            )
        ]
    receiver = commitment.account
    return [
        LedgerEntry(
            account=payer,
            kind=EntryKind.TRANSFER_OUT,
            month=month,
            amount=-levy,
            key=queries.payer_key(commitment.pk, EntryKind.TRANSFER_OUT, month),
            label=f"Transfer to {receiver.organisation.name} for {what}"[:300],
            counterparty=receiver,
        ),
        LedgerEntry(
            account=receiver,
            kind=EntryKind.TRANSFER_IN,
            month=month,
            amount=levy,
            key=queries.payer_key(commitment.pk, EntryKind.TRANSFER_IN, month),
            label=f"Transfer from {payer.organisation.name} for {what}"[:300],
            counterparty=payer,
        ),
        LedgerEntry(
            account=receiver,
            kind=EntryKind.PAYMENT,
            month=month,
            amount=-levy,
            key=queries.payer_key(commitment.pk, EntryKind.PAYMENT, month),
            label=what[:300],
            counterparty=payer,
        ),
    ]


def _payer_key(commitment: Commitment, month: dt.date) -> str:
    """The key of the payer's entry: a payment, or the transfer when another account funds it."""
    kind = EntryKind.PAYMENT if commitment.funded_by_id is None else EntryKind.TRANSFER_OUT
    return queries.payer_key(commitment.pk, kind, month)


def post_payments(account: LevyAccount, up_to: dt.date) -> list[LedgerEntry]:
    """Post the payments due in months up to `up_to`'s that the account's funds pay for.

    Its own commitments' payments, and the transfers for commitments it funds. Each month's
    outgoings are met in the spending order (transfers, then providers by the account's priority)
    from the balance at the time of posting; only the levy's part is an entry, because
    co-investment never touches the balance (the label says how it was shared). Keys per
    commitment, kind and month make a second run post nothing.
    """
    terms = rules.payment_terms()
    rates = rules.co_investment_rates()
    with transaction.atomic():
        account = _locked(account)
        commitments = list(
            summaries.payable_commitments()
            .filter(Q(funded_by=account) | Q(account=account, funded_by__isnull=True))
            .select_related("account__organisation")
            .order_by("start_on", "id")
        )
        events = queries.events_of(commitment.pk for commitment in commitments)
        waiting: dict[dt.date, dict[str, tuple[Commitment, Decimal]]] = defaultdict(dict)
        for commitment in commitments:
            moved = events.get(commitment.pk, [])
            for month, amount in _payments_due(commitment, up_to, terms, moved):
                waiting[month][_payer_key(commitment, month)] = (commitment, amount)
        posted_keys = set(
            LedgerEntry.objects.filter(
                account=account, key__in=[key for due in waiting.values() for key in due]
            ).values_list("key", flat=True)
        )
        available = queries.balance(account)
        posted: list[LedgerEntry] = []
        paid: list[tuple[dt.date, Decimal]] = []
        for month in sorted(waiting):
            outgoings = {
                str(commitment.pk): (commitment, amount)
                for key, (commitment, amount) in waiting[month].items()
                if key not in posted_keys
            }
            if not outgoings:
                continue
            spent = payments.spend_month(
                balance=available,
                outgoings=[
                    payments.TrainingPayment(
                        id=pk,
                        amount=amount,
                        start=commitment.start_on,
                        provider=commitment.provider,
                        transfer=commitment.funded_by_id is not None,
                    )
                    for pk, (commitment, amount) in outgoings.items()
                ],
                provider_priority=account.provider_priority,
                co_investment_rates=rates,
            )
            for line in spent.lines:
                commitment, scheduled = outgoings[line.id]
                posted.extend(_payment_entries(account, commitment, month, line))
                paid.append((month, scheduled))
                available -= queries.to_ledger_places(line.levy)
        if posted:
            LedgerEntry.objects.bulk_create(posted)
            summaries.payments_posted(account, paid)
            audit.record(
                actor=None,
                action="levy_ledger.payments_posted",
                kind="levy.LevyAccount",
                object_id=account.pk,
                label=str(account),
                organisation=account.organisation,
                changes={
                    "entries": len(posted),
                    "months": sorted({f"{entry.month:%Y-%m}" for entry in posted}),
                },
            )
    return posted


def _expiries_due(
    account: LevyAccount, policy: queries.Policy, today: dt.date
) -> list[tuple[str, Month, Decimal]]:
    """The expiries of the months ended by `today` not yet posted: (cohort, month, amount)."""
    last = queries.month_of(today) - 1
    books = queries.ledger(account)
    return [
        (cohort, month, amount)
        for cohort, results in queries.expiries_of(books, policy).items()
        for month, amount in results.items()
        if month <= last and month not in books.recorded[cohort]
    ]


def post_expiries(account: LevyAccount, today: dt.date) -> list[LedgerEntry]:
    """Post the expiries of the months that have ended, each once; return those posted.

    A month's expiry is worked out once the month is over (its payments are then in) and never
    again: later entries change only months still to come. A month whose expiry is nothing gets a
    zero entry, so that it too stays fixed.
    """
    policy = queries.Policy.in_force()
    with transaction.atomic():
        account = _locked(account)
        posted = [
            LedgerEntry(
                account=account,
                kind=EntryKind.EXPIRY,
                month=queries.month_start(month),
                amount=-queries.to_ledger_places(amount),
                key=queries.expiry_key(month, cohort),
                label=f"Funds that landed in {month - policy.period_of(cohort)} expired",
            )
            for cohort, month, amount in _expiries_due(account, policy, today)
        ]
        if posted:
            LedgerEntry.objects.bulk_create(posted)
            audit.record(
                actor=None,
                action="levy_ledger.expiries_posted",
                kind="levy.LevyAccount",
                object_id=account.pk,
                label=str(account),
                organisation=account.organisation,
                changes={
                    "entries": len(posted),
                    "total": str(-sum((entry.amount for entry in posted), Decimal(0))),
                    "months": sorted({f"{entry.month:%Y-%m}" for entry in posted}),
                },
            )
    return posted


def post_due_entries(account: LevyAccount, today: dt.date) -> list[LedgerEntry]:
    """Bring the account's ledger up to today, month by month in the order the money moved.

    For each ended month whose expiry is not yet posted, oldest first: the payments up to that
    month, so that its expiry counts them, then its expiry, so that later months' payments are
    met only from what is left (a run that missed months catches up in the same order). Then the
    payments of the months since, up to today's. Returns every entry posted.
    """
    with transaction.atomic():
        account = _locked(account)
        expiring = sorted(
            {month for _, month, _ in _expiries_due(account, queries.Policy.in_force(), today)}
        )
        posted = []
        for month in expiring:
            month_after = queries.month_start(month + 1)
            posted.extend(post_payments(account, month_after - dt.timedelta(days=1)))
            posted.extend(post_expiries(account, month_after))
        posted.extend(post_payments(account, today))
        return posted
