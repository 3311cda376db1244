"""Synthetic levy accounts for benchmarks: `joinedup generate_levy --employers N ...`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from joinedup.levy import services
from joinedup.levy.generate import generate_levy
from joinedup.levy.models import Commitment, CommitmentStatus, EntryKind, LedgerEntry, LevyAccount
from joinedup.partnership.generate import GenerateRefused, generate

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def generated(db):
    generate(people=60, organisations=3, progress=False)
    return generate_levy(employers=3, years=3, commitments=30, today=TODAY, progress=False)


def test_generate_levy_adds_accounts_declarations_commitments_and_their_ledger(generated):
    assert (generated.accounts, generated.commitments) == (3, 30)
    assert LevyAccount.objects.count() == 3
    kinds = set(LedgerEntry.objects.values_list("kind", flat=True))
    assert {EntryKind.FUNDS_IN, EntryKind.TOP_UP, EntryKind.PAYMENT} <= kinds
    assert generated.entries == LedgerEntry.objects.count()


def test_the_services_find_nothing_left_to_post_after_generating(generated):
    for account in LevyAccount.objects.all():
        assert services.sync_funds_in(account) == []
        assert services.post_due_entries(account, TODAY) == []


def test_commitments_ended_before_this_month_are_completed(generated):
    ended = Commitment.objects.filter(planned_end_on__lt=TODAY.replace(day=1))
    assert not ended.exclude(status=CommitmentStatus.COMPLETED).exists()


def test_generate_levy_refuses_organisations_that_already_have_accounts(generated):
    with pytest.raises(GenerateRefused):
        generate_levy(employers=3, years=1, commitments=1, today=TODAY, progress=False)


def test_the_command_says_why_it_refuses(db):
    with pytest.raises(CommandError, match="Generate people first"):
        call_command("generate_levy", employers=5, commitments=1, stdout=io.StringIO())
