"""The summary tables (`levy.summaries`) equal the live sums after every kind of write.

`LedgerMonth` against the entries added up afresh; `CommittedMonth` against every active
commitment's schedule less the payments posted; `AccountFigures` against the figures worked out
afresh. A Hypothesis property drives random sequences of the writes (declarations synced, own and
transfer-funded apprenticeships added and ended, payments, transfers and expiries posted, refunds
and corrections added by hand); the pledge path, the generator, the rebuilds and the partnership
view are checked on their own. Run on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.levy import declarations, ledger_jobs, pledges, queries, rules, services, summaries
from joinedup.levy.expiry import Month
from joinedup.levy.generate import generate_levy
from joinedup.levy.models import (
    AccountFigures,
    Commitment,
    CommitmentStatus,
    CommittedMonth,
    EntryKind,
    LedgerEntry,
    LedgerMonth,
    LevyAccount,
)
from joinedup.levy.tests.factories import (
    CommitmentFactory,
    DeclarationFactory,
    LevyAccountFactory,
    PayeSchemeFactory,
)
from joinedup.levy.tests.pledge_setup import (
    DAY,
    application_fields,
    funded_account,
    levy_officer,
)
from joinedup.partnership.generate import generate

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 15)


def live_ledger_months() -> dict[tuple, int]:
    """Every entry added up afresh by account, month, kind and source."""
    sums: dict[tuple, int] = defaultdict(int)
    for entry in LedgerEntry.objects.all():
        sums[(entry.account_id, entry.month, entry.kind, entry.source)] += int(entry.amount * 10**5)
    return dict(sums)


def stored_ledger_months() -> dict[tuple, int]:
    return {
        (row.account_id, row.month, row.kind, row.source): row.units
        for row in LedgerMonth.objects.all()
    }


def live_committed() -> dict[tuple, tuple[int, int]]:
    """Each active commitment's scheduled payments whose payer entry is not posted, by payer and
    month: (how many, their total in units)."""
    terms = rules.payment_terms()
    posted = set(LedgerEntry.objects.values_list("account_id", "key"))
    rows: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for commitment in Commitment.objects.filter(status=CommitmentStatus.ACTIVE):
        payer = commitment.funded_by_id or commitment.account_id
        kind = EntryKind.PAYMENT if commitment.funded_by_id is None else EntryKind.TRANSFER_OUT
        schedule = queries.schedule_of(commitment, terms).costs_by_month()
        for month, amount in schedule.items():
            day = queries.month_start(Month.parse(month))
            if (payer, queries.payer_key(commitment.pk, kind, day)) not in posted:
                rows[(payer, day)][0] += 1
                rows[(payer, day)][1] += int(amount * 10**5)
    return {key: tuple(value) for key, value in rows.items()}


def stored_committed() -> dict[tuple, tuple[int, int]]:
    return {
        (row.account_id, row.month): (row.payments, row.units)
        for row in CommittedMonth.objects.all()
        if (row.payments, row.units) != (0, 0)
    }


def assert_summaries_match() -> None:
    assert stored_ledger_months() == live_ledger_months()
    assert stored_committed() == live_committed()


def assert_figures_match(accounts: list[LevyAccount], today: dt.date) -> None:
    """The stored headline figures are those worked out afresh from the live sums."""
    stored = summaries.stored_figures(accounts, today)
    fresh = queries.account_summaries(accounts, today)
    for account in accounts:
        figures, summary = stored[account.pk], fresh[account.pk]
        first = summary.next_expiry
        assert (
            figures.balance,
            figures.expiring,
            figures.next_expiry,
            figures.remaining_allowance,
        ) == (
            summary.balance,
            summary.forecast_total,
            first.month if first else None,
            summary.remaining_allowance,
        )


# One write: what it is, which account (0-2), and its numbers.
DECLARE = st.tuples(
    st.just("declare"),
    st.integers(0, 2),
    st.integers(1, 12),
    st.one_of(st.none(), st.integers(-2_000, 60_000)),
    st.sampled_from([15, 25]),  # on time, or late (after the 20th's cut-off)
)
COMMIT = st.tuples(
    st.just("commit"),
    st.integers(0, 2),
    st.one_of(st.none(), st.integers(0, 2)),  # funded by a transfer from this account
    st.integers(0, 30),  # start, months after April 2024
    st.integers(13, 30),  # months long
    st.sampled_from(["1500", "3000.33333", "9000", "12000.5"]),
)
POST = st.tuples(st.just("post"), st.integers(0, 2), st.integers(0, 40))
END = st.tuples(st.just("end"), st.integers(0, 50), st.sampled_from(["completed", "stopped"]))
BY_HAND = st.tuples(
    st.just("by_hand"),
    st.integers(0, 2),
    st.sampled_from([EntryKind.REFUND, EntryKind.FUNDS_IN, EntryKind.ADJUSTMENT]),
    st.integers(0, 30),
    st.decimals("-500", "500", places=5, allow_nan=False, allow_infinity=False),
)
WRITES = st.lists(st.one_of(DECLARE, COMMIT, POST, END, BY_HAND), min_size=1, max_size=14)


def month_after(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def apply(write: tuple, accounts: list[LevyAccount], schemes: list, number: int) -> None:
    what = write[0]
    if what == "declare":
        _, index, month, ytd, day = write
        ends = month_after(dt.date(2024, 5, 1), month - 1)
        DeclarationFactory(
            scheme=schemes[index],
            payroll_year="24-25",
            payroll_month=month,
            levy_due_ytd=None if ytd is None else Decimal(ytd),
            submitted_on=ends.replace(day=day),
            submission_id=f"S{number}",
        )
        services.sync_funds_in(accounts[index])
    elif what == "commit":
        _, index, funder, start, months, price = write
        begins = month_after(dt.date(2024, 4, 1), start)
        ends = month_after(begins, months) - dt.timedelta(days=1)
        if funder is None or funder == index:
            declarations.add_commitment(
                actor=None,
                account=accounts[index],
                reference=f"APP-{number}",
                provider="North College",
                standard_code="ST0005",
                standard_title="Adult care worker",
                level=2,
                start_on=begins,
                planned_end_on=ends,
                price=Decimal(price),
                funding_band=Decimal("9000"),
            )
        else:
            # As `pledges.accept_approval` records a transfer: commitments the sender funds.
            commitments = Commitment.objects.bulk_create(
                [
                    Commitment(
                        account=accounts[index],
                        reference=f"PLEDGE-{number}",
                        provider="Not yet chosen",
                        start_on=begins,
                        planned_end_on=ends,
                        price=Decimal(price),
                        funding_band=Decimal("9000"),
                        funded_by=accounts[funder],
                    )
                ]
            )
            summaries.commitments_started(commitments)
    elif what == "post":
        _, index, months = write
        services.post_due_entries(accounts[index], month_after(dt.date(2024, 6, 1), months))
    elif what == "end":
        _, pick, status = write
        active = list(Commitment.objects.filter(status=CommitmentStatus.ACTIVE).order_by("pk"))
        if active:
            declarations.end_commitment(
                actor=None, commitment=active[pick % len(active)], status=status
            )
    else:
        _, index, kind, month, amount = write
        LedgerEntry.objects.create(
            account=accounts[index],
            kind=kind,
            month=month_after(dt.date(2024, 5, 1), month),
            amount=amount,
            key=f"by-hand:{number}",
        )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=WRITES, today_months=st.integers(0, 40))
def test_the_summaries_equal_the_live_sums_after_every_write(world, writes, today_months):
    with transaction.atomic():
        organisations = [world.own, world.partner, world.icb]
        accounts = [LevyAccountFactory(organisation=org) for org in organisations]
        schemes = [PayeSchemeFactory(account=account) for account in accounts]
        for number, write in enumerate(writes):
            apply(write, accounts, schemes, number)
            assert_summaries_match()
        assert_figures_match(accounts, month_after(dt.date(2024, 6, 1), today_months))
        transaction.set_rollback(True)


def test_a_write_after_the_figures_were_stored_makes_them_be_worked_out_again(world):
    account = LevyAccountFactory(organisation=world.own)
    LedgerEntry.objects.create(
        account=account, kind=EntryKind.FUNDS_IN, month=dt.date(2026, 1, 1), amount=1, key="a"
    )
    assert summaries.stored_figures([account], TODAY)[account.pk].balance == 1
    assert AccountFigures.objects.get(account=account).computed_on == TODAY
    LedgerEntry.objects.create(
        account=account, kind=EntryKind.FUNDS_IN, month=dt.date(2026, 2, 1), amount=2, key="b"
    )
    assert AccountFigures.objects.get(account=account).computed_on is None
    assert summaries.stored_figures([account], TODAY)[account.pk].balance == 3
    # Worked out on another day, they are worked out again.
    assert summaries.stored_figures([account], TODAY + dt.timedelta(days=1))[
        account.pk
    ].computed_on == TODAY + dt.timedelta(days=1)


def test_figures_worked_out_from_a_version_a_write_has_passed_are_not_stored(world):
    account = LevyAccountFactory(organisation=world.own)
    LedgerEntry.objects.create(
        account=account, kind=EntryKind.FUNDS_IN, month=dt.date(2026, 1, 1), amount=1, key="a"
    )
    summaries.stored_figures([account], TODAY)
    real = queries.account_summaries

    def racing(accounts, today, *args, **kwargs):
        # A write commits while the reader works the figures out from what it read before.
        worked_out = real(accounts, today, *args, **kwargs)
        LedgerEntry.objects.create(
            account=account, kind=EntryKind.FUNDS_IN, month=dt.date(2026, 2, 1), amount=2, key="b"
        )
        return worked_out

    queries.account_summaries = racing
    try:
        summaries.stored_figures([account], TODAY + dt.timedelta(days=1))
    finally:
        queries.account_summaries = real
    assert AccountFigures.objects.get(account=account).computed_on is None
    assert summaries.stored_figures([account], TODAY)[account.pk].balance == 3


def test_an_allowance_claimed_by_a_pledge_changes_the_stored_figures(world):
    sender = funded_account(world.own)
    officer = levy_officer(world.own)
    before = summaries.stored_figures([sender], DAY)[sender.pk].remaining_allowance
    pledges.create_pledge(actor=officer, account=sender, amount=Decimal("10000"), on=DAY)
    after = summaries.stored_figures([sender], DAY)[sender.pk].remaining_allowance
    assert before - after == Decimal("10000")
    assert_figures_match([sender], DAY)


def test_a_pledge_accepted_then_unused_adds_then_removes_the_senders_commitments(world):
    sender = funded_account(world.own)
    applicant = LevyAccountFactory(organisation=world.partner)
    sender_officer, applicant_officer = levy_officer(world.own), levy_officer(world.partner)
    pledge = pledges.create_pledge(
        actor=sender_officer, account=sender, amount=Decimal("20000"), on=DAY
    )
    application = pledges.apply_to_pledge(
        actor=applicant_officer,
        pledge=pledge,
        account=applicant,
        on=DAY,
        **application_fields(apprentices=2),
    )
    pledges.approve_application(actor=sender_officer, application=application, on=DAY)
    pledges.accept_approval(actor=applicant_officer, application=application)
    assert {payer for payer, _ in stored_committed()} == {sender.pk}
    assert_summaries_match()
    services.post_due_entries(sender, dt.date(2026, 10, 15))
    assert_summaries_match()
    pledges.expire_unused_funds(application=application)
    assert_summaries_match()
    assert not Commitment.objects.filter(status=CommitmentStatus.ACTIVE).exists()
    assert stored_committed() == {}


def test_the_rebuilds_give_what_the_writes_kept(world):
    account = LevyAccountFactory(organisation=world.own)
    scheme = PayeSchemeFactory(account=account)
    for month in range(1, 7):
        DeclarationFactory(
            scheme=scheme,
            payroll_year="25-26",
            payroll_month=month,
            levy_due_ytd=Decimal(10_000 * month),
            submitted_on=month_after(dt.date(2025, 5, 1), month - 1).replace(day=15),
        )
    services.sync_funds_in(account)
    CommitmentFactory(account=account, start_on=dt.date(2025, 9, 1))
    services.post_due_entries(account, TODAY)
    kept = (stored_ledger_months(), stored_committed())
    LedgerMonth.objects.all().delete()
    CommittedMonth.objects.all().delete()
    # As migration 0002 fills the ledger summary, and the generator the committed months.
    LedgerMonth.objects.bulk_create(
        LedgerMonth(account_id=pk, month=month, kind=kind, source=source, units=total)
        for pk, month, kind, source, total in summaries.ledger_month_rows(LedgerEntry.objects.all())
    )
    summaries.rebuild_committed([account.pk])
    assert (stored_ledger_months(), stored_committed()) == kept
    assert_summaries_match()


def test_the_scale_generator_fills_the_summaries(db):
    generate(people=60, organisations=3, progress=False)
    generate_levy(employers=3, years=3, commitments=30, today=TODAY, progress=False)
    assert LedgerMonth.objects.exists() and CommittedMonth.objects.exists()
    assert_summaries_match()


def test_the_partnership_view_reads_the_stored_figures(world, client_for):
    account = LevyAccountFactory(organisation=world.own)
    LedgerEntry.objects.create(
        account=account,
        kind=EntryKind.FUNDS_IN,
        month=dt.date(2026, 1, 1),
        amount=Decimal("1234.5"),
        key="a",
    )
    html = client_for("partnership_lead").get(reverse("levy:partnership")).content.decode()
    assert "£1,234.50" in html
    assert AccountFigures.objects.get(account=account).balance == Decimal("1234.5")


def test_the_figures_job_works_out_the_days_figures_of_every_account(world):
    accounts = [LevyAccountFactory(organisation=org) for org in (world.own, world.partner)]
    LedgerEntry.objects.create(
        account=accounts[0], kind=EntryKind.FUNDS_IN, month=dt.date(2026, 1, 1), amount=5, key="a"
    )
    assert ledger_jobs.refresh_figures(TODAY) == 2
    stored = AccountFigures.objects.order_by("account_id")
    assert [(row.computed_on, row.balance) for row in stored] == [(TODAY, 5), (TODAY, 0)]
    assert_figures_match(accounts, TODAY)
