"""Reading the values of a review or an adoption (from a form or the API), shared by
`reviews.py` and `spread.py`: problems are collected per field, not raised one by one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

TEXT_LIMIT = 10_000


def text(data: Mapping[str, Any], field: str, label: str, errors: dict[str, str]) -> str:
    """The field's text, stripped; a NUL character or more than TEXT_LIMIT is an error on it."""
    value = data.get(field)
    found = "" if value is None else str(value).strip()
    if "\x00" in found:
        errors[field] = f"{label} must not contain NUL characters"
    elif len(found) > TEXT_LIMIT:
        errors[field] = f"{label} must be {TEXT_LIMIT:,} characters or fewer"
    return found


def date(value: Any) -> dt.date | None:
    """A date given as a date (or datetime) or as YYYY-MM-DD; None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
