"""Funds in from declarations: the pure core (`levy/funds_in.py`), no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.levy.funds_in import (
    Declaration,
    TopUpRate,
    cut_off,
    funds_in,
    funds_in_entries,
    is_on_time,
    monthly_funds_in,
)
from joinedup.lib.contract_input import format_amount

D = Decimal


def decl(
    month: int,
    ytd: str | None,
    submitted: str,
    *,
    id: str | None = None,
    scheme: str = "123/AB",
    year: str = "17-18",
) -> Declaration:
    return Declaration(
        id=id or f"{scheme}-{year}-{month}-{submitted}-{ytd}",
        scheme=scheme,
        payroll_year=year,
        payroll_month=month,
        levy_due_ytd=None if ytd is None else D(ytd),
        submitted=dt.date.fromisoformat(submitted),
    )


def on_15th(month: int, year: str = "17-18") -> str:
    """The 15th of the calendar month in which the tax month ends (before its cut-off)."""
    return cut_off(year, month).replace(day=15).isoformat()


def rows(declarations: list[Declaration]) -> list[tuple[str, ...]]:
    """The result as (month, levy, top_up, total, balance), amounts as the contract prints them."""
    return [
        (row.month, *map(format_amount, (row.levy, row.top_up, row.total, row.balance)))
        for row in funds_in(declarations)
    ]


def test_cut_off_is_the_20th_of_the_month_in_which_the_tax_month_ends():
    assert cut_off("17-18", 1) == dt.date(2017, 5, 20)
    assert cut_off("17-18", 8) == dt.date(2017, 12, 20)
    assert cut_off("17-18", 9) == dt.date(2018, 1, 20)
    assert cut_off("17-18", 12) == dt.date(2018, 4, 20)
    assert cut_off("99-00", 12) == dt.date(2100, 4, 20)


def test_the_contracts_first_example_lands_11000_in_may_2017():
    assert rows([decl(1, "10000", "2017-05-15")]) == [
        ("2017-05", "10000", "1000", "11000", "11000")
    ]


def test_twelve_months_of_10000_each_give_132000_after_month_12():
    declarations = [decl(m, str(10000 * m), on_15th(m)) for m in range(1, 13)]
    result = funds_in(declarations)
    assert [row.month for row in result] == [
        "2017-05",
        "2017-06",
        "2017-07",
        "2017-08",
        "2017-09",
        "2017-10",
        "2017-11",
        "2017-12",
        "2018-01",
        "2018-02",
        "2018-03",
        "2018-04",
    ]
    assert all((row.levy, row.top_up, row.total) == (10000, 1000, 11000) for row in result)
    assert [row.balance for row in result] == [11000 * m for m in range(1, 13)]
    assert result[-1].balance == 132000


def test_a_falling_year_to_date_figure_gives_negative_levy_and_top_up():
    declarations = [
        decl(1, "10000", "2017-05-15"),
        decl(2, "20000", "2017-06-15"),
        decl(3, "18750", "2017-07-15"),
    ]
    result = funds_in(declarations)
    assert (result[2].levy, result[2].top_up, result[2].total, result[2].balance) == (
        -1250,
        -125,
        -1375,
        20625,
    )


def test_of_three_submissions_before_the_cut_off_the_latest_is_used():
    declarations = [
        decl(1, "10000", "2017-05-15"),
        decl(2, "20000", "2017-06-15"),
        decl(3, "35000", "2017-07-15"),
        decl(3, "25000", "2017-07-16"),
        decl(3, "30000", "2017-07-17"),
    ]
    last = funds_in(declarations)[-1]
    assert (last.month, last.total, last.balance) == ("2017-07", 11000, 33000)


def test_the_latest_submission_wins_whatever_the_listed_order():
    declarations = [
        decl(3, "30000", "2017-07-17"),
        decl(3, "35000", "2017-07-15"),
        decl(1, "10000", "2017-05-15"),
        decl(3, "25000", "2017-07-16"),
        decl(2, "20000", "2017-06-15"),
    ]
    assert funds_in(declarations)[-1].levy == 10000


def test_an_english_fraction_of_095_gives_9500_levy_and_950_top_up():
    result = funds_in([decl(1, "10000", "2017-05-15")], english_fraction=D("0.95"))
    assert (result[0].levy, result[0].top_up, result[0].total) == (9500, 950, 10450)


def test_the_english_fraction_applies_to_each_months_difference():
    declarations = [decl(1, "10000", "2017-05-15"), decl(2, "30000", "2017-06-15")]
    result = funds_in(declarations, english_fraction=D("0.5"))
    assert [row.levy for row in result] == [5000, 10000]
    assert result[-1].balance == 16500


def test_submitted_on_the_19th_is_on_time():
    assert rows([decl(1, "10000", "2017-05-19")])[0][0] == "2017-05"


def test_submitted_on_the_20th_is_late_and_lands_nothing():
    assert funds_in([decl(1, "10000", "2017-05-20")]) == []


def test_a_late_submission_does_not_replace_the_on_time_one():
    declarations = [decl(1, "10000", "2017-05-19"), decl(1, "50000", "2017-05-20")]
    assert rows(declarations) == [("2017-05", "10000", "1000", "11000", "11000")]


def test_an_early_submission_counts_for_its_own_month():
    result = funds_in([decl(3, "30000", "2017-05-01")])
    assert [(row.month, row.levy) for row in result] == [("2017-07", 30000)]


def test_month_9_ends_in_january_and_lands_there():
    declarations = [decl(8, "80000", "2017-12-19"), decl(9, "90000", "2018-01-19")]
    assert [(row.month, row.levy) for row in funds_in(declarations)] == [
        ("2017-12", 80000),
        ("2018-01", 10000),
    ]


def test_between_same_day_submissions_the_one_listed_later_wins():
    first = decl(2, "25000", "2017-06-10", id="a")
    second = decl(2, "20000", "2017-06-10", id="b")
    start = decl(1, "10000", "2017-05-15")
    assert funds_in([start, first, second])[-1].levy == 10000
    assert funds_in([start, second, first])[-1].levy == 15000


def test_a_later_day_beats_a_later_listing():
    start = decl(1, "10000", "2017-05-15")
    later_day = decl(2, "25000", "2017-06-11")
    listed_last = decl(2, "20000", "2017-06-10")
    assert funds_in([start, later_day, listed_last])[-1].levy == 15000


def test_a_null_figure_adds_nothing_but_its_month_has_a_row():
    declarations = [
        decl(1, "10000", "2017-05-15"),
        decl(2, None, "2017-06-15"),
        decl(3, "30000", "2017-07-15"),
    ]
    assert [(row.month, row.levy, row.top_up, row.balance) for row in funds_in(declarations)] == [
        ("2017-05", 10000, 1000, 11000),
        ("2017-06", 0, 0, 11000),
        ("2017-07", 20000, 2000, 33000),
    ]


def test_a_null_winner_is_used_even_when_an_earlier_on_time_one_had_a_figure():
    declarations = [
        decl(1, "10000", "2017-05-15"),
        decl(2, "20000", "2017-06-10"),
        decl(2, None, "2017-06-12"),
        decl(3, "30000", "2017-07-15"),
    ]
    assert [row.levy for row in funds_in(declarations)] == [10000, 0, 20000]


def test_only_null_figures_give_rows_of_zero():
    declarations = [decl(1, None, "2017-05-15"), decl(2, None, "2017-06-15")]
    assert rows(declarations) == [
        ("2017-05", "0", "0", "0", "0"),
        ("2017-06", "0", "0", "0", "0"),
    ]


def test_a_late_month_is_ignored_and_the_next_on_time_figure_carries_the_correction():
    declarations = [
        decl(1, "10000", "2017-05-15"),
        decl(2, "20000", "2017-06-20"),
        decl(3, "30000", "2017-07-15"),
    ]
    assert [(row.month, row.levy) for row in funds_in(declarations)] == [
        ("2017-05", 10000),
        ("2017-07", 20000),
    ]


def test_a_month_without_any_declaration_is_skipped_when_looking_back():
    declarations = [decl(1, "10000", "2017-05-15"), decl(4, "40000", "2017-08-15")]
    assert [(row.month, row.levy) for row in funds_in(declarations)] == [
        ("2017-05", 10000),
        ("2017-08", 30000),
    ]


def test_each_tax_year_starts_again_from_zero():
    declarations = [decl(12, "120000", "2018-04-15"), decl(1, "10000", "2018-05-15", year="18-19")]
    assert [(row.month, row.levy) for row in funds_in(declarations)] == [
        ("2018-04", 120000),
        ("2018-05", 10000),
    ]


def test_two_schemes_of_one_employer_add_up():
    declarations = [
        decl(1, "10000", "2017-05-15", scheme="A"),
        decl(1, "5000", "2017-05-16", scheme="B"),
        decl(2, "20000", "2017-06-15", scheme="A"),
        decl(2, "4000", "2017-06-15", scheme="B"),
    ]
    assert rows(declarations) == [
        ("2017-05", "15000", "1500", "16500", "16500"),
        ("2017-06", "9000", "900", "9900", "26400"),
    ]


def test_a_scheme_looks_back_only_at_its_own_figures():
    declarations = [
        decl(1, "10000", "2017-05-15", scheme="A"),
        decl(2, "3000", "2017-06-15", scheme="B"),
    ]
    assert [row.levy for row in funds_in(declarations)] == [10000, 3000]


def test_the_top_up_stops_for_cut_offs_from_august_2026():
    declarations = [
        decl(3, "30000", "2026-07-15", year="26-27"),
        decl(4, "40000", "2026-08-15", year="26-27"),
    ]
    assert [(row.month, row.levy, row.top_up) for row in funds_in(declarations)] == [
        ("2026-07", 30000, 3000),
        ("2026-08", 10000, 0),
    ]


def test_a_rate_starting_on_the_cut_off_date_is_not_yet_in_force():
    rates = [TopUpRate(dt.date(2015, 1, 1), D("0.1")), TopUpRate(dt.date(2017, 5, 20), D("0.2"))]
    assert funds_in([decl(1, "10000", "2017-05-15")], top_up_rates=rates)[0].top_up == 1000
    rates[1] = TopUpRate(dt.date(2017, 5, 19), D("0.2"))
    assert funds_in([decl(1, "10000", "2017-05-15")], top_up_rates=rates)[0].top_up == 2000


def test_rates_may_come_in_any_order_and_no_rate_in_force_means_no_top_up():
    rates = [TopUpRate(dt.date(2017, 6, 1), D("0.2")), TopUpRate(dt.date(2017, 1, 1), D("0.1"))]
    declarations = [decl(1, "10000", "2017-05-15"), decl(2, "20000", "2017-06-15")]
    assert [row.top_up for row in funds_in(declarations, top_up_rates=rates)] == [1000, 2000]
    assert [row.top_up for row in funds_in(declarations, top_up_rates=[])] == [0, 0]


def full_year(year: str = "17-18") -> list[Declaration]:
    return [decl(m, str(10000 * m), on_15th(m, year), year=year) for m in range(1, 13)]


def test_an_adjustment_on_22_april_lands_in_april():
    result = funds_in([*full_year(), decl(12, "125000", "2018-04-22")])
    assert (result[-1].month, result[-1].levy, result[-1].top_up) == ("2018-04", 15000, 1500)
    assert result[-1].balance == 137500


def test_month_12_submitted_on_the_20th_or_21st_of_april_is_simply_late():
    for day in ("2018-04-20", "2018-04-21"):
        result = funds_in([*full_year(), decl(12, "125000", day)])
        assert (result[-1].month, result[-1].levy, result[-1].balance) == (
            "2018-04",
            10000,
            132000,
        )


def test_month_12_submitted_on_the_20th_of_april_alone_lands_nothing():
    assert funds_in([decl(12, "120000", "2018-04-20"), decl(12, "1", "2018-04-21")]) == []


def test_an_adjustment_submitted_up_to_the_23rd_lands_that_month_and_after_it_the_next():
    on_23rd = funds_in([*full_year(), decl(12, "125000", "2018-05-23")])[-1]
    on_24th = funds_in([*full_year(), decl(12, "125000", "2018-05-24")])[-1]
    assert (on_23rd.month, on_23rd.total) == ("2018-05", 5500)
    assert (on_24th.month, on_24th.total) == ("2018-06", 5500)


def test_an_adjustment_late_in_december_lands_in_january():
    result = funds_in([*full_year(), decl(12, "110000", "2018-12-28")])
    assert (result[-1].month, result[-1].levy, result[-1].top_up) == ("2019-01", -10000, -1000)


def test_a_second_adjustment_is_measured_against_the_first():
    declarations = [
        *full_year(),
        decl(12, "123000", "2018-06-30", id="second"),
        decl(12, "125000", "2018-05-01", id="first"),
    ]
    assert [(row.month, row.levy, row.top_up) for row in funds_in(declarations)[-2:]] == [
        ("2018-05", 5000, 500),
        ("2018-07", -2000, -200),
    ]
    assert funds_in(declarations)[-1].balance == 132000 + 5500 - 2200


def test_same_day_adjustments_both_count_in_listed_order():
    declarations = [
        *full_year(),
        decl(12, "130000", "2018-05-01", id="first"),
        decl(12, "125000", "2018-05-01", id="second"),
    ]
    entries = funds_in_entries(declarations)
    assert [(entry.declaration, entry.levy) for entry in entries if entry.adjustment] == [
        ("first", 10000),
        ("second", -5000),
    ]
    assert funds_in(declarations)[-1].levy == 5000


def test_an_adjustment_is_measured_against_the_latest_figure_used_skipping_nulls():
    declarations = [
        decl(10, "100000", "2018-02-15"),
        decl(11, None, "2018-03-15"),
        decl(12, None, "2018-04-15"),
        decl(12, "104000", "2018-05-01"),
    ]
    assert [(row.month, row.levy) for row in funds_in(declarations)] == [
        ("2018-02", 100000),
        ("2018-03", 0),
        ("2018-04", 0),
        ("2018-05", 4000),
    ]


def test_a_null_adjustment_adds_nothing_and_the_next_one_looks_past_it():
    declarations = [
        *full_year(),
        decl(12, None, "2018-05-01", id="nothing"),
        decl(12, "121000", "2018-06-01", id="next"),
    ]
    assert [(row.month, row.levy) for row in funds_in(declarations)[-2:]] == [
        ("2018-05", 0),
        ("2018-06", 1000),
    ]


def test_an_adjustment_without_any_figure_used_counts_in_full():
    result = funds_in([decl(12, "50000", "2018-07-01")], english_fraction=D("0.9"))
    assert [(row.month, row.levy, row.top_up) for row in result] == [("2018-07", 45000, 4500)]


def test_a_late_payroll_month_before_12_is_never_an_adjustment():
    assert funds_in([decl(11, "110000", "2018-05-01")]) == []


def test_an_adjustment_takes_the_top_up_of_its_years_month_12_cut_off():
    year_25_26 = decl(12, "10000", "2026-09-01", year="25-26")
    year_26_27 = decl(12, "10000", "2027-04-22", year="26-27")
    assert [(row.month, row.top_up) for row in funds_in([year_25_26, year_26_27])] == [
        ("2026-09", 1000),
        ("2027-04", 0),
    ]


def test_months_come_out_in_order_however_the_declarations_are_listed():
    declarations = [
        decl(1, "10000", "2018-05-15", year="18-19"),
        decl(12, "5000", "2018-04-10"),
        decl(11, "4000", "2018-03-10"),
    ]
    assert [row.month for row in funds_in(declarations)] == ["2018-03", "2018-04", "2018-05"]


def test_amounts_stay_exact_to_any_number_of_places():
    declarations = [
        decl(1, "0.000000000000000000000000000001", "2017-05-15"),
        decl(2, "123456789012345678901234567890.123456789", "2017-06-15"),
    ]
    result = funds_in(declarations, english_fraction=D("0.987654321"))
    assert format_amount(result[0].total) == "0." + "0" * 29 + "10864197531"
    assert result[-1].balance == D("134125894237311385323731138532.3731138532238987959")


def test_no_declarations_give_no_rows():
    assert funds_in([]) == []


@pytest.mark.parametrize(
    ("year", "month"), [("17-19", 1), ("2017-18", 1), ("17-18", 0), ("17-18", 13)]
)
def test_a_declaration_refuses_a_bad_year_or_month(year, month):
    with pytest.raises(ValueError):
        decl(month, "1", "2017-05-15", year=year)


SUBMITTED = st.builds(
    lambda year, month, shift: cut_off(year, month) + dt.timedelta(days=shift),
    st.sampled_from(["17-18", "25-26", "26-27"]),
    st.integers(1, 12),
    st.integers(-40, 400),
)
DECLARATIONS = st.lists(
    st.builds(
        Declaration,
        id=st.just("x"),
        scheme=st.sampled_from(["A", "B"]),
        payroll_year=st.sampled_from(["17-18", "25-26", "26-27"]),
        payroll_month=st.integers(1, 12),
        levy_due_ytd=st.none() | st.decimals(-(10**6), 10**6, places=2),
        submitted=SUBMITTED,
    ),
    max_size=30,
)


@given(DECLARATIONS, st.decimals(0, 1, places=3))
def test_the_balance_is_the_running_sum_of_totals_and_each_total_is_levy_plus_top_up(
    declarations, fraction
):
    result = funds_in(declarations, english_fraction=fraction)
    running = D(0)
    for row in result:
        assert row.total == row.levy + row.top_up
        running += row.total
        assert row.balance == running
    assert [row.month for row in result] == sorted({row.month for row in result})
    entries = funds_in_entries(declarations, english_fraction=fraction)
    assert monthly_funds_in(entries) == result
    assert running == sum((entry.total for entry in entries), D(0))


@given(DECLARATIONS, st.decimals(0, 1, places=3))
def test_the_english_fraction_scales_every_months_levy(declarations, fraction):
    whole = funds_in(declarations)
    part = funds_in(declarations, english_fraction=fraction)
    assert [row.month for row in part] == [row.month for row in whole]
    assert [row.levy for row in part] == [row.levy * fraction for row in whole]


@given(DECLARATIONS)
def test_on_time_figures_of_one_year_add_up_to_the_last_one_used(declarations):
    """Without nulls or adjustments the monthly differences add up to the last figure used."""
    year = [
        d
        for d in declarations
        if d.scheme == "A"
        and d.payroll_year == "17-18"
        and d.levy_due_ytd is not None
        and is_on_time(d)
    ]
    levy = sum((entry.levy for entry in funds_in_entries(year)), D(0))
    ordered = sorted(year, key=lambda d: (d.payroll_month, d.submitted))  # stable: listed order
    assert levy == (ordered[-1].levy_due_ytd if ordered else 0)
