"""Recording what happens to a commitment (levy/commitment_events.py): the schedule, the posting
and the committed-month summaries follow; impossible changes are refused naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from joinedup.levy import commitment_events, queries, services, summaries
from joinedup.levy.models import CommitmentStatus, CommittedMonth, EntryKind, LedgerEntry
from joinedup.levy.tests.factories import CommitmentFactory, LevyAccountFactory
from joinedup.partnership.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitment():
    account = LevyAccountFactory()
    LedgerEntry.objects.create(
        account=account,
        kind=EntryKind.FUNDS_IN,
        month=dt.date(2026, 1, 1),
        amount=Decimal(50000),
        key="f",
    )
    return CommitmentFactory(
        account=account,
        start_on=dt.date(2026, 9, 1),
        planned_end_on=dt.date(2027, 8, 31),
        price=Decimal(12000),
        funding_band=Decimal(12000),
    )


def committed(account):
    return {
        (row.month, row.payments, row.units)
        for row in CommittedMonth.objects.filter(account=account).exclude(payments=0)
    }


def record(commitment, kind, on, **extra):
    return commitment_events.record_event(
        actor=None, commitment=commitment, kind=kind, on=on, **extra
    )


def test_a_break_takes_its_months_off_the_committed_spending_and_a_return_puts_them_back(
    commitment,
):
    account = commitment.account
    services.post_payments(account, dt.date(2026, 10, 31))
    record(commitment, "break", dt.date(2026, 12, 1))
    spending = queries.committed_spending(account, dt.date(2026, 11, 1))
    assert list(spending) == ["2026-11", "2027-08"]  # the completion payment still expected
    kept = committed(account)
    summaries.rebuild_committed([account.pk])
    assert committed(account) == kept
    record(commitment, "resume", dt.date(2027, 2, 1), planned_end_on=dt.date(2027, 11, 30))
    spending = queries.committed_spending(account, dt.date(2026, 11, 1))
    assert list(spending)[-1] == "2027-11"
    assert sum(spending.values()) == Decimal(12000) - 2 * Decimal(800)
    assert AuditEvent.objects.filter(action="levy_commitment.resume").count() == 1


def test_a_withdrawal_ends_the_commitment_and_nothing_is_posted_after_it(commitment):
    account = commitment.account
    record(commitment, "stop", dt.date(2026, 10, 15))
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.STOPPED
    posted = services.post_payments(account, dt.date(2027, 12, 31))
    assert [entry.month for entry in posted] == [dt.date(2026, 9, 1)]
    assert committed(account) == set()
    with pytest.raises(ValidationError, match="already ended"):
        record(commitment, "complete", dt.date(2026, 11, 1))


def test_a_return_without_a_break_is_refused_on_the_date(commitment):
    with pytest.raises(ValidationError) as refused:
        record(commitment, "resume", dt.date(2027, 2, 1), planned_end_on=dt.date(2027, 11, 30))
    assert "on" in refused.value.message_dict


def test_a_change_dated_before_the_last_one_is_refused(commitment):
    record(commitment, "break", dt.date(2026, 12, 1))
    with pytest.raises(ValidationError) as refused:
        record(commitment, "resume", dt.date(2026, 11, 1), planned_end_on=dt.date(2027, 11, 30))
    assert "on" in refused.value.message_dict


def test_a_change_of_price_and_end_moves_the_committed_spending_and_shows_on_the_page(
    commitment, world, client_for
):
    account = commitment.account
    services.post_payments(account, dt.date(2026, 10, 31))  # September and October, 800 each
    record(
        commitment,
        "change",
        dt.date(2026, 11, 5),
        price=Decimal(10800),
        planned_end_on=dt.date(2027, 10, 31),
        reason="New terms",
    )
    spending = queries.committed_spending(account, dt.date(2026, 11, 1))
    assert list(spending)[0] == "2026-11" and list(spending)[-1] == "2027-10"
    # The band is £12,000, so the new price is paid in full: £10,800 less the £1,600 paid.
    assert sum(spending.values()) == Decimal(10800) - 2 * Decimal(800)
    kept = committed(account)
    summaries.rebuild_committed([account.pk])
    assert committed(account) == kept
    assert AuditEvent.objects.get(action="levy_commitment.change").changes["price"] == "10800"
    account.organisation = world.own
    account.save()
    page = client_for("own_levy_officer").get(
        reverse("levy:setup-commitment", kwargs={"pk": commitment.pk})
    )
    assert (
        "Change of price or planned end on 5 November 2026 (New terms), agreed price now "
        "£10,800.00, "
        "now planned to end 31 October 2027" in page.content.decode()
    )


def test_a_change_of_nothing_or_to_below_what_is_paid_is_refused_naming_the_price(commitment):
    services.post_payments(commitment.account, dt.date(2027, 5, 31))
    with pytest.raises(ValidationError) as nothing:
        record(commitment, "change", dt.date(2027, 6, 2))
    with pytest.raises(ValidationError) as too_low:
        record(commitment, "change", dt.date(2027, 6, 2), price=Decimal(2000))
    assert list(nothing.value.message_dict) == list(too_low.value.message_dict) == ["price"]
    assert not commitment.events.exists()
