"""The catalogue lists only upcoming runs, whichever side of today a date range starts."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from joinedup.learning.tests.factories import RunFactory, SessionFactory

URL = reverse("learning:catalogue")


def _dates(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _run_on(world, title: str, day: dt.date):
    run = RunFactory(programme__host=world.own, programme__title=title)
    SessionFactory(run=run, date=day)
    return run


def test_a_range_starting_in_the_past_lists_no_run_that_is_over(world, client_for):
    today = timezone.localdate()
    _run_on(world, "Over yesterday", today - dt.timedelta(days=1))
    _run_on(world, "On next week", today + dt.timedelta(days=7))
    params = _dates("date_from", today - dt.timedelta(days=7)) | _dates(
        "date_to", today + dt.timedelta(days=14)
    )
    page = client_for("own_staff").get(URL, params).content.decode()
    assert "On next week" in page
    assert "Over yesterday" not in page


def test_a_range_starting_today_lists_a_run_whose_session_is_today(world, client_for):
    today = timezone.localdate()
    run = _run_on(world, "On today", today)
    _run_on(world, "Over yesterday", today - dt.timedelta(days=1))
    page = client_for("own_staff").get(URL, _dates("date_from", today)).content.decode()
    assert "On today" in page
    assert reverse("learning:run", args=[run.pk]) in page
    assert "Over yesterday" not in page


def test_a_range_ending_before_today_lists_nothing(world, client_for):
    today = timezone.localdate()
    _run_on(world, "Over last week", today - dt.timedelta(days=7))
    page = client_for("own_staff").get(URL, _dates("date_to", today - dt.timedelta(days=1)))
    assert "Over last week" not in page.content.decode()
    assert "No programmes match your search and filters." in page.content.decode()
