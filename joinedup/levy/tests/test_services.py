"""The ledger services: opening an account, posting funds in, allowances, payments and expiries."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from joinedup.levy import queries, services
from joinedup.levy.models import AllowanceYear, EntryKind, LedgerEntry, LevyAccount
from joinedup.levy.tests.factories import (
    CommitmentFactory,
    DeclarationFactory,
    LevyAccountFactory,
    PayeSchemeFactory,
)
from joinedup.partnership.models import AuditEvent

pytestmark = pytest.mark.django_db


def declare(scheme, month, ytd, submitted, year="25-26", submission=None):
    return DeclarationFactory(
        scheme=scheme,
        payroll_year=year,
        payroll_month=month,
        levy_due_ytd=None if ytd is None else Decimal(ytd),
        submitted_on=submitted,
        **({"submission_id": submission} if submission else {}),
    )


def entries(account):
    return list(
        LedgerEntry.objects.filter(account=account)
        .order_by("id")
        .values_list("kind", "month", "amount", "key")
    )


def post_entry(account, kind, month, amount, key, **extra):
    return LedgerEntry.objects.create(
        account=account, kind=kind, month=month, amount=Decimal(amount), key=key, **extra
    )


def test_opening_an_account_twice_opens_one_and_audits_once(world):
    actor = world.actor("own_levy_officer")
    first = services.open_account(actor=actor, organisation=world.own)
    second = services.open_account(actor=actor, organisation=world.own)
    assert first.pk == second.pk
    assert LevyAccount.objects.filter(organisation=world.own).count() == 1
    assert AuditEvent.objects.filter(action="levy_account.opened").count() == 1


def test_funds_in_posts_levy_and_top_up_by_landing_month():
    scheme = PayeSchemeFactory()
    declare(scheme, 1, "10000", dt.date(2025, 5, 15))
    declare(scheme, 2, "20000", dt.date(2025, 6, 15))
    posted = services.sync_funds_in(scheme.account)
    assert sorted((e.kind, f"{e.month:%Y-%m}", e.amount, e.key) for e in posted) == [
        ("funds_in", "2025-05", Decimal("10000"), "funds_in:2025-05:1"),
        ("funds_in", "2025-06", Decimal("10000"), "funds_in:2025-06:1"),
        ("top_up", "2025-05", Decimal("1000"), "top_up:2025-05:1"),
        ("top_up", "2025-06", Decimal("1000"), "top_up:2025-06:1"),
    ]
    assert queries.balance(scheme.account) == Decimal("22000")
    assert AuditEvent.objects.filter(action="levy_ledger.funds_in_posted").count() == 1


def test_syncing_again_posts_nothing():
    scheme = PayeSchemeFactory()
    declare(scheme, 1, "10000", dt.date(2025, 5, 15))
    services.sync_funds_in(scheme.account)
    before = entries(scheme.account)
    assert services.sync_funds_in(scheme.account) == []
    assert entries(scheme.account) == before
    assert AuditEvent.objects.filter(action="levy_ledger.funds_in_posted").count() == 1


def test_a_later_on_time_correction_posts_a_new_negative_entry_beside_the_old_one():
    scheme = PayeSchemeFactory()
    declare(scheme, 1, "10000", dt.date(2025, 5, 10))
    services.sync_funds_in(scheme.account)
    declare(scheme, 1, "9000", dt.date(2025, 5, 12))
    posted = services.sync_funds_in(scheme.account)
    assert sorted((e.kind, e.amount, e.key) for e in posted) == [
        ("funds_in", Decimal("-1000"), "funds_in:2025-05:2"),
        ("top_up", Decimal("-100"), "top_up:2025-05:2"),
    ]
    assert queries.balance(scheme.account) == Decimal("9900")
    assert LedgerEntry.objects.filter(
        account=scheme.account, key="funds_in:2025-05:1"
    ).get().amount == Decimal("10000")


def test_a_late_declaration_changes_nothing_until_the_next_on_time_figure():
    scheme = PayeSchemeFactory()
    declare(scheme, 1, "10000", dt.date(2025, 5, 15))
    services.sync_funds_in(scheme.account)
    declare(scheme, 1, "12000", dt.date(2025, 5, 25))  # after the 20 May cut-off
    assert services.sync_funds_in(scheme.account) == []
    declare(scheme, 2, "24000", dt.date(2025, 6, 15))
    posted = services.sync_funds_in(scheme.account)
    assert sum(e.amount for e in posted) == Decimal("15400")


def test_an_end_of_year_adjustment_is_an_adjustment_entry_with_its_top_up():
    scheme = PayeSchemeFactory()
    declare(scheme, 12, "120000", dt.date(2026, 4, 15))
    declare(scheme, 12, "121000", dt.date(2026, 5, 2))
    services.sync_funds_in(scheme.account)
    kinds = {(kind, f"{month:%Y-%m}", amount) for kind, month, amount, _ in entries(scheme.account)}
    assert ("adjustment", "2026-05", Decimal("1000")) in kinds
    assert ("top_up", "2026-05", Decimal("100")) in kinds


def test_the_english_fraction_and_amounts_are_kept_to_five_places():
    scheme = PayeSchemeFactory(account__english_fraction=Decimal("0.33333"))
    declare(scheme, 1, "10000.01", dt.date(2025, 5, 15))
    services.sync_funds_in(scheme.account)
    amounts = {kind: amount for kind, _, amount, _ in entries(scheme.account)}
    assert amounts == {"funds_in": Decimal("3333.30333"), "top_up": Decimal("333.33033")}
    assert services.sync_funds_in(scheme.account) == []


def test_schemes_of_one_employer_add_up():
    account = LevyAccountFactory()
    first = PayeSchemeFactory(account=account)
    second = PayeSchemeFactory(account=account)
    declare(first, 1, "10000", dt.date(2025, 5, 15))
    declare(second, 1, "5000", dt.date(2025, 5, 15))
    services.sync_funds_in(account)
    assert queries.balance(account) == Decimal("16500")


def test_allowance_is_a_share_of_last_years_funds_in_and_made_once(world):
    account = LevyAccountFactory(organisation=world.own)
    for month in range(4, 13):
        post_entry(account, EntryKind.FUNDS_IN, dt.date(2025, month, 1), "1000", f"f{month}")
    post_entry(account, EntryKind.FUNDS_IN, dt.date(2026, 4, 1), "5000", "not-last-year")
    row = services.allowance_for(account, dt.date(2026, 11, 30))
    assert row.starts_on == dt.date(2026, 4, 20)
    assert row.allowance == Decimal("4500")  # 50% of April to December 2025
    again = services.allowance_for(account, dt.date(2026, 12, 1))
    assert again.pk == row.pk
    assert AllowanceYear.objects.filter(account=account).count() == 1
    assert AuditEvent.objects.filter(action="levy_allowance.set").count() == 1


def test_allowance_follows_a_late_correction_but_never_drops_below_committed():
    account = LevyAccountFactory()
    post_entry(account, EntryKind.FUNDS_IN, dt.date(2025, 5, 1), "10000", "f1")
    row = services.allowance_for(account, dt.date(2026, 6, 1))
    AllowanceYear.objects.filter(pk=row.pk).update(committed=Decimal("4000"))
    post_entry(account, EntryKind.FUNDS_IN, dt.date(2025, 5, 1), "-8000", "f2")
    assert services.allowance_for(account, dt.date(2026, 6, 2)).allowance == Decimal("4000")


def test_payments_due_are_posted_once_with_keys_per_commitment_and_month():
    account = LevyAccountFactory()
    post_entry(account, EntryKind.FUNDS_IN, dt.date(2026, 1, 1), "50000", "f")
    commitment = CommitmentFactory(
        account=account,
        start_on=dt.date(2026, 9, 1),
        planned_end_on=dt.date(2027, 8, 31),
        price=Decimal("12000"),
        funding_band=Decimal("12000"),
    )
    posted = services.post_payments(account, dt.date(2026, 11, 30))
    assert [(e.key, e.amount) for e in posted] == [
        (f"payment:c{commitment.pk}:2026-09", Decimal("-800")),
        (f"payment:c{commitment.pk}:2026-10", Decimal("-800")),
        (f"payment:c{commitment.pk}:2026-11", Decimal("-800")),
    ]
    assert services.post_payments(account, dt.date(2026, 11, 30)) == []
    assert queries.balance(account) == Decimal("47600")


def test_a_payment_the_balance_cannot_cover_posts_only_the_levy_part_and_says_so():
    account = LevyAccountFactory()
    post_entry(account, EntryKind.FUNDS_IN, dt.date(2026, 1, 1), "300", "f")
    CommitmentFactory(
        account=account,
        start_on=dt.date(2026, 11, 1),
        planned_end_on=dt.date(2027, 10, 31),
        price=Decimal("12000"),
        funding_band=Decimal("12000"),
    )
    (entry,) = services.post_payments(account, dt.date(2026, 11, 30))
    assert entry.amount == Decimal("-300")
    assert "government £475.00" in entry.label and "employer £25.00" in entry.label
    assert queries.balance(account) == 0


def test_a_transfer_funded_payment_moves_the_senders_funds_through_the_receiver(world):
    sender = LevyAccountFactory(organisation=world.own)
    receiver = LevyAccountFactory(organisation=world.partner)
    post_entry(sender, EntryKind.FUNDS_IN, dt.date(2026, 1, 1), "50000", "f")
    commitment = CommitmentFactory(
        account=receiver,
        funded_by=sender,
        start_on=dt.date(2026, 11, 1),
        planned_end_on=dt.date(2027, 10, 31),
        price=Decimal("12000"),
        funding_band=Decimal("12000"),
    )
    assert services.post_payments(receiver, dt.date(2026, 11, 30)) == []
    posted = services.post_payments(sender, dt.date(2026, 11, 30))
    assert sorted((e.account_id, e.kind, e.amount) for e in posted) == sorted(
        [
            (sender.pk, "transfer_out", Decimal("-800")),
            (receiver.pk, "transfer_in", Decimal("800")),
            (receiver.pk, "payment", Decimal("-800")),
        ]
    )
    assert queries.balance(sender) == Decimal("49200")
    assert queries.balance(receiver) == 0
    assert services.post_payments(sender, dt.date(2026, 11, 30)) == []
    assert LedgerEntry.objects.filter(key__contains=f"c{commitment.pk}:").count() == 3


def test_expiries_are_posted_for_ended_months_only_and_never_again():
    account = LevyAccountFactory()
    post_entry(account, EntryKind.FUNDS_IN, dt.date(2024, 9, 1), "1000", "a")
    post_entry(account, EntryKind.FUNDS_IN, dt.date(2024, 10, 1), "2000", "b")
    post_entry(account, EntryKind.PAYMENT, dt.date(2025, 1, 1), "-1500", "p")
    posted = services.post_expiries(account, dt.date(2026, 10, 15))
    assert [(e.key, e.amount) for e in posted] == [("expiry:2026-09:long", Decimal("0"))]
    assert services.post_expiries(account, dt.date(2026, 10, 31)) == []
    # A refund dated before the expiry does not reopen a posted month.
    post_entry(account, EntryKind.REFUND, dt.date(2025, 2, 1), "1500", "r")
    posted = services.post_expiries(account, dt.date(2026, 11, 2))
    assert [(e.key, e.amount) for e in posted] == [("expiry:2026-10:long", Decimal("-2000"))]
    assert queries.balance(account) == Decimal("1000")


def at_once(calls):
    """Run every call at the same moment, each on its own connection; return the errors."""
    start = threading.Barrier(len(calls))
    errors = []

    def worker(call):
        try:
            start.wait(timeout=30)
            call()
        except BaseException as error:  # noqa: BLE001 - reported by the test's assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True)
def test_postings_run_at_once_for_one_account_post_each_entry_once():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a file-based SQLite test database or PostgreSQL (two writers)")
    scheme = PayeSchemeFactory()
    declare(scheme, 1, "10000", dt.date(2025, 5, 15))
    declare(scheme, 2, "20000", dt.date(2025, 6, 15))
    CommitmentFactory(account=scheme.account, start_on=dt.date(2025, 9, 1))
    account = scheme.account
    errors = at_once(
        [lambda: services.sync_funds_in(account) for _ in range(4)]
        + [lambda: services.post_due_entries(account, dt.date(2026, 11, 30)) for _ in range(4)]
    )
    assert errors == []
    keys = list(LedgerEntry.objects.filter(account=account).values_list("key", flat=True))
    assert len(keys) == len(set(keys))
    assert services.sync_funds_in(account) == []
    assert services.post_due_entries(account, dt.date(2026, 11, 30)) == []
    assert queries.balance(account) == sum(
        LedgerEntry.objects.filter(account=account).values_list("amount", flat=True), Decimal(0)
    )
