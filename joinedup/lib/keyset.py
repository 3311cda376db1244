"""Keyset (cursor) pagination for pages and API lists: cost does not grow with the page number.

The queryset is ordered by `ordering` (field names, ascending, or descending when prefixed with
"-" as in `order_by`; the last one unique such as "id").
A cursor is an opaque, URL-safe encoding of the boundary row's values. Bad cursors are ignored and
give the first page, so a mangled link never causes an error: one that does not decode, and one
whose values do not fit the ordering's fields (a number where a date belongs, say).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import cmp_to_key
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class KeysetPage:
    items: list[Any]
    next_cursor: str | None
    previous_cursor: str | None


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, default=str, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, length: int) -> list[Any] | None:
    """The boundary values, or None when the cursor is absent or not one of ours."""
    if not cursor or len(cursor) > 1000:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != length:
        return None
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
        return None
    if not all(_storable(v) for v in values):
        return None
    return values


def _storable(value: str | int) -> bool:
    """Databases refuse NUL characters, lone surrogates and integers beyond 64 bits."""
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def _beyond(ordering: tuple[str, ...], values: list[Any], forwards: bool) -> Q:
    """Rows strictly after (or before) the boundary in lexicographic order of `ordering`."""
    condition = Q()
    for index, field in enumerate(ordering):
        lookup = "gt" if forwards != field.startswith("-") else "lt"
        step = Q(**{f"{field.lstrip('-')}__{lookup}": values[index]})
        for previous in range(index):
            step &= Q(**{ordering[previous].lstrip("-"): values[previous]})
        condition |= step
    # Implied by the above, but a plain bound on the first field lets the database start an index
    # scan at the boundary instead of filtering every earlier row (deep pages stay fast).
    first = ordering[0]
    bound = "gte" if forwards != first.startswith("-") else "lte"
    return Q(**{f"{first.lstrip('-')}__{bound}": values[0]}) & condition


def _parts_beyond(
    parts: tuple[QuerySet, ...], ordering: tuple[str, ...], values: list[Any], forwards: bool
) -> tuple[QuerySet, ...] | None:
    """Each part's rows beyond the boundary, or None when the values do not fit the fields:
    Django checks each value against its field as the filter is built."""
    try:
        return tuple(part.filter(_beyond(ordering, values, forwards)) for part in parts)
    except (TypeError, ValueError, ValidationError):
        return None


def _values_of(item: Any, ordering: tuple[str, ...]) -> list[Any]:
    values = []
    for field in ordering:
        value = item
        for part in field.lstrip("-").split("__"):
            value = value[part] if isinstance(value, dict) else getattr(value, part)
        values.append(value)
    return values


def _read(parts: tuple[QuerySet, ...], ordering: tuple[str, ...], size: int) -> list[Any]:
    """The first `size` rows of the parts in `ordering`: each part reads its own first rows in
    the database, and rows of several parts are merged here. So the ordering's values must
    compare in Python as they do in the database, and never be null: numbers, dates, or text
    in byte order."""
    if len(parts) == 1:
        return list(parts[0].order_by(*ordering)[:size])
    rows = [row for part in parts for row in part.order_by(*ordering)[:size]]
    descending = [field.startswith("-") for field in ordering]

    def compare(first: Any, second: Any) -> int:
        pairs = zip(_values_of(first, ordering), _values_of(second, ordering), strict=True)
        for (one, other), down in zip(pairs, descending, strict=True):
            if one != other:
                return (1 if one > other else -1) * (-1 if down else 1)
        return 0

    return sorted(rows, key=cmp_to_key(compare))[:size]


def keyset_page(
    queryset: QuerySet | tuple[QuerySet, ...],
    ordering: tuple[str, ...],
    *,
    after: str | None = None,
    before: str | None = None,
    size: int = 50,
) -> KeysetPage:
    """One page of `queryset` after the `after` cursor (or before the `before` cursor).

    `queryset` may be a tuple of querysets of the same model with no row in common, read as one
    list: each part is read in order up to the page's size and the parts are merged, so each can
    use an index of its own (an `OR` across columns can use none that gives the order).
    """
    parts = queryset if isinstance(queryset, tuple) else (queryset,)
    after_values = decode_cursor(after, len(ordering))
    later = None if after_values is None else _parts_beyond(parts, ordering, after_values, True)
    before_values = decode_cursor(before, len(ordering)) if later is None else None
    earlier = (
        None if before_values is None else _parts_beyond(parts, ordering, before_values, False)
    )
    if earlier is not None:
        reverse = tuple(field[1:] if field.startswith("-") else f"-{field}" for field in ordering)
        rows = _read(earlier, reverse, size + 1)
        has_more_before = len(rows) > size
        items = list(reversed(rows[:size]))
        return KeysetPage(
            items=items,
            next_cursor=encode_cursor(_values_of(items[-1], ordering)) if items else None,
            previous_cursor=encode_cursor(_values_of(items[0], ordering))
            if has_more_before
            else None,
        )
    rows = _read(later if later is not None else parts, ordering, size + 1)
    items = rows[:size]
    return KeysetPage(
        items=items,
        next_cursor=encode_cursor(_values_of(items[-1], ordering)) if len(rows) > size else None,
        previous_cursor=(
            encode_cursor(_values_of(items[0], ordering)) if later is not None and items else None
        ),
    )
