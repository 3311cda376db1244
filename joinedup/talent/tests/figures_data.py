"""Small helpers for the figures tests: a secondment, a leaver, a prior job, a placement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from joinedup.partnership.models import Destination, Employment, EmploymentKind, Organisation
from joinedup.partnership.tests.factories import EmploymentFactory
from joinedup.talent.models import (
    Cohort,
    Participant,
    Placement,
    PriorExperience,
    Profile,
    RotationPost,
    RotationRound,
    RotationScheme,
    RoundStatus,
)


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def second(world, persona: str, host: Organisation, *, started_days_ago: int) -> Employment:
    """A secondment of the persona to the host, started some days ago, for a year."""
    start = days_ago(started_days_ago)
    return EmploymentFactory(
        person=world.person(persona),
        organisation=host,
        job_title="Seconded project lead",
        kind=EmploymentKind.SECONDMENT,
        start_date=start,
        end_date=start + dt.timedelta(days=365),
    )


def leave(
    world,
    persona: str,
    destination: str,
    *,
    to: Organisation | None = None,
    left_days_ago: int = 10,
) -> Employment:
    """End the persona's standing job some days ago, with a destination."""
    job = world.employments[persona]
    job.end_date = days_ago(left_days_ago)
    job.destination = destination
    job.destination_organisation = to
    job.save()
    return job


def prior(world, persona: str, sector: str, years: str, organisation_name: str = "") -> None:
    profile, _ = Profile.objects.get_or_create(
        person=world.person(persona), defaults={"partnership": world.partnership}
    )
    PriorExperience.objects.create(
        profile=profile,
        sector=sector,
        role="Analyst",
        years=Decimal(years),
        organisation_name=organisation_name,
    )


def place(world, persona: str, host: Organisation, start: dt.date, end: dt.date, status: str):
    """A rotation placement of the persona at the host for a round with these dates."""
    scheme = RotationScheme.objects.create(partnership=world.partnership, name="Graduates")
    cohort = Cohort.objects.create(scheme=scheme, name="2026", starts_on=start)
    rotation_round = RotationRound.objects.create(
        cohort=cohort, number=1, starts_on=start, ends_on=end, status=status
    )
    post = RotationPost.objects.create(round=rotation_round, host=host, title="Analyst")
    participant = Participant.objects.create(
        cohort=cohort, person=world.person(persona), home_organisation=world.own
    )
    return Placement.objects.create(round=rotation_round, participant=participant, post=post)


__all__ = ["Destination", "RoundStatus", "days_ago", "leave", "place", "prior", "second"]
