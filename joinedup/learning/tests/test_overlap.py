"""The pure overlap test between runs' sessions."""

from __future__ import annotations

import datetime as dt

from joinedup.learning.overlap import Slot, overlapping_runs, runs_overlap, slots_overlap

DAY = dt.date(2027, 3, 1)


def _slot(start: str, end: str, date: dt.date = DAY) -> Slot:
    return Slot(date, dt.time.fromisoformat(start), dt.time.fromisoformat(end))


def test_sessions_on_the_same_day_with_crossing_times_overlap():
    assert slots_overlap(_slot("09:00", "12:00"), _slot("11:00", "15:00"))
    assert slots_overlap(_slot("11:00", "15:00"), _slot("09:00", "12:00"))


def test_a_session_inside_another_overlaps_it():
    assert slots_overlap(_slot("09:00", "17:00"), _slot("10:00", "11:00"))


def test_sessions_that_only_touch_do_not_overlap():
    assert not slots_overlap(_slot("09:00", "12:00"), _slot("12:00", "15:00"))


def test_sessions_on_different_days_never_overlap():
    other_day = DAY + dt.timedelta(days=1)
    assert not slots_overlap(_slot("09:00", "17:00"), _slot("09:00", "17:00", other_day))


def test_runs_overlap_when_any_pair_of_sessions_does():
    first = [_slot("09:00", "12:00", DAY - dt.timedelta(days=7)), _slot("09:00", "12:00")]
    second = [_slot("10:00", "11:00"), _slot("09:00", "12:00", DAY + dt.timedelta(days=7))]
    assert runs_overlap(first, second)
    assert runs_overlap(second, first)


def test_a_run_without_sessions_overlaps_nothing():
    assert not runs_overlap([], [_slot("09:00", "17:00")])
    assert not runs_overlap([_slot("09:00", "17:00")], [])
    assert not runs_overlap([], [])


def test_overlapping_runs_names_only_the_runs_that_overlap():
    target = [_slot("09:00", "12:00")]
    others = {
        1: [_slot("11:00", "13:00")],
        2: [_slot("13:00", "14:00")],
        3: [],
        4: [_slot("08:00", "09:30"), _slot("08:00", "09:30", DAY + dt.timedelta(days=1))],
    }
    assert overlapping_runs(target, others) == {1, 4}
