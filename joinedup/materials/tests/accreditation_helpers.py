"""Helpers for the accreditation tests: an accredited programme, trainers, runs with learners."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from joinedup.learning.models import Booking, BookingStatus, Outcome, Programme, Run
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory
from joinedup.materials.models import Accreditation
from joinedup.partnership.models import Organisation, Person
from joinedup.partnership.tests.factories import EmploymentFactory

TODAY = timezone.localdate()
YEAR_AGO = TODAY - dt.timedelta(days=365)


def accredited_programme(host: Organisation, **fields) -> Programme:
    return ProgrammeFactory(
        host=host,
        title="Motivational interviewing",
        delivered_by_accredited_trainers=True,
        **fields,
    )


def staff_at(organisation: Organisation, email: str) -> Person:
    return EmploymentFactory(organisation=organisation, person__email=email).person


def accreditation(
    person: Person,
    programme: Programme,
    *,
    by: Person,
    trained_by: Accreditation | None = None,
    on: dt.date = YEAR_AGO,
    expires: dt.date | None = None,
) -> Accreditation:
    """An accreditation written directly (the service is tested on its own)."""
    return Accreditation.objects.create(
        person=person,
        programme=programme,
        trained_by=trained_by,
        accredited_by=by,
        accredited_on=on,
        expires_on=expires or on + dt.timedelta(days=3 * 365),
        evidence_url="https://learning.example.test/evidence",
    )


def delivered_run(
    programme: Programme, trainer: Person, on: dt.date, learners: list[tuple[Person, str]]
) -> Run:
    """A run the trainer delivered on the day, with each learner's booking and outcome."""
    run = RunFactory(programme=programme, trainer=trainer, capacity=max(len(learners), 1))
    SessionFactory(run=run, date=on)
    for learner, outcome in learners:
        Booking.objects.create(
            run=run,
            person=learner,
            organisation=programme.host,
            status=BookingStatus.CONFIRMED,
            outcome=outcome,
        )
    return run


def learners(organisation: Organisation, label: str, count: int) -> list[Person]:
    return [staff_at(organisation, f"{label}{i}@learners.test") for i in range(count)]


ATTENDED = Outcome.COMPLETED
