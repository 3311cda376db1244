"""The common input rules of the command-line contracts (lib/contract_input.py). No database."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.lib.contract_input import (
    ContractInputError,
    Instant,
    expect_amount,
    expect_date,
    expect_month,
    expect_tax_year,
    expect_timestamp,
    format_amount,
    input_path,
    load_json,
    run_json_contract,
)

offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(
    lambda m: dt.timezone(dt.timedelta(minutes=m))
)
moments = st.datetimes(
    min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=offsets
)


@given(moments)
def test_a_timestamp_read_from_text_is_the_instant_of_the_same_datetime(moment):
    assert expect_timestamp(moment.isoformat(), "t") == Instant.of(moment)


@given(moments, moments)
def test_instants_order_like_the_moments_they_stand_for(first, second):
    assert (Instant.of(first) < Instant.of(second)) == (first < second)
    assert (Instant.of(first) == Instant.of(second)) == (first == second)


def test_lower_case_t_and_z_and_minus_zero_offset_are_rfc_3339():
    assert expect_timestamp("2026-11-01t09:00:00z", "t") == expect_timestamp(
        "2026-11-01T09:00:00-00:00", "t"
    )


def test_trailing_zeros_of_a_fraction_do_not_change_the_instant():
    assert expect_timestamp("2026-11-01T09:00:00.500Z", "t") == expect_timestamp(
        "2026-11-01T09:00:00.5Z", "t"
    )


@pytest.mark.parametrize(
    "text", ["2026-11-01T23:59:60Z", "0000-01-01T00:00:00Z", "2026-11-01T09:00:00+00:60"]
)
def test_timestamps_that_name_no_real_moment_are_refused(text):
    with pytest.raises(ContractInputError, match="not a real date and time"):
        expect_timestamp(text, "t")


def test_naive_datetimes_have_no_instant():
    with pytest.raises(ValueError, match="naive"):
        Instant.of(dt.datetime(2026, 11, 1))


def test_numbers_with_a_point_are_read_exactly():
    assert load_json('{"a": 0.1000000000000000055511151231257827}') == {
        "a": Decimal("0.1000000000000000055511151231257827")
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12121.03445", "12121.03445"),
        ("-5", "-5"),
        ("+.5", "0.5"),
        (7, "7"),
        (Decimal("1E+3"), "1000"),
    ],
)
def test_amounts_are_decimal_strings_or_numbers(value, expected):
    assert format_amount(expect_amount(value, "a")) == expected


@pytest.mark.parametrize("value", [Decimal("1E+1001"), Decimal("-1E+5000"), Decimal("1E-1001")])
def test_amounts_too_long_to_write_out_are_refused(value):
    with pytest.raises(ContractInputError, match="^a: the amount is too large or too small"):
        expect_amount(value, "a")


def test_amounts_up_to_the_limit_are_exact():
    assert format_amount(expect_amount(Decimal("1E+1000"), "a")) == "1" + "0" * 1000
    assert expect_amount(Decimal(0), "a") == 0


@pytest.mark.parametrize(
    "value", ["1e3", " 1", "1_000", "NaN", "Infinity", "", "1,000", True, None, [1]]
)
def test_other_amounts_are_refused(value):
    with pytest.raises(ContractInputError, match="^a: "):
        expect_amount(value, "a")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("11000.00"), "11000"),
        (Decimal("-0.0"), "0"),
        (Decimal("1.50"), "1.5"),
        (Decimal(0), "0"),
    ],
)
def test_output_amounts_are_plain_without_trailing_zeros_or_minus_zero(value, expected):
    assert format_amount(value) == expected


def test_months_dates_and_tax_years_follow_their_shapes():
    assert expect_month("2026-04", "m") == "2026-04"
    assert expect_date("2026-04-30", "d") == dt.date(2026, 4, 30)
    assert expect_tax_year("99-00", "y") == "99-00"
    for call, value in [
        (expect_month, "2026-13"),
        (expect_month, "2026-4"),
        (expect_date, "20260430"),
        (expect_date, "2026-02-30"),
        (expect_tax_year, "25-27"),
        (expect_tax_year, "2025-26"),
    ]:
        with pytest.raises(ContractInputError):
            call(value, "f")


def test_input_path_accepts_both_spellings_of_the_option():
    assert input_path(["--input", "a.json"], "u") == "a.json"
    assert input_path(["--input=a.json"], "u") == "a.json"


def test_an_unexpected_error_inside_a_contract_is_still_one_line_and_status_two(tmp_path):
    path = tmp_path / "in.json"
    path.write_text("{}", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    def compute(value: object) -> dict[str, object]:
        raise RuntimeError("first\nsecond")

    status = run_json_contract(
        ["--input", str(path)],
        usage="joinedup x y --input FILE",
        compute=compute,
        stdout=out,
        stderr=err,
    )
    assert (status, out.getvalue()) == (2, "")
    assert err.getvalue() == "joinedup x y: internal error: RuntimeError('first\\nsecond')\n"
