"""A place's charge is posted once even when several submissions post it at the same moment.

Each thread posts through the real function on its own database connection, so this needs a
database with two writers: a file-based SQLite test database or PostgreSQL.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from joinedup.learning import recharges
from joinedup.learning.models import Booking, BookingStatus, Outcome
from joinedup.learning.tests.factories import RunFactory
from joinedup.learning.tests.test_booking_concurrency import host_and_partner, needs_two_writers
from joinedup.partnership.models import AuditEvent, RechargeEntry
from joinedup.partnership.tests.factories import EmploymentFactory

WORKERS = 6


@pytest.mark.django_db(transaction=True)
def test_many_simultaneous_posts_of_one_places_charge_post_it_once():
    needs_two_writers()
    host, partner = host_and_partner()
    run = RunFactory(programme__host=host)
    booking = Booking.objects.create(
        run=run,
        person=EmploymentFactory(organisation=partner).person,
        organisation=partner,
        status=BookingStatus.CONFIRMED,
        outcome=Outcome.COMPLETED,
    )
    start = threading.Barrier(WORKERS)
    errors: list[BaseException] = []
    posted = []

    def worker() -> None:
        try:
            copy = Booking.objects.select_related("run__programme__host", "organisation").get(
                pk=booking.pk
            )
            start.wait(timeout=30)
            entry = recharges.post_place_charge(copy, recharges.ATTENDED, timezone.localdate())
            if entry is not None:
                posted.append(entry.pk)
        except BaseException as error:  # noqa: BLE001 - reported by the assertions below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert RechargeEntry.objects.count() == 1
    assert posted == [RechargeEntry.objects.get().pk]
    assert Booking.objects.get(pk=booking.pk).recharge_id == posted[0]
    assert AuditEvent.objects.filter(action="recharge.posted").count() == 2
