"""`insert_row` writes the row `save()` would, then each new row in one statement."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from joinedup.lib.row_insert import insert_row
from joinedup.partnership.models import AuditEvent
from joinedup.partnership.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

COLUMNS = ("actor", "acting_for", "organisation", "action", "object_kind", "object_id", "changes")


def event(organisation, number: int) -> AuditEvent:
    return AuditEvent(
        organisation=organisation,
        action="booking.confirmed",
        object_kind="booking",
        object_id=str(number),
        changes={"run": number, "status": "confirmed"},
    )


def test_the_row_is_the_one_save_writes_and_the_instance_gets_its_key():
    organisation = OrganisationFactory()
    saved, inserted = event(organisation, 1), event(organisation, 1)
    saved.save()

    insert_row(inserted)

    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding
    rows = AuditEvent.objects.filter(pk__in=[saved.pk, inserted.pk]).values(*COLUMNS, "at")
    first, second = rows
    assert {k: first[k] for k in COLUMNS} == {k: second[k] for k in COLUMNS}
    assert AuditEvent.objects.get(pk=inserted.pk).at == inserted.at


def test_each_later_row_is_one_statement_with_its_own_values():
    organisation = OrganisationFactory()
    insert_row(event(organisation, 1))

    with CaptureQueriesContext(connection) as queries:
        second, third = event(organisation, 2), event(organisation, 3)
        insert_row(second)
        insert_row(third)

    assert len(queries) == 2
    assert AuditEvent.objects.get(pk=second.pk).changes == {"run": 2, "status": "confirmed"}
    assert AuditEvent.objects.get(pk=third.pk).object_id == "3"
