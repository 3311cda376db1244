"""Pledge rules (levy/pledge_rules.py): amount checks, matching, first-year cost, closing and the
automation due on a date, each on its boundary days."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.levy.pledge_rules import (
    DEFAULT_PLEDGE_RULES,
    Applicant,
    ApplicationRecord,
    ApplicationStatus,
    ApprovalMode,
    AutomaticApproval,
    Criteria,
    DueOnDate,
    PledgeBalance,
    PledgeRecord,
    add_months,
    automatic_approval_due,
    debit_pledge,
    decline_due,
    due_on,
    expiry_due,
    first_year_cost,
    match_percentage,
    pledge_amount_problems,
    rejection_due,
)

RULES = DEFAULT_PLEDGE_RULES[0]
PENDING = ApplicationStatus.PENDING
APPROVED = ApplicationStatus.APPROVED
ACCEPTED = ApplicationStatus.ACCEPTED


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def application(
    application_id: str = "a1",
    *,
    status: ApplicationStatus = PENDING,
    applied_on: str = "2027-01-01",
    since: str | None = None,
    match: int = 100,
    cost: int = 3000,
    pledge: str = "p1",
) -> ApplicationRecord:
    return ApplicationRecord(
        id=application_id,
        pledge=pledge,
        status=status,
        applied_on=d(applied_on),
        since=d(since or applied_on),
        match=match,
        cost=Decimal(cost),
    )


def pledge(
    mode: ApprovalMode = ApprovalMode.AUTOMATIC_AFTER_DELAY,
    remaining: int = 20000,
    *,
    closed: bool = False,
) -> PledgeRecord:
    return PledgeRecord(id="p1", remaining=Decimal(remaining), approval_mode=mode, closed=closed)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-12-15", 3, "2027-03-15"),
        ("2026-11-30", 3, "2027-02-28"),
        ("2027-11-30", 3, "2028-02-29"),
        ("2027-01-31", 3, "2027-04-30"),
        ("2027-10-31", 3, "2028-01-31"),
    ],
)
def test_calendar_months_keep_the_day_number_clamped_to_the_month_end(day, months, expected):
    assert add_months(d(day), months) == d(expected)


def test_a_pledge_of_exactly_2000_within_the_allowance_is_fine():
    assert pledge_amount_problems(Decimal(2000), Decimal(2000), RULES) == ()


def test_a_pledge_a_penny_under_2000_is_refused():
    assert pledge_amount_problems(Decimal("1999.99"), Decimal(50000), RULES) == (
        "The pledge amount must be at least £2,000.",
    )


def test_a_pledge_above_the_remaining_allowance_is_refused_naming_the_allowance():
    assert pledge_amount_problems(Decimal("12000.01"), Decimal(12000), RULES) == (
        "The pledge amount must be no more than the remaining transfer allowance of £12,000.00.",
    )


def test_a_small_pledge_over_a_smaller_allowance_gives_both_reasons():
    assert len(pledge_amount_problems(Decimal(1500), Decimal(1000), RULES)) == 2


APPLICANT = Applicant(sector="health", level=3, job_role="nursing associate", location="Leeds")
ALL_MET = Criteria(
    sectors=frozenset({"health", "voluntary sector"}),
    levels=frozenset({3, 5}),
    job_roles=frozenset({"nursing associate"}),
    locations=frozenset({"Leeds", "Bradford"}),
)


def test_meeting_every_criterion_scores_100():
    assert match_percentage(ALL_MET, APPLICANT, RULES) == 100


def test_each_criterion_missed_takes_25_off():
    assert (
        match_percentage(replace(ALL_MET, sectors=frozenset({"housing"})), APPLICANT, RULES) == 75
    )
    two_missed = replace(ALL_MET, levels=frozenset({6}), locations=frozenset({"York"}))
    assert match_percentage(two_missed, APPLICANT, RULES) == 50
    nothing_met = Criteria(
        sectors=frozenset({"housing"}),
        levels=frozenset({7}),
        job_roles=frozenset({"plumber"}),
        locations=frozenset({"York"}),
    )
    assert match_percentage(nothing_met, APPLICANT, RULES) == 0


def test_a_pledge_with_no_criterion_on_a_dimension_counts_it_as_met():
    assert match_percentage(Criteria(), APPLICANT, RULES) == 100
    only_location_unset = Criteria(
        sectors=frozenset({"housing"}), levels=frozenset({7}), job_roles=frozenset({"plumber"})
    )
    assert match_percentage(only_location_unset, APPLICANT, RULES) == 25


def test_twelve_months_or_less_costs_the_full_band_for_each_apprentice():
    assert first_year_cost(
        funding_band=Decimal(9000), apprentices=2, duration_months=12, rules=RULES
    ) == Decimal(18000)


def test_longer_costs_a_year_of_on_programme_payments_rounded_to_the_pound():
    # 9000 x 1 x 0.8 / 13 x 12 = 6646.153... -> 6646
    assert first_year_cost(
        funding_band=Decimal(9000), apprentices=1, duration_months=13, rules=RULES
    ) == Decimal(6646)
    # 27000 x 3 x 0.8 / 24 x 12 = 32400 exactly
    assert first_year_cost(
        funding_band=Decimal(27000), apprentices=3, duration_months=24, rules=RULES
    ) == Decimal(32400)
    # 15000 x 0.8 / 18 x 12 = 7999.999... when divided first; exactly 8000
    assert first_year_cost(
        funding_band=Decimal(15000), apprentices=1, duration_months=18, rules=RULES
    ) == Decimal(8000)


def test_a_half_pound_rounds_up():
    # 1005 x 1 x 0.8 / 32 x 12 = 301.5 -> 302
    assert first_year_cost(
        funding_band=Decimal(1005), apprentices=1, duration_months=32, rules=RULES
    ) == Decimal(302)


def test_no_apprentices_or_no_duration_is_refused():
    with pytest.raises(ValueError, match="apprentices must be at least 1"):
        first_year_cost(funding_band=Decimal(9000), apprentices=0, duration_months=12, rules=RULES)
    with pytest.raises(ValueError, match="duration must be at least 1 month"):
        first_year_cost(funding_band=Decimal(9000), apprentices=1, duration_months=0, rules=RULES)


@pytest.mark.parametrize(
    ("remaining", "cost", "left", "closed"),
    [
        ("5000", "3500", "1500", True),
        ("5000", "3001", "1999", True),
        ("5000", "3000", "2000", False),
        ("5000", "5000", "0", False),
        ("5000", "4999.99", "0.01", True),
    ],
)
def test_a_debit_leaving_more_than_nothing_and_less_than_2000_closes_the_pledge(
    remaining, cost, left, closed
):
    assert debit_pledge(Decimal(remaining), Decimal(cost), RULES) == PledgeBalance(
        Decimal(left), closed
    )


def test_a_debit_above_what_remains_is_refused():
    with pytest.raises(ValueError, match="more than the pledge's remaining"):
        debit_pledge(Decimal(1000), Decimal(1001), RULES)


def test_a_pending_application_is_rejected_on_the_day_three_calendar_months_after_applying():
    pending = application(applied_on="2027-01-10")
    assert not rejection_due(pending, d("2027-04-09"), RULES)
    assert rejection_due(pending, d("2027-04-10"), RULES)


def test_rejection_of_an_application_made_on_30_november_is_due_on_28_february():
    pending = application(applied_on="2026-11-30")
    assert not rejection_due(pending, d("2027-02-27"), RULES)
    assert rejection_due(pending, d("2027-02-28"), RULES)


def test_an_approval_not_accepted_is_declined_on_the_42nd_day():
    approved = application(status=APPROVED, applied_on="2026-12-01", since="2027-01-01")
    assert not decline_due(approved, d("2027-02-11"), RULES)
    assert decline_due(approved, d("2027-02-12"), RULES)


def test_accepted_funds_unused_expire_three_calendar_months_after_acceptance():
    accepted = application(status=ACCEPTED, applied_on="2026-12-01", since="2027-01-31")
    assert not expiry_due(accepted, d("2027-04-29"), RULES)
    assert expiry_due(accepted, d("2027-04-30"), RULES)


def test_each_time_rule_applies_only_to_its_own_status():
    day = d("2030-01-01")
    assert not rejection_due(application(status=APPROVED), day, RULES)
    assert not decline_due(application(status=ACCEPTED), day, RULES)
    assert not expiry_due(application(status=ApplicationStatus.FUNDS_USED), day, RULES)


def test_a_full_match_on_a_delayed_pledge_is_approved_on_the_42nd_day():
    pending = application(applied_on="2027-01-01")
    assert not automatic_approval_due(pending, pledge(), d("2027-02-11"), RULES)
    assert automatic_approval_due(pending, pledge(), d("2027-02-12"), RULES)


def test_a_full_match_on_an_at_once_pledge_is_approved_the_day_it_is_made():
    pending = application(applied_on="2027-01-01")
    assert automatic_approval_due(
        pending, pledge(ApprovalMode.AUTOMATIC_AT_ONCE), d("2027-01-01"), RULES
    )


def test_a_partial_match_or_a_manual_or_closed_pledge_is_never_approved_automatically():
    day = d("2027-03-01")
    assert not automatic_approval_due(application(match=75), pledge(), day, RULES)
    assert not automatic_approval_due(application(), pledge(ApprovalMode.MANUAL), day, RULES)
    assert not automatic_approval_due(application(), pledge(closed=True), day, RULES)


def test_an_application_due_for_rejection_is_rejected_not_approved():
    pending = application(applied_on="2027-01-01")
    due = due_on(d("2027-04-01"), [pledge()], [pending], RULES)
    assert due == DueOnDate(rejections=("a1",), declines=(), expiries=(), approvals=())


def test_approvals_go_oldest_first_and_stop_at_the_first_the_pledge_cannot_afford():
    applications = [
        application("young-cheap", applied_on="2027-01-03", cost=1000),
        application("oldest", applied_on="2027-01-01", cost=6000),
        application("middle", applied_on="2027-01-02", cost=5000),
    ]
    due = due_on(d("2027-03-01"), [pledge(remaining=10000)], applications, RULES)
    assert due.approvals == (
        AutomaticApproval("oldest", "p1", Decimal(6000), Decimal(4000), False),
    )


def test_applications_made_the_same_day_go_in_id_order():
    applications = [
        application("b", applied_on="2027-01-01", cost=2000),
        application("a", applied_on="2027-01-01", cost=2000),
    ]
    due = due_on(d("2027-03-01"), [pledge(remaining=10000)], applications, RULES)
    assert [approval.application for approval in due.approvals] == ["a", "b"]


def test_an_approval_that_closes_the_pledge_is_the_last_one():
    applications = [
        application("first", applied_on="2027-01-01", cost=3500),
        application("second", applied_on="2027-01-02", cost=1000),
    ]
    due = due_on(d("2027-03-01"), [pledge(remaining=5000)], applications, RULES)
    assert due.approvals == (AutomaticApproval("first", "p1", Decimal(3500), Decimal(1500), True),)


def test_automation_on_one_date_lists_every_kind_of_action():
    applications = [
        application("stale", applied_on="2026-10-01", match=75),
        application("unanswered", status=APPROVED, applied_on="2026-11-01", since="2026-11-19"),
        application("unused", status=ACCEPTED, applied_on="2026-09-01", since="2026-09-30"),
        application("ready", applied_on="2026-11-19", cost=2500),
        application("too-soon", applied_on="2026-11-20", cost=2500),
        application("other-pledge", applied_on="2026-11-01", pledge="p2"),
    ]
    pledges = [pledge(), replace(pledge(ApprovalMode.MANUAL), id="p2")]
    assert due_on(d("2026-12-31"), pledges, applications, RULES) == DueOnDate(
        rejections=(),
        declines=("unanswered",),
        expiries=("unused",),
        approvals=(AutomaticApproval("ready", "p1", Decimal(2500), Decimal(17500), False),),
    )
    assert due_on(d("2027-01-01"), pledges, applications, RULES).rejections == ("stale",)


def test_figures_loaded_as_data_change_the_rules_without_code():
    slower = replace(RULES, automatic_approval_after_days=60, pending_rejected_after_months=4)
    pending = application(applied_on="2027-01-01")
    assert not automatic_approval_due(pending, pledge(), d("2027-03-01"), slower)
    assert automatic_approval_due(pending, pledge(), d("2027-03-02"), slower)
    assert not rejection_due(pending, d("2027-04-30"), slower)


@given(
    st.lists(st.integers(1, 20000), max_size=12),
    st.integers(0, 60000),
    st.sampled_from(list(ApprovalMode)),
)
def test_automatic_approvals_never_overdraw_a_pledge_and_chain_its_remaining_amount(
    costs, remaining, mode
):
    applications = [
        application(f"a{n:02}", applied_on="2027-01-01", cost=cost) for n, cost in enumerate(costs)
    ]
    due = due_on(d("2027-03-01"), [pledge(mode, remaining)], applications, RULES)
    left = Decimal(remaining)
    for approval in due.approvals:
        left -= approval.cost
        assert approval.remaining == left >= 0
    assert all(not approval.closes_pledge for approval in due.approvals[:-1])
    if mode is ApprovalMode.MANUAL:
        assert due.approvals == ()
