"""Helpers for the organisation-admin and partnership-lead page tests."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def date_parts(
    name: str, on: dt.date | None = None, *, day: str = "", month: str = "", year: str = ""
) -> dict[str, str]:
    """A GOV.UK date input's three boxes, from a date or from what someone typed."""
    if on is not None:
        day, month, year = str(on.day), str(on.month), str(on.year)
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def queries_for(client: Client, url: str) -> int:
    """How many queries one GET of the page makes (it must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def assert_status(response, expected: int) -> None:
    """200, 403, 404, or 302 to the sign-in page for anonymous visitors."""
    assert response.status_code == expected, response.status_code
    if expected == 302:
        assert response.url.startswith("/accounts/login/")
