"""Keyset pages: a cursor whose values do not fit the ordering's fields gives the first page,
as a cursor that does not decode does, instead of an error."""

from __future__ import annotations

import datetime as dt

import pytest

from joinedup.lib.keyset import encode_cursor, keyset_page
from joinedup.partnership.models import Employment
from joinedup.partnership.tests.factories import EmploymentFactory

pytestmark = pytest.mark.django_db

ORDERING = ("start_date", "id")


@pytest.fixture
def employments() -> list[Employment]:
    EmploymentFactory.create_batch(3)
    return list(Employment.objects.order_by(*ORDERING))


def test_the_next_page_follows_the_cursor_it_gave(employments):
    first = keyset_page(Employment.objects.all(), ORDERING, size=2)
    assert first.items == employments[:2] and first.next_cursor
    second = keyset_page(Employment.objects.all(), ORDERING, after=first.next_cursor, size=2)
    assert second.items == employments[2:]
    back = keyset_page(Employment.objects.all(), ORDERING, before=second.previous_cursor, size=2)
    assert back.items == employments[:2]


@pytest.mark.parametrize(
    "values", [[1, 2], ["soon", 1], ["2024-13-01", 1], ["2026-01-01", "one"], [None, 1]]
)
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_cursor_whose_values_do_not_fit_gives_the_first_page(employments, values, direction):
    page = keyset_page(
        Employment.objects.all(), ORDERING, size=2, **{direction: encode_cursor(values)}
    )
    assert page.items == employments[:2]
    assert page.previous_cursor is None


@pytest.mark.parametrize("ordering", [("start_date", "id"), ("-start_date", "id"), ("-id",)])
def test_parts_read_apart_page_as_the_whole_would(ordering):
    for day in (5, 1, 3, 1, 4, 2, 5):
        EmploymentFactory(start_date=dt.date(2024, 1, day))
    whole = list(Employment.objects.order_by(*ordering))
    parts = (
        Employment.objects.filter(start_date__day__in=[1, 4]),
        Employment.objects.exclude(start_date__day__in=[1, 4]),
    )
    pages, cursor = [], None
    while True:
        page = keyset_page(parts, ordering, after=cursor, size=3)
        pages.append(page.items)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert [item for items in pages for item in items] == whole
    assert [len(items) for items in pages] == [3, 3, 1]
    last = keyset_page(parts, ordering, after=cursor, size=3)
    back = keyset_page(parts, ordering, before=last.previous_cursor, size=3)
    assert back.items == whole[3:6]
