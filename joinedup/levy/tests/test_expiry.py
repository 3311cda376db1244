"""Levy expiry: the issue's worked examples, hand-worked cases, properties, and the contract."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.levy.expiry import Expiries, Month, PolicyChange, expiries
from joinedup.levy.expiry_contract import main

JOINEDUP = Path(sys.executable).with_name("joinedup")

IN = {"2018-10": "10", "2018-11": "9", "2018-12": "8", "2019-01": "5"}


def months(amounts: dict[str, str]) -> dict[Month, Decimal]:
    return {Month.parse(month): Decimal(amount) for month, amount in amounts.items()}


def plain(amounts: dict[Month, Decimal] | None) -> dict[str, str] | None:
    if amounts is None:
        return None
    return {str(month): str(amount) for month, amount in amounts.items()}


def calculate(
    funds_in: dict[str, str],
    funds_out: dict[str, str],
    n: int,
    recorded: dict[str, str] | None = None,
    change: tuple[str, int, dict[str, str]] | None = None,
    as_of: str | None = None,
) -> Expiries:
    policy = None
    if change is not None:
        policy = PolicyChange(Month.parse(change[0]), change[1], months(change[2]))
    return expiries(
        months(funds_in),
        months(funds_out),
        n,
        None if recorded is None else months(recorded),
        policy,
        None if as_of is None else Month.parse(as_of),
    )


def expired(*args: Any, **kwargs: Any) -> dict[str, str] | None:
    return plain(calculate(*args, **kwargs).long_term)


# The issue's worked examples: (expiry months, funds in, funds out, recorded, expected).
WORKED = [
    (
        2,
        IN,
        {"2018-10": "10"},
        {},
        {"2018-12": "0", "2019-01": "9", "2019-02": "8", "2019-03": "5"},
    ),
    (1, IN, {}, {}, {"2018-11": "10", "2018-12": "9", "2019-01": "8", "2019-02": "5"}),
    (
        3,
        IN,
        {"2018-10": "10", "2018-11": "-5"},
        {},
        {"2019-01": "5", "2019-02": "9", "2019-03": "8", "2019-04": "5"},
    ),
    (
        2,
        IN,
        {"2019-01": "12"},
        {},
        {"2018-12": "10", "2019-01": "0", "2019-02": "5", "2019-03": "5"},
    ),
    (
        6,
        {"2018-10": "10", "2018-11": "9", "2018-12": "-10", "2019-01": "5", "2019-02": "-5"},
        {},
        {},
        {"2019-04": "9", "2019-05": "0", "2019-06": "0", "2019-07": "0", "2019-08": "0"},
    ),
    (
        2,
        IN,
        {"2018-11": "12", "2019-01": "3"},
        {"2018-12": "9", "2019-01": "4"},
        {"2018-12": "9", "2019-01": "4", "2019-02": "0", "2019-03": "4"},
    ),
]


@pytest.mark.parametrize(("n", "funds_in", "funds_out", "recorded", "expected"), WORKED)
def test_the_issues_worked_examples_hold(n, funds_in, funds_out, recorded, expected):
    assert expired(funds_in, funds_out, n, recorded) == expected


def test_a_later_refund_comes_off_the_latest_earlier_spending_first():
    # The refund of 8 in April clears March's 6, then 2 of February's: 4 is left in February
    # for January's funds (expiring in February); oldest-first netting would leave 4 in March.
    result = expired(
        {"2019-01": "10", "2019-02": "10"},
        {"2019-02": "6", "2019-03": "6", "2019-04": "-8"},
        1,
    )
    assert result == {"2019-02": "6", "2019-03": "10"}


def test_a_refund_comes_only_off_spending_dated_on_or_before_it():
    result = expired({"2019-01": "10"}, {"2019-01": "5", "2019-02": "-3", "2019-03": "5"}, 1)
    assert result == {"2019-02": "8"}


def test_refunds_net_one_after_another_in_month_order_and_what_is_left_over_is_ignored():
    # March's refund of 7 takes February's 5 and 2 of January's; May's refund of 6 takes April's
    # 4 and 2 of January's 3, and its last 1 finds nothing: January keeps 1 of spending.
    funds_out = {
        "2019-01": "5",
        "2019-02": "5",
        "2019-03": "-7",
        "2019-04": "4",
        "2019-05": "-6",
    }
    assert expired({"2019-01": "10"}, funds_out, 6) == {"2019-07": "9"}


def test_a_refund_with_no_earlier_spending_is_ignored():
    assert expired({"2019-01": "10"}, {"2019-01": "-5", "2019-02": "3"}, 1) == {"2019-02": "7"}


def test_negative_funds_in_come_off_earlier_months_latest_first_across_several_months():
    result = expired({"2019-01": "10", "2019-02": "3", "2019-03": "4", "2019-04": "-9"}, {}, 1)
    assert result == {"2019-02": "8", "2019-03": "0", "2019-04": "0", "2019-05": "0"}


def test_negative_funds_in_with_nothing_earlier_are_ignored_and_later_funds_keep_their_amount():
    result = expired({"2019-01": "-5", "2019-02": "10"}, {}, 1)
    assert result == {"2019-02": "0", "2019-03": "10"}


def test_a_month_of_zero_funds_in_still_has_an_entry():
    assert expired({"2019-01": "0"}, {"2019-01": "4"}, 2) == {"2019-03": "0"}


def test_spending_after_the_expiry_month_does_not_save_funds():
    assert expired({"2019-01": "10"}, {"2019-03": "10"}, 1) == {"2019-02": "10"}


def test_spending_in_the_expiry_month_itself_saves_funds():
    assert expired({"2019-01": "10"}, {"2019-02": "4"}, 1) == {"2019-02": "6"}


def test_a_recorded_expiry_with_no_funds_in_at_its_landing_month_changes_nothing():
    assert expired({"2019-01": "5"}, {"2019-01": "3"}, 1, {"2018-12": "7"}) == {"2019-02": "2"}


def test_a_recorded_expiry_above_its_funds_in_spends_nothing():
    result = expired({"2019-01": "5", "2019-02": "5"}, {"2019-02": "4"}, 1, {"2019-02": "6"})
    assert result == {"2019-02": "6", "2019-03": "1"}


def test_replayed_spending_comes_only_from_funds_out_dated_on_or_before_the_expiry():
    # 5 of January's 10 did not expire, so it was spent: only January's 2 is on or before
    # February, so March's 9 stays whole for February's funds (10 - 9 = 1 expires).
    result = expired(
        {"2019-01": "10", "2019-02": "10"}, {"2019-01": "2", "2019-03": "9"}, 1, {"2019-02": "5"}
    )
    assert result == {"2019-02": "5", "2019-03": "1"}


def test_recorded_expiries_replay_in_month_order():
    # Recorded in the wrong order on purpose. February's record (4 of January's 10 spent) goes
    # first and takes January's 4; March's (4 of February's 10 spent) then takes 4 of March's
    # 10, leaving 6 for March's 8 (2 expire). March's first would have taken January's 4 and left
    # February's replay nothing, so March's 8 would all be saved.
    result = expired(
        {"2019-01": "10", "2019-02": "10", "2019-03": "8"},
        {"2019-01": "4", "2019-03": "10"},
        1,
        {"2019-03": "6", "2019-02": "6"},
    )
    assert result == {"2019-02": "6", "2019-03": "6", "2019-04": "2"}


def test_a_recorded_expiry_is_returned_even_when_the_funds_in_were_negative():
    assert expired({"2019-01": "-3"}, {}, 1, {"2019-02": "2"}) == {"2019-02": "2"}


def test_as_of_returns_only_expiry_months_up_to_it_inclusive():
    result = expired(IN, {"2019-01": "12"}, 2, as_of="2019-01")
    assert result == {"2018-12": "10", "2019-01": "0"}


def test_amounts_stay_exact_beyond_28_digits():
    big = "12345678901234567890123456789.123456789"
    result = expired({"2019-01": big}, {"2019-01": "0.000000001"}, 1)
    assert result == {"2019-02": "12345678901234567890123456789.123456788"}


def test_the_policy_change_splits_funds_in_into_two_cohorts_each_netting_its_own_negatives():
    # January's -4 is the short-term cohort's first entry, so it finds nothing to net against;
    # December (long-term) keeps all of its 10.
    result = calculate(
        {"2018-12": "10", "2019-01": "-4", "2019-02": "3"},
        {},
        2,
        change=("2019-01", 1, {}),
    )
    assert plain(result.long_term) == {"2019-02": "10"}
    assert plain(result.short_term) == {"2019-02": "0", "2019-03": "3"}
    assert expired({"2018-12": "10", "2019-01": "-4", "2019-02": "3"}, {}, 2) == {
        "2019-02": "6",
        "2019-03": "0",
        "2019-04": "3",
    }


def test_funds_out_are_netted_once_and_the_long_term_cohort_uses_them_first():
    # The refund in February nets January's spending to 10; the long-term cohort takes it all,
    # though its funds expire later than the short-term cohort's.
    result = calculate(
        {"2018-11": "10", "2018-12": "10", "2019-01": "10", "2019-02": "-4"},
        {"2019-01": "15", "2019-02": "-5"},
        3,
        change=("2019-01", 1, {}),
    )
    assert plain(result.long_term) == {"2019-02": "0", "2019-03": "10"}
    assert plain(result.short_term) == {"2019-02": "6", "2019-03": "0"}


def test_each_cohort_replays_its_own_recorded_expiries():
    result = calculate(
        {"2018-11": "10", "2019-01": "8", "2019-02": "5"},
        {"2018-12": "6", "2019-02": "10"},
        2,
        recorded={"2019-01": "4", "2019-03": "99"},
        change=("2019-01", 1, {"2019-02": "3"}),
    )
    # Long term: 6 of November's 10 were spent (December's 6). Short term: 5 of January's 8 were
    # spent (from February's 10); February's 5 then takes February's last 5. The long-term
    # record for March has no long-term funds behind it and is not the short-term cohort's.
    assert plain(result.long_term) == {"2019-01": "4"}
    assert plain(result.short_term) == {"2019-02": "3", "2019-03": "0"}


def test_as_of_filters_both_cohorts_without_changing_either():
    args = ({"2018-12": "10", "2019-01": "10"}, {"2019-01": "10"}, 4)
    full = calculate(*args, change=("2019-01", 1, {}))
    assert plain(full.long_term) == {"2019-04": "0"}
    assert plain(full.short_term) == {"2019-02": "10"}
    cut = calculate(*args, change=("2019-01", 1, {}), as_of="2019-03")
    assert plain(cut.long_term) == {}
    assert plain(cut.short_term) == {"2019-02": "10"}


def test_by_month_adds_the_cohorts_up_per_expiry_month():
    result = calculate(
        {"2018-01": "7", "2019-01": "5", "2019-02": "1"}, {}, 13, change=("2019-01", 1, {})
    )
    assert plain(result.by_month()) == {"2019-02": "12", "2019-03": "1"}
    assert plain(calculate(IN, {}, 1).by_month()) == plain(calculate(IN, {}, 1).long_term)


def test_a_period_below_one_month_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        expiries({}, {}, 0)
    with pytest.raises(ValueError, match="at least 1"):
        expiries({}, {}, 1, policy_change=PolicyChange(Month(2026, 8), 0))


def test_months_parse_print_and_count_across_years():
    assert str(Month.parse("2026-08") + 12) == "2027-08"
    assert str(Month(2026, 1) - 1) == "2025-12"
    assert Month(2025, 12) < Month(2026, 1)
    with pytest.raises(ValueError):
        Month.parse("2026-13")
    with pytest.raises(ValueError):
        Month(2026, 0)


# Properties over random ledgers.

MONTH = st.integers(min_value=2018 * 12, max_value=2021 * 12).map(Month.from_ordinal)
AMOUNT = st.decimals(min_value=-500, max_value=1000, places=2, allow_nan=False)
POSITIVE = st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2, allow_nan=False)
LEDGER = st.dictionaries(MONTH, AMOUNT, max_size=24)
RECORDED = st.dictionaries(MONTH, st.decimals(min_value=0, max_value=500, places=2), max_size=6)
PERIOD = st.integers(min_value=1, max_value=30)
CHANGE = st.none() | st.builds(PolicyChange, MONTH, PERIOD)


def cohorts(funds_in, n, change):
    """(funds in, period) for each cohort of a calculation, in the order of `parts`."""
    if change is None:
        return [(funds_in, n)]
    return [
        ({m: a for m, a in funds_in.items() if m < change.start}, n),
        ({m: a for m, a in funds_in.items() if m >= change.start}, change.expiry_months),
    ]


def parts(result: Expiries) -> list[dict[Month, Decimal]]:
    return [result.long_term] + ([] if result.short_term is None else [result.short_term])


def total(result: Expiries) -> Decimal:
    return sum((sum(part.values(), Decimal(0)) for part in parts(result)), Decimal(0))


@settings(max_examples=200)
@given(LEDGER, LEDGER, PERIOD, CHANGE)
def test_no_month_expires_more_than_landed_in_it_and_nothing_is_negative(
    funds_in, funds_out, n, change
):
    result = expiries(funds_in, funds_out, n, policy_change=change)
    for (cohort_in, period), part in zip(cohorts(funds_in, n, change), parts(result), strict=True):
        assert set(part) == {month + period for month in cohort_in}
        for month, amount in cohort_in.items():
            assert Decimal(0) <= part[month + period] <= max(amount, Decimal(0))


@settings(max_examples=200)
@given(LEDGER, LEDGER, PERIOD, CHANGE)
def test_total_expiry_never_exceeds_the_positive_funds_in(funds_in, funds_out, n, change):
    positive = sum((amount for amount in funds_in.values() if amount > 0), Decimal(0))
    assert total(expiries(funds_in, funds_out, n, policy_change=change)) <= positive


@settings(max_examples=400)
@given(LEDGER, LEDGER, PERIOD, CHANGE, RECORDED, MONTH, POSITIVE)
def test_more_spending_never_makes_expired_funds_reappear(
    funds_in, funds_out, n, change, recorded, month, extra
):
    before = expiries(funds_in, funds_out, n, recorded, change)
    more = dict(funds_out)
    more[month] = more.get(month, Decimal(0)) + extra
    after = expiries(funds_in, more, n, recorded, change)
    assert total(after) <= total(before)
    for was, now in zip(parts(before), parts(after), strict=True):
        assert all(now[expiry] <= was[expiry] for expiry in was)


@settings(max_examples=200)
@given(LEDGER, LEDGER, PERIOD, CHANGE, RECORDED)
def test_results_are_never_negative_with_recorded_expiries(
    funds_in, funds_out, n, change, recorded
):
    for part in parts(expiries(funds_in, funds_out, n, recorded, change)):
        assert all(amount >= 0 for amount in part.values())


@settings(max_examples=200)
@given(LEDGER, LEDGER, PERIOD, CHANGE, RECORDED, MONTH)
def test_as_of_only_filters_the_full_result(funds_in, funds_out, n, change, recorded, as_of):
    full = expiries(funds_in, funds_out, n, recorded, change)
    cut = expiries(funds_in, funds_out, n, recorded, change, as_of)
    for whole, part in zip(parts(full), parts(cut), strict=True):
        assert part == {month: amount for month, amount in whole.items() if month <= as_of}


@settings(max_examples=200)
@given(LEDGER, LEDGER, PERIOD, PERIOD, RECORDED)
def test_a_policy_change_after_every_month_changes_nothing(funds_in, funds_out, n, short, recorded):
    later = PolicyChange(Month(2030, 1), short)
    result = expiries(funds_in, funds_out, n, recorded, later)
    assert result.long_term == expiries(funds_in, funds_out, n, recorded).long_term
    assert result.short_term == {}


@settings(max_examples=200)
@given(LEDGER, LEDGER, PERIOD, PERIOD, RECORDED)
def test_a_policy_change_before_every_month_is_the_short_period_alone(
    funds_in, funds_out, n, short, recorded
):
    earlier = PolicyChange(Month(2000, 1), short, recorded)
    result = expiries(funds_in, funds_out, n, {}, earlier)
    assert result.long_term == {}
    assert result.short_term == expiries(funds_in, funds_out, short, recorded).long_term


# The contract.

EXAMPLE = """
{"expiry_months": 2,
 "funds_in": {"2018-10": "10", "2018-11": "9", "2018-12": "8", "2019-01": "5"},
 "funds_out": {"2018-10": "10"},
 "already_expired": {},
 "policy_change": null,
 "as_of": null}
"""


def run_text(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> tuple[int, str, str]:
    path = tmp_path / "input.json"
    path.write_text(text, encoding="utf-8")
    status = main(["--input", str(path)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_json(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: object) -> Any:
    status, out, err = run_text(tmp_path, capsys, json.dumps(data))
    assert (status, err) == (0, "")
    return json.loads(out)


def run_cli(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "input.json"
    path.write_text(text, encoding="utf-8")
    return subprocess.run(  # noqa: S603 - our own console script and arguments
        [str(JOINEDUP), "levy", "expiry", "--input", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )


@pytest.mark.parametrize(("n", "funds_in", "funds_out", "recorded", "expected"), WORKED)
def test_the_worked_examples_through_the_contract(
    tmp_path, capsys, n, funds_in, funds_out, recorded, expected
):
    data = {"expiry_months": n, "funds_in": funds_in, "funds_out": funds_out}
    if recorded:
        data["already_expired"] = recorded
    assert run_json(tmp_path, capsys, data) == {"expiries": expected}


def test_the_command_prints_the_issues_example_with_no_environment(tmp_path):
    done = run_cli(tmp_path, EXAMPLE)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        '{"expiries": {"2018-12": "0", "2019-01": "9", "2019-02": "8", "2019-03": "5"}}\n'
    )


def test_the_command_gives_one_line_and_status_2_for_bad_input(tmp_path):
    for text in ('{"expiry_months": 0, "funds_in": {}, "funds_out": {}}', "{", "[]"):
        done = run_cli(tmp_path, text)
        assert done.returncode == 2
        assert done.stdout == ""
        assert len(done.stderr.splitlines()) == 1
        assert done.stderr.startswith("joinedup levy expiry: ")
    missing = subprocess.run(  # noqa: S603 - our own console script and arguments
        [str(JOINEDUP), "levy", "expiry", "--input", str(tmp_path / "nowhere.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2 and len(missing.stderr.splitlines()) == 1


def test_the_policy_change_puts_the_short_term_cohort_beside_the_long_term_one(tmp_path, capsys):
    data = {
        "expiry_months": 24,
        "funds_in": {"2026-06": "100", "2026-07": "50.50", "2026-08": "80", "2026-09": "-30"},
        "funds_out": {"2026-07": 120, "2027-01": "-20", "2027-02": 1.25},
        "already_expired": None,
        "policy_change": {"from": "2026-08", "expiry_months": 12, "already_expired": None},
        "as_of": None,
    }
    # The refund of 20 leaves 100 of July's spending: June's 100 takes it all; July's 50.50 has
    # February's 1.25 by July 2028; August's 80 less September's 30 is 50, and nothing is left.
    assert run_json(tmp_path, capsys, data) == {
        "expiries": {"2028-06": "0", "2028-07": "49.25"},
        "short_term_expiries": {"2027-08": "50", "2027-09": "0"},
    }
    data["as_of"] = "2027-12"
    assert run_json(tmp_path, capsys, data) == {
        "expiries": {},
        "short_term_expiries": {"2027-08": "50", "2027-09": "0"},
    }
    del data["policy_change"]["already_expired"]
    data["policy_change"]["from"] = "2030-01"
    assert run_json(tmp_path, capsys, data) == {"expiries": {}, "short_term_expiries": {}}


def test_optional_keys_may_be_absent_and_output_months_come_in_ascending_order(tmp_path, capsys):
    data = {"expiry_months": 1, "funds_in": {"2019-03": "1.50", "2018-01": 2}, "funds_out": {}}
    status, out, _ = run_text(tmp_path, capsys, json.dumps(data))
    assert status == 0
    assert out == '{"expiries": {"2018-02": "2", "2019-04": "1.5"}}\n'


def test_json_numbers_are_read_exactly_and_written_in_plain_notation(tmp_path, capsys):
    text = '{"expiry_months": 1, "funds_in": {"2019-01": 1E+3, "2019-02": 0.1}, "funds_out": {}}'
    status, out, _ = run_text(tmp_path, capsys, text)
    assert status == 0
    assert json.loads(out) == {"expiries": {"2019-02": "1000", "2019-03": "0.1"}}


BAD = [
    ('{"expiry_months": 1, "funds_in": {}, "funds_out": {}, "x": 1}', 'input: unknown key "x"'),
    ('{"expiry_months": 1, "funds_in": {}}', 'input: missing key "funds_out"'),
    ('{"expiry_months": 1, "funds_in": {"2019-01": "1", "2019-01": "2"}, "funds_out": {}}',
     'duplicate key "2019-01"'),
    ('{"expiry_months": 0, "funds_in": {}, "funds_out": {}}', "expiry_months: must be at least 1"),
    ('{"expiry_months": -3, "funds_in": {}, "funds_out": {}}', "expiry_months: must be at least 1"),
    ('{"expiry_months": 2.0, "funds_in": {}, "funds_out": {}}', "expiry_months: must be a whole"),
    ('{"expiry_months": "2", "funds_in": {}, "funds_out": {}}', "expiry_months: must be a whole"),
    ('{"expiry_months": true, "funds_in": {}, "funds_out": {}}', "expiry_months: must be a whole"),
    ('{"expiry_months": 1, "funds_in": [], "funds_out": {}}', "funds_in: must be an object"),
    ('{"expiry_months": 1, "funds_in": {"2019-13": "1"}, "funds_out": {}}',
     'funds_in: key "2019-13": must be a month'),
    ('{"expiry_months": 1, "funds_in": {"2019-1": "1"}, "funds_out": {}}',
     'funds_in: key "2019-1": must be a month'),
    ('{"expiry_months": 1, "funds_in": {}, "funds_out": {"2019-01": "1e3"}}',
     'funds_out["2019-01"]: "1e3" is not an amount'),
    ('{"expiry_months": 1, "funds_in": {}, "funds_out": {"2019-01": "NaN"}}',
     'funds_out["2019-01"]: "NaN" is not an amount'),
    ('{"expiry_months": 1, "funds_in": {"2019-01": " 1"}, "funds_out": {}}', "is not an amount"),
    ('{"expiry_months": 1, "funds_in": {"2019-01": null}, "funds_out": {}}',
     'funds_in["2019-01"]: must be an amount, not null'),
    ('{"expiry_months": 1, "funds_in": {"2019-01": true}, "funds_out": {}}', "must be an amount"),
    ('{"expiry_months": 1, "funds_in": {}, "funds_out": {}, "already_expired": []}',
     "already_expired: must be an object"),
    ('{"expiry_months": 1, "funds_in": {}, "funds_out": {}, "as_of": "2019"}',
     "as_of: must be a month"),
    ('{"expiry_months": 1, "funds_in": {}, "funds_out": {}, "policy_change": {"from": "2026-08"}}',
     'policy_change: missing key "expiry_months"'),
    ('{"expiry_months": 1, "funds_in": {}, "funds_out": {}, '
     '"policy_change": {"from": "2026-08", "expiry_months": 0}}',
     "policy_change.expiry_months: must be at least 1"),
    ('{"expiry_months": 1, "funds_in": {}, "funds_out": {}, '
     '"policy_change": {"from": "2026-08", "expiry_months": 12, "to": "2027-01"}}',
     'policy_change: unknown key "to"'),
    ('{"expiry_months": 1, "funds_in": {}, "funds_out": {}, '
     '"policy_change": {"from": "2026-8", "expiry_months": 12}}',
     "policy_change.from: must be a month"),
    ('{"expiry_months": 1, "funds_in": {}, "funds_out": {}, '
     '"policy_change": {"from": "2026-08", "expiry_months": 12, "already_expired": {"x": 1}}}',
     'policy_change.already_expired: key "x": must be a month'),
    ('{"expiry_months": 1, "funds_in": {}, "funds_out": {}, "policy_change": []}',
     "policy_change: must be an object"),
    ('{"expiry_months": 2, "funds_in": {"9999-11": "1"}, "funds_out": {}}',
     "expiry_months: funds landing in 9999-11 would expire after 9999-12"),
    ("{", "malformed JSON"),
    ('{"expiry_months": 1, "funds_in": {}, "funds_out": {"2019-01": Infinity}}', "malformed JSON"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_input_is_one_line_on_standard_error_and_status_2(tmp_path, capsys, text, message):
    status, out, err = run_text(tmp_path, capsys, text)
    assert (status, out) == (2, "")
    assert err.startswith("joinedup levy expiry: ")
    assert message in err
    assert err.count("\n") == 1 and err.endswith("\n")


def test_a_month_past_9999_is_no_trouble_when_as_of_leaves_it_out(tmp_path, capsys):
    data = {"expiry_months": 2, "funds_in": {"9999-11": "1"}, "funds_out": {}, "as_of": "9999-12"}
    assert run_json(tmp_path, capsys, data) == {"expiries": {}}


def test_a_missing_argument_is_a_usage_line(capsys):
    assert main([]) == 2
    assert (
        capsys.readouterr().err
        == "joinedup levy expiry: usage: joinedup levy expiry --input FILE\n"
    )
