"""The transfer allowance rule (`levy/allowance.py`), no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from joinedup.levy.allowance import (
    AllowanceShare,
    Transfer,
    allowance_year_start,
    previous_year_funds_in,
    previous_year_months,
    remaining,
    remaining_allowance,
    sent_this_year,
    share_on,
    transfer_allowance,
)
from joinedup.levy.funds_in import Declaration, cut_off, funds_in

D = Decimal


def a_year_of(amount: str, first_year: int) -> dict[str, Decimal]:
    """The same funds landing in every month April of `first_year` to March of the next."""
    return {month: D(amount) for month in previous_year_months(dt.date(first_year + 1, 4, 20))}


def test_the_allowance_year_starts_on_20_april():
    assert allowance_year_start(dt.date(2024, 4, 20)) == dt.date(2024, 4, 20)
    assert allowance_year_start(dt.date(2024, 4, 19)) == dt.date(2023, 4, 20)
    assert allowance_year_start(dt.date(2025, 1, 1)) == dt.date(2024, 4, 20)


def test_the_previous_year_is_the_calendar_months_april_to_march_before_it():
    assert previous_year_months(dt.date(2024, 4, 20)) == [
        "2023-04",
        "2023-05",
        "2023-06",
        "2023-07",
        "2023-08",
        "2023-09",
        "2023-10",
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-02",
        "2024-03",
    ]


def test_only_funds_landing_april_to_march_count_and_negative_months_count_too():
    funds = {
        "2023-03": D(999),
        "2023-04": D(100),
        "2023-09": D(-30),
        "2024-03": D(5),
        "2024-04": D(7),
    }
    assert previous_year_funds_in(funds, dt.date(2024, 4, 20)) == 75


def test_the_share_was_10_percent_in_2018_19():
    assert share_on(dt.date(2018, 4, 20)) == D("0.1")
    assert share_on(dt.date(2019, 4, 19)) == D("0.1")
    assert transfer_allowance(a_year_of("1000", 2017), dt.date(2018, 6, 1)) == 1200


def test_the_share_was_25_percent_from_april_2019():
    assert share_on(dt.date(2019, 4, 20)) == D("0.25")
    assert share_on(dt.date(2024, 4, 21)) == D("0.25")
    assert transfer_allowance(a_year_of("1000", 2018), dt.date(2019, 5, 1)) == 3000


def test_the_share_is_50_percent_from_22_april_2024():
    funds = a_year_of("1000", 2023)
    assert transfer_allowance(funds, dt.date(2024, 4, 21)) == 3000
    assert transfer_allowance(funds, dt.date(2024, 4, 22)) == 6000
    assert transfer_allowance(a_year_of("1000", 2025), dt.date(2026, 12, 1)) == 6000


def test_there_is_no_allowance_before_transfers_began():
    assert share_on(dt.date(2018, 4, 19)) == 0
    assert transfer_allowance(a_year_of("1000", 2016), dt.date(2018, 1, 1)) == 0


def test_the_allowance_uses_funds_in_with_english_fraction_and_top_up():
    declarations = [
        Declaration(
            id=f"d{m}",
            scheme="123/AB",
            payroll_year="23-24",
            payroll_month=m,
            levy_due_ytd=D(10000 * m),
            submitted=cut_off("23-24", m).replace(day=15),
        )
        for m in range(1, 13)
    ]
    landed = {row.month: row.total for row in funds_in(declarations, english_fraction=D("0.9"))}
    # Months 1-11 land May 2023 to March 2024; month 12 lands in April 2024, the new year.
    assert transfer_allowance(landed, dt.date(2024, 5, 1)) == D("0.5") * 11 * 9900


def test_a_negative_previous_year_gives_no_allowance():
    assert transfer_allowance(a_year_of("-10", 2023), dt.date(2024, 5, 1)) == 0


def test_shares_are_data():
    shares = [AllowanceShare(dt.date(2030, 4, 20), D("0.75"))]
    assert transfer_allowance(a_year_of("100", 2029), dt.date(2030, 4, 20), shares) == 900
    assert transfer_allowance(a_year_of("100", 2028), dt.date(2030, 4, 19), shares) == 0


def test_only_transfers_since_20_april_up_to_the_day_count_as_sent():
    transfers = [
        Transfer(dt.date(2024, 4, 19), D(500)),
        Transfer(dt.date(2024, 4, 20), D(100)),
        Transfer(dt.date(2024, 9, 1), D(200)),
        Transfer(dt.date(2024, 9, 2), D(400)),
    ]
    assert sent_this_year(transfers, dt.date(2024, 9, 1)) == 300
    assert sent_this_year(transfers, dt.date(2024, 4, 19)) == 500


def test_remaining_is_the_allowance_less_what_was_sent():
    assert remaining(D(6000), D(2500), balance=D(100000)) == 3500


def test_remaining_is_never_below_zero():
    assert remaining(D(6000), D(7000), balance=D(100000)) == 0
    assert remaining(D(6000), D(0), balance=D(-50)) == 0


def test_remaining_is_never_above_the_balance():
    assert remaining(D(6000), D(1000), balance=D("1234.56")) == D("1234.56")


def test_remaining_allowance_puts_the_rule_together():
    funds = a_year_of("1000", 2023)
    transfers = [Transfer(dt.date(2024, 3, 1), D(2000)), Transfer(dt.date(2024, 6, 1), D(2000))]
    on = dt.date(2024, 7, 1)
    assert remaining_allowance(funds_in=funds, transfers=transfers, balance=D(9000), on=on) == 4000
    assert remaining_allowance(funds_in=funds, transfers=transfers, balance=D(3000), on=on) == 3000


@given(
    st.decimals(-(10**6), 10**6, places=2),
    st.decimals(0, 10**6, places=2),
    st.decimals(-(10**6), 10**6, places=2),
)
def test_remaining_lies_between_zero_and_the_balance_and_never_exceeds_what_is_left(
    allowance, sent, balance
):
    left = remaining(allowance, sent, balance)
    assert left >= 0
    assert left <= max(balance, D(0))
    assert left <= max(allowance - sent, D(0))
