"""factory_boy factories for the apprenticeships app. Each area adds its own below.

These write rows directly, for setting a scene; tests of a rule go through the services. The
standards of the 2021 list are loaded after every migrate (reference.py), so `senior_leader()`
is ST0480.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from joinedup.apprenticeships.models import (
    Assignment,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    FundingRoute,
    Module,
    Programme,
    Standard,
    Term,
)
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
)


def senior_leader() -> Standard:
    """The Senior Leader standard (Level 7, ST0480), as loaded after migrate (reference.py)."""
    return Standard.objects.get(reference_code="ST0480")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    partnership = factory.SubFactory(PartnershipFactory)
    provider = factory.SubFactory(OrganisationFactory)
    standard = factory.LazyFunction(senior_leader)
    title = factory.Sequence(lambda n: f"Senior Leader programme {n}")
    created_by = factory.SubFactory(PersonFactory)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    programme = factory.SubFactory(ProgrammeFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Module {n}")
    online_weeks = 6
    campus_days = 2
    term = Term.AUTUMN


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    module = factory.SubFactory(ModuleFactory)
    title = factory.Sequence(lambda n: f"Assignment {n}")
    weighting = 100


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Intake {n}")
    starts_on = dt.date(2026, 9, 1)
    ends_on = dt.date(2028, 8, 31)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An enrolment with a privately funded decision already written (no levy rows needed)."""

    class Meta:
        model = Enrolment

    reference = factory.Sequence(lambda n: f"APP-{n:06d}")
    cohort = factory.SubFactory(CohortFactory)
    employment = factory.SubFactory(EmploymentFactory)
    apprentice = factory.LazyAttribute(lambda enrolment: enrolment.employment.person)
    employer = factory.LazyAttribute(lambda enrolment: enrolment.employment.organisation)
    provider = factory.LazyAttribute(lambda enrolment: enrolment.cohort.programme.provider)
    start_on = factory.LazyAttribute(lambda enrolment: enrolment.cohort.starts_on)
    planned_end_on = factory.LazyAttribute(lambda enrolment: enrolment.cohort.ends_on)
    price = Decimal(14000)
    hours_per_week = Decimal(37)
    funding_route = FundingRoute.PRIVATE
    funding_reason = "Not eligible for levy funding under the Level 7 rule"
    required_off_the_job_hours = 400
    planned_off_the_job_hours = 400
    status = EnrolmentStatus.AWAITING_COMMITMENT
    created_by = factory.LazyAttribute(lambda enrolment: enrolment.apprentice)
