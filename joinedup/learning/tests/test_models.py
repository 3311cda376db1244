"""Model behaviour: the default cut-off and places left."""

from __future__ import annotations

import datetime as dt

from joinedup.learning.models import default_cut_off
from joinedup.learning.tests.factories import RunFactory, SessionFactory


def test_default_cut_off_is_five_pm_london_time_three_weeks_before_in_winter():
    cut_off = default_cut_off(dt.date(2027, 2, 1))

    assert cut_off.astimezone(dt.UTC) == dt.datetime(2027, 1, 11, 17, 0, tzinfo=dt.UTC)


def test_default_cut_off_is_five_pm_london_time_three_weeks_before_in_summer():
    cut_off = default_cut_off(dt.date(2027, 7, 1))

    assert cut_off.astimezone(dt.UTC) == dt.datetime(2027, 6, 10, 16, 0, tzinfo=dt.UTC)


def test_default_cut_off_counts_from_the_first_session_of_a_run(db):
    run = RunFactory()
    SessionFactory(run=run, date=dt.date(2027, 3, 20))
    SessionFactory(run=run, date=dt.date(2027, 3, 6))

    assert run.default_cut_off().astimezone(dt.UTC) == dt.datetime(
        2027, 2, 13, 17, 0, tzinfo=dt.UTC
    )


def test_a_run_without_sessions_has_no_default_cut_off(db):
    assert RunFactory().default_cut_off() is None


def test_places_left_is_capacity_less_places_taken(db):
    assert RunFactory(capacity=12, places_taken=5).places_left() == 7


def test_a_runs_last_day_is_its_last_session_or_else_its_completion_deadline(db):
    run = RunFactory()
    SessionFactory(run=run, date=dt.date(2027, 3, 4))
    SessionFactory(run=run, date=dt.date(2027, 3, 18))
    self_paced = RunFactory(completion_deadline=dt.date(2027, 6, 30))

    assert run.last_day() == dt.date(2027, 3, 18)
    assert self_paced.last_day() == dt.date(2027, 6, 30)
