"""Keyset pages: a cursor whose values do not fit the ordering's fields gives the first page,
as a cursor that does not decode does, instead of an error."""

from __future__ import annotations

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
