"""An enrolment's payments (apprenticeships/payments.py): the levy commitment made at the start,
posting its months through the levy's own `services.post_due_entries` to the paying account
(a transfer's sender included), and what a break, a return, a withdrawal and a completion do to
the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from joinedup.apprenticeships import payments
from joinedup.apprenticeships.models import EnrolmentStatus, FundingRoute
from joinedup.apprenticeships.tests.factories import CohortFactory, EnrolmentFactory
from joinedup.levy import queries, services, summaries
from joinedup.levy.allowance import allowance_year_start
from joinedup.levy.models import (
    AllowanceYear,
    CommitmentStatus,
    CommittedMonth,
    EntryKind,
    LedgerEntry,
)
from joinedup.levy.tests.factories import LevyAccountFactory
from joinedup.partnership.models import AuditEvent

pytestmark = pytest.mark.django_db

START = dt.date(2026, 9, 1)
END = dt.date(2027, 8, 31)  # 12 monthly instalments of £933.33333 under the £14,000 band


def fund(account, amount="100000", month=dt.date(2026, 1, 1)):
    LedgerEntry.objects.create(
        account=account,
        kind=EntryKind.FUNDS_IN,
        month=month,
        amount=Decimal(amount),
        key=f"funds_in:test:{month:%Y-%m}",
    )


def last_year() -> dt.date:
    """A month of the year before today's allowance year: its funds in make the allowance."""
    before = allowance_year_start(timezone.localdate()) - dt.timedelta(days=40)
    return before.replace(day=1)


def enrolment(route=FundingRoute.LEVY, price="14000", transfer_from=None, **extra):
    cohort = CohortFactory(starts_on=START, ends_on=END)
    found = EnrolmentFactory(cohort=cohort, funding_route=route, price=Decimal(price), **extra)
    if route in (FundingRoute.LEVY, FundingRoute.TRANSFER):
        found.levy_account = LevyAccountFactory(organisation=found.employer)
        found.transfer_from = transfer_from
        found.save()
    return found


def paid(account, kinds=(EntryKind.PAYMENT,)):
    """The account's payments by month (YYYY-MM), as positive amounts."""
    rows = (
        LedgerEntry.objects.filter(account=account, kind__in=kinds)
        .values_list("month")
        .annotate(total=Sum("amount"))
        .order_by("month")
    )
    return {f"{month:%Y-%m}": -total for month, total in rows}


def committed(account):
    return {
        f"{row.month:%Y-%m}": (row.payments, row.units)
        for row in CommittedMonth.objects.filter(account=account).exclude(payments=0)
    }


def assert_summaries_match_a_rebuild(account):
    kept = committed(account)
    summaries.rebuild_committed([account.pk])
    assert committed(account) == kept


def test_starting_a_privately_funded_enrolment_posts_nothing_and_shows_the_employers_cost():
    found = enrolment(route=FundingRoute.PRIVATE, price="16000")
    assert payments.start(found, actor=None) is None
    found.refresh_from_db()
    assert found.levy_commitment is None
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).exists()
    rows = payments.schedule_rows(found)
    assert sum(row.amount for row in rows) == Decimal(16000)
    assert {row.posted for row in rows} == {None}
    assert rows[0].month == "September 2026"
    assert rows[0].payer == found.employer.name


def test_a_co_funded_enrolment_shows_the_employers_share_and_the_excess():
    found = enrolment(route=FundingRoute.CO_FUNDED, price="15000")
    rows = payments.schedule_rows(found)
    assert rows[0].label == "Above the funding band"
    assert rows[0].amount == Decimal(1000)
    # 5% of the £14,000 band, plus the £1,000 above it.
    assert sum(row.amount for row in rows) == Decimal(1700)


def test_starting_a_levy_funded_enrolment_makes_its_commitment_once_and_audits_it():
    found = enrolment()
    commitment = payments.start(found, actor=None)
    found.refresh_from_db()
    assert found.levy_commitment == commitment
    assert commitment.account == found.levy_account
    assert commitment.reference == found.reference
    assert commitment.provider == found.cohort.programme.provider.name
    assert (commitment.standard_code, commitment.level) == ("ST0480", 7)
    assert commitment.funding_band == Decimal(14000)
    assert commitment.completion_on_record
    assert payments.start(found, actor=None) == commitment
    assert AuditEvent.objects.filter(action="apprenticeship_payments.started").count() == 1
    assert AuditEvent.objects.filter(action="levy_commitment.added").count() == 1
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).exists()


def test_posting_pays_the_months_due_and_the_page_shows_them_posted():
    found = enrolment()
    fund(found.levy_account)
    payments.start(found, actor=None)
    services.post_due_entries(found.levy_account, dt.date(2026, 11, 15))
    assert paid(found.levy_account) == {
        m: Decimal("933.33333") for m in ("2026-09", "2026-10", "2026-11")
    }
    rows = payments.schedule_rows(found)
    assert [row.posted for row in rows[:4]] == [True, True, True, False]
    assert rows[-1].label.startswith("Completion payment (expected")
    assert rows[-1].month == "September 2027"
    assert sum(row.amount for row in rows) == Decimal(14000)
    assert_summaries_match_a_rebuild(found.levy_account)


def test_without_a_recorded_completion_the_completion_payment_is_never_posted():
    found = enrolment()
    fund(found.levy_account)
    payments.start(found, actor=None)
    services.post_due_entries(found.levy_account, dt.date(2027, 12, 15))
    assert sum(paid(found.levy_account).values()) == Decimal("11200")
    assert committed(found.levy_account) == {"2027-09": (1, 2800 * 10**5)}


def test_a_transfer_claims_the_senders_allowance_and_its_months_are_paid_by_the_sender(world):
    sender = LevyAccountFactory(organisation=world.partner)
    fund(sender, month=last_year())
    fund(sender, month=dt.date(2026, 8, 1))
    found = enrolment(route=FundingRoute.TRANSFER, transfer_from=sender)
    commitment = payments.start(found, actor=None)
    assert commitment.funded_by == sender
    year = AllowanceYear.objects.get(account=sender)
    assert year.committed == Decimal(14000)  # 12 months or less: the whole band
    services.post_due_entries(sender, dt.date(2026, 10, 15))
    assert paid(sender, kinds=(EntryKind.TRANSFER_OUT,)) == {
        "2026-09": Decimal("933.33333"),
        "2026-10": Decimal("933.33333"),
    }
    assert paid(found.levy_account) == paid(sender, kinds=(EntryKind.TRANSFER_OUT,))
    assert {row.payer for row in payments.schedule_rows(found)} == {
        f"{world.partner.name} levy account"
    }


def test_a_transfer_beyond_the_senders_allowance_is_refused(world):
    sender = LevyAccountFactory(organisation=world.partner)
    fund(sender, amount="1000", month=last_year())
    found = enrolment(route=FundingRoute.TRANSFER, transfer_from=sender)
    with pytest.raises(ValidationError) as refused:
        payments.start(found, actor=None)
    assert "funded_by" in refused.value.message_dict
    found.refresh_from_db()
    assert found.levy_commitment is None


def test_a_break_pauses_posting_and_a_return_spreads_the_rest_to_the_new_end():
    found = enrolment()
    account = found.levy_account
    fund(account)
    payments.start(found, actor=None)
    services.post_due_entries(account, dt.date(2026, 11, 15))
    payments.pause(found, actor=None, on=dt.date(2026, 12, 10))
    services.post_due_entries(account, dt.date(2027, 2, 15))
    assert list(paid(account)) == ["2026-09", "2026-10", "2026-11"]
    assert_summaries_match_a_rebuild(account)
    # Back in March with three more months: 9 months' instalments over 12 months from March.
    payments.resume(found, actor=None, on=dt.date(2027, 3, 2), planned_end_on=dt.date(2028, 2, 29))
    services.post_due_entries(account, dt.date(2027, 3, 15))
    assert paid(account)["2027-03"] == Decimal("700")
    rows = payments.schedule_rows(found)
    assert sum(row.amount for row in rows) == Decimal(14000)
    assert rows[-1].month == "March 2028"
    assert_summaries_match_a_rebuild(account)


def test_a_break_recorded_after_its_month_was_posted_takes_effect_the_month_after():
    found = enrolment()
    fund(found.levy_account)
    payments.start(found, actor=None)
    services.post_due_entries(found.levy_account, dt.date(2026, 12, 1))
    payments.pause(found, actor=None, on=dt.date(2026, 12, 10))
    services.post_due_entries(found.levy_account, dt.date(2027, 2, 1))
    assert list(paid(found.levy_account))[-1] == "2026-12"


def test_a_withdrawal_stops_later_instalments_and_the_completion_payment():
    found = enrolment()
    account = found.levy_account
    fund(account)
    payments.start(found, actor=None)
    services.post_due_entries(account, dt.date(2026, 10, 15))
    payments.stop(found, actor=None, on=dt.date(2026, 12, 31))  # still pays December
    found.levy_commitment.refresh_from_db()
    assert found.levy_commitment.status == CommitmentStatus.STOPPED
    services.post_due_entries(account, dt.date(2027, 12, 15))
    assert list(paid(account)) == ["2026-09", "2026-10", "2026-11", "2026-12"]
    assert committed(account) == {}
    assert queries.committed_spending(account, dt.date(2027, 1, 1)) == {}
    assert_summaries_match_a_rebuild(account)


def test_an_early_completion_pays_the_balance_and_the_completion_share_in_its_month():
    found = enrolment()
    account = found.levy_account
    fund(account)
    payments.start(found, actor=None)
    services.post_due_entries(account, dt.date(2027, 4, 15))
    payments.complete(found, actor=None, on=dt.date(2027, 5, 20))
    found.levy_commitment.refresh_from_db()
    assert found.levy_commitment.status == CommitmentStatus.COMPLETED
    services.post_due_entries(account, dt.date(2027, 5, 20))
    months = paid(account)
    # The completion share and the four instalments left (each about £933.33).
    assert abs(months["2027-05"] - 2800 - 4 * Decimal("933.33333")) < Decimal("0.001")
    assert sum(months.values()) == Decimal(14000)
    services.post_due_entries(account, dt.date(2027, 12, 15))
    assert sum(paid(account).values()) == Decimal(14000)
    assert committed(account) == {}
    labels = [row.label for row in payments.schedule_rows(found)]
    assert labels[-2:] == ["Balancing payment", "Completion payment"]


def test_a_late_completion_posts_the_completion_share_in_the_month_it_is_recorded():
    found = enrolment()
    account = found.levy_account
    fund(account)
    payments.start(found, actor=None)
    services.post_due_entries(account, dt.date(2027, 10, 15))
    payments.complete(found, actor=None, on=dt.date(2027, 11, 3))
    services.post_due_entries(account, dt.date(2027, 11, 20))
    assert paid(account)["2027-11"] == Decimal(2800)
    assert sum(paid(account).values()) == Decimal(14000)
    assert_summaries_match_a_rebuild(account)


def test_changes_to_a_privately_funded_enrolment_touch_no_ledger():
    found = enrolment(route=FundingRoute.PRIVATE)
    payments.pause(found, actor=None, on=dt.date(2026, 12, 1))
    payments.stop(found, actor=None, on=dt.date(2027, 1, 1))
    assert not LedgerEntry.objects.exists()


def test_a_return_that_leaves_no_month_is_refused_naming_the_field():
    found = enrolment()
    payments.start(found, actor=None)
    payments.pause(found, actor=None, on=dt.date(2026, 12, 10))
    with pytest.raises(ValidationError) as refused:
        payments.resume(
            found, actor=None, on=dt.date(2027, 3, 2), planned_end_on=dt.date(2027, 3, 20)
        )
    assert "planned_end_on" in refused.value.message_dict


def test_a_transfer_to_an_employer_without_a_levy_account_opens_one_to_hold_it(world):
    sender = LevyAccountFactory(organisation=world.partner)
    fund(sender, month=last_year())
    found = EnrolmentFactory(
        cohort=CohortFactory(starts_on=START, ends_on=END),
        funding_route=FundingRoute.TRANSFER,
        transfer_from=sender,
    )
    commitment = payments.start(found, actor=None)
    assert commitment.account.organisation == found.employer
    assert commitment.funded_by == sender


def _moved(found, employer, route=FundingRoute.LEVY):
    """The enrolment as `enrolments.change_employer` leaves it before passing the move on."""
    found.employer = employer
    found.funding_route = route
    found.levy_account = (
        LevyAccountFactory(organisation=employer) if route == FundingRoute.LEVY else None
    )
    found.save()
    return found


def test_a_move_stops_the_old_commitment_and_the_new_employers_account_pays_the_rest():
    found = enrolment()
    old_account = found.levy_account
    fund(old_account)
    old = payments.start(found, actor=None)
    services.post_due_entries(old_account, dt.date(2026, 10, 15))
    new_employer = EnrolmentFactory().employer
    _moved(found, new_employer)
    fund(found.levy_account)

    new = payments.move(found, actor=None, on=dt.date(2027, 1, 1))

    old.refresh_from_db()
    assert old.status == CommitmentStatus.STOPPED
    assert old.events.get().reason == f"Enrolment {found.reference}: moved to {new_employer.name}"
    found.refresh_from_db()
    assert found.levy_commitment == new and new.account == found.levy_account
    assert (new.start_on, new.planned_end_on, new.reference) == (
        dt.date(2027, 1, 1),
        END,
        found.reference,
    )
    # September to December were the old account's; the new one pays the rest of the £14,000.
    old_paid = queries.schedule_of(old).total
    assert old_paid == 4 * queries.schedule_of(old).instalments[0].amount
    assert new.price == Decimal(14000) - old_paid
    assert old_paid + queries.schedule_of(new).total == Decimal(14000)
    services.post_due_entries(old_account, dt.date(2027, 12, 15))
    services.post_due_entries(found.levy_account, dt.date(2027, 12, 15))
    assert list(paid(old_account)) == ["2026-09", "2026-10", "2026-11", "2026-12"]
    assert list(paid(found.levy_account)) == [f"2027-{m:02}" for m in range(1, 9)]
    rows = payments.schedule_rows(found)
    assert rows[0].month == "January 2027"
    assert rows[0].payer == f"{new_employer.name} levy account"
    assert AuditEvent.objects.filter(action="apprenticeship_payments.moved").count() == 1


def test_a_move_to_an_employer_the_levy_does_not_pay_for_only_stops_the_old_commitment():
    found = enrolment()
    fund(found.levy_account)
    old = payments.start(found, actor=None)
    _moved(found, EnrolmentFactory().employer, route=FundingRoute.CO_FUNDED)

    assert payments.move(found, actor=None, on=dt.date(2027, 1, 1)) is None

    old.refresh_from_db()
    found.refresh_from_db()
    assert old.status == CommitmentStatus.STOPPED and found.levy_commitment is None


def test_a_move_from_a_co_funded_employer_to_a_levy_payer_starts_a_commitment_for_the_rest():
    found = enrolment(route=FundingRoute.CO_FUNDED)
    _moved(found, EnrolmentFactory().employer)

    new = payments.move(found, actor=None, on=dt.date(2027, 3, 10))

    # Six of the twelve instalments of 80% of £14,000 were the co-funded plan's (September to
    # February): the rest is £14,000 less £5,600, to the levy's five decimal places.
    assert new.start_on == dt.date(2027, 3, 10)
    assert new.price.quantize(Decimal("0.01")) == Decimal("8400.00")
    assert queries.schedule_of(new).total == new.price


def test_a_move_during_a_break_starts_the_new_commitment_on_a_break():
    found = enrolment()
    payments.start(found, actor=None)
    payments.pause(found, actor=None, on=dt.date(2026, 11, 1))
    found.status = EnrolmentStatus.ON_BREAK
    _moved(found, EnrolmentFactory().employer)

    new = payments.move(found, actor=None, on=dt.date(2027, 1, 1))

    # September and October were paid; nothing more until the return, which re-spreads the rest.
    schedule = queries.schedule_of(new)
    assert sum(i.amount for i in schedule.instalments) == 0
    assert schedule.on_hold == new.price * Decimal("0.8")
    payments.resume(found, actor=None, on=dt.date(2027, 3, 1), planned_end_on=END)
    assert queries.schedule_of(new).instalments[0].month == dt.date(2027, 3, 1)


def test_a_move_back_to_an_earlier_employer_gives_the_new_commitment_its_own_reference():
    found = enrolment()
    first_employer, first_account = found.employer, found.levy_account
    first = payments.start(found, actor=None)
    _moved(found, EnrolmentFactory().employer)
    payments.move(found, actor=None, on=dt.date(2027, 1, 1))
    found.employer, found.levy_account = first_employer, first_account
    found.save()

    back = payments.move(found, actor=None, on=dt.date(2027, 3, 1))

    assert back.account == first.account
    assert (first.reference, back.reference) == (found.reference, f"{found.reference}-2")


def test_a_new_price_from_a_month_is_spread_over_the_months_left_on_the_ledger():
    found = enrolment()
    account = found.levy_account
    fund(account)
    commitment = payments.start(found, actor=None)
    services.post_due_entries(account, dt.date(2026, 11, 15))  # September to November

    payments.change_terms(found, actor=None, on=dt.date(2026, 12, 3), price=Decimal(12600))

    event = commitment.events.get()
    assert (event.kind, event.price, event.planned_end_on) == ("change", Decimal(12600), None)
    services.post_due_entries(account, dt.date(2027, 12, 15))
    by_month = paid(account)
    # 80% of £12,600 less the three months paid, over the nine months December to August.
    before, after = list(by_month)[:3], list(by_month)[3:]
    assert {by_month[month] for month in before} == {Decimal("933.33333")}
    assert after == ["2026-12", *(f"2027-{n:02}" for n in range(1, 9))]
    assert sum(by_month[month] for month in after) == Decimal(10080) - 3 * Decimal("933.33333")
    assert {round(by_month[month], 2) for month in after} == {Decimal("808.89")}
    assert queries.schedule_of(commitment).total == Decimal(12600)
    assert_summaries_match_a_rebuild(account)


def test_a_new_price_below_what_is_paid_is_refused_naming_the_price():
    found = enrolment()
    payments.start(found, actor=None)
    with pytest.raises(ValidationError) as refused:
        payments.change_terms(found, actor=None, on=dt.date(2027, 6, 3), price=Decimal(3000))
    assert list(refused.value.message_dict) == ["price"]
    assert not found.levy_commitment.events.exists()


def test_a_new_price_after_a_move_pays_the_price_across_both_commitments_not_twice():
    found = enrolment()
    old = payments.start(found, actor=None)
    _moved(found, EnrolmentFactory().employer)
    new = payments.move(found, actor=None, on=dt.date(2027, 1, 1))
    found.refresh_from_db()
    old_paid = queries.schedule_of(old).total
    assert found.levy_paid_before == old_paid
    assert new.funding_band == Decimal(14000) - old_paid

    payments.change_terms(found, actor=None, on=dt.date(2027, 3, 2), price=Decimal(13000))
    assert old_paid + queries.schedule_of(new).total == Decimal(13000)
    # Above the band, the whole is capped at the band, as before the move.
    payments.change_terms(found, actor=None, on=dt.date(2027, 4, 2), price=Decimal(16000))
    assert old_paid + queries.schedule_of(new).total == Decimal(14000)
    with pytest.raises(ValidationError) as refused:
        payments.change_terms(found, actor=None, on=dt.date(2027, 5, 2), price=old_paid)
    assert list(refused.value.message_dict) == ["price"]


def test_a_change_of_terms_before_the_start_takes_effect_from_the_start():
    found = enrolment()
    commitment = payments.start(found, actor=None)
    payments.change_terms(found, actor=None, on=START - dt.timedelta(days=20), price=Decimal(12000))
    assert commitment.events.get().on == START
    assert queries.schedule_of(commitment).total == Decimal(12000)


def test_a_move_with_no_month_of_training_left_leaves_the_old_commitment_paying():
    found = enrolment()
    old = payments.start(found, actor=None)
    _moved(found, EnrolmentFactory().employer)

    assert payments.move(found, actor=None, on=END) is None

    old.refresh_from_db()
    found.refresh_from_db()
    assert old.status == CommitmentStatus.ACTIVE and found.levy_commitment == old


def test_a_status_change_dated_before_a_recorded_change_is_refused_on_its_date():
    found = enrolment()
    payments.start(found, actor=None)
    payments.change_terms(found, actor=None, on=dt.date(2027, 3, 10), price=Decimal(13000))
    with pytest.raises(ValidationError) as refused:
        payments.complete(found, actor=None, on=dt.date(2027, 3, 5))
    assert list(refused.value.message_dict) == ["effective_on"]


def test_a_higher_price_on_a_transfer_claims_the_difference_from_the_senders_allowance(world):
    sender = LevyAccountFactory(organisation=world.partner)
    fund(sender, amount="27000", month=last_year())  # half: £13,500 of allowance
    found = enrolment(route=FundingRoute.TRANSFER, price="12000", transfer_from=sender)
    commitment = payments.start(found, actor=None)
    year = AllowanceYear.objects.get(account=sender)
    assert year.committed == Decimal(12000)

    payments.change_terms(found, actor=None, on=dt.date(2026, 11, 2), price=Decimal(13000))
    year.refresh_from_db()
    assert year.committed == Decimal(13000)

    with pytest.raises(ValidationError) as refused:
        payments.change_terms(found, actor=None, on=dt.date(2026, 12, 2), price=Decimal(14000))
    assert list(refused.value.message_dict) == ["price"]
    year.refresh_from_db()
    assert year.committed == Decimal(13000)
    assert commitment.events.count() == 1
    # A lower price releases nothing, as a withdrawal releases nothing.
    payments.change_terms(found, actor=None, on=dt.date(2027, 1, 4), price=Decimal(12500))
    year.refresh_from_db()
    assert year.committed == Decimal(13000)
