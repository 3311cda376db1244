"""The on-track rule at chosen dates: before the start, the start, the middle, the end and after
it, with the green, amber and red boundaries (plain code, no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from joinedup.apprenticeships.on_track import Rag, assess

START = dt.date(2026, 9, 1)
END = dt.date(2027, 9, 1)  # 365 days
MIDDLE = START + dt.timedelta(days=73)  # a fifth of the plan: 80 of 400 planned hours


def at(on: dt.date, logged: str, verified: str = "0"):
    return assess(
        start=START,
        planned_end=END,
        planned_hours=Decimal(400),
        required_hours=Decimal(350),
        logged_hours=Decimal(logged),
        verified_hours=Decimal(verified),
        on=on,
    )


def test_before_the_start_nothing_is_expected_and_it_is_green():
    status = at(START - dt.timedelta(days=10), "0")
    assert (status.status, status.expected, status.elapsed_days) == (Rag.GREEN, Decimal(0), 0)
    assert status.explanation == "The plan has not started yet, so no hours are expected by now."


def test_on_the_start_day_nothing_is_expected_yet():
    assert at(START, "0").expected == Decimal("0.00")
    assert at(START, "0").status is Rag.GREEN


def test_in_the_middle_the_planned_hours_times_the_elapsed_share_are_expected():
    status = at(MIDDLE, "80", "60")
    assert status.elapsed_share == Decimal("0.2000")
    assert status.expected == Decimal("80.00")
    assert status.amber_from == Decimal("64.00")
    assert status.status is Rag.GREEN
    assert status.explanation == (
        "73 of the plan's 365 days have passed (20.0%), so 80 of the 400 planned hours are "
        "expected by now; 80 are logged (60 verified)."
    )


@pytest.mark.parametrize(
    ("logged", "rag"),
    [
        ("80", Rag.GREEN),
        ("79.99", Rag.AMBER),
        ("64", Rag.AMBER),
        ("63.99", Rag.RED),
        ("0", Rag.RED),
    ],
)
def test_amber_is_from_80_percent_of_the_expected_hours_and_red_below(logged, rag):
    assert at(MIDDLE, logged).status is rag


def test_behind_says_how_many_more_hours_would_put_it_on_track():
    status = at(MIDDLE, "50.5")
    assert status.status is Rag.RED
    assert status.shortfall == Decimal("29.50")
    assert status.explanation.endswith("29.50 more would put the apprentice on track.")


def test_at_the_planned_end_all_planned_hours_are_expected():
    status = at(END, "399")
    assert (status.expected, status.status) == (Decimal("400.00"), Rag.AMBER)
    assert at(END, "400").status is Rag.GREEN


def test_after_the_planned_end_the_expectation_stays_at_the_planned_hours():
    status = at(END + dt.timedelta(days=100), "300")
    assert (status.elapsed_share, status.expected) == (Decimal("1.0000"), Decimal("400.00"))
    assert status.status is Rag.RED


def test_verified_hours_alone_do_not_decide_the_status():
    assert at(MIDDLE, "80", "0").status is Rag.GREEN


def test_the_rule_is_stated_in_plain_words():
    assert "planned hours × the share of the planned time" in at(MIDDLE, "0").rule
    assert "80%" in at(MIDDLE, "0").rule


def test_a_plan_ending_on_or_before_its_start_is_refused():
    with pytest.raises(ValueError, match="planned end"):
        assess(
            start=START,
            planned_end=START,
            planned_hours=Decimal(1),
            required_hours=Decimal(1),
            logged_hours=Decimal(0),
            verified_hours=Decimal(0),
            on=START,
        )
