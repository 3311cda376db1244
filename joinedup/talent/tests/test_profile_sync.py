"""A profile's copy of the person's main job follows employment changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from joinedup.partnership import scheduler
from joinedup.partnership.models import Employment, EmploymentKind, OrganisationKind, Sector
from joinedup.partnership.scheduler import discover_jobs
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from joinedup.talent import profiles
from joinedup.talent.profile_sync import sync_changed_today

pytestmark = pytest.mark.django_db


def _member(kind: str):
    organisation = OrganisationFactory(kind=kind)
    MembershipFactory(organisation=organisation)
    return organisation


def test_saving_an_employment_resyncs_the_profile_at_once() -> None:
    council = _member(OrganisationKind.LONDON_BOROUGH)
    person = PersonFactory()
    job = EmploymentFactory(
        person=person, organisation=council, seniority=4, start_date=dt.date(2020, 1, 1)
    )
    profile = profiles.profile_for(person)
    assert (profile.organisation_id, profile.sector, profile.seniority) == (
        council.pk,
        Sector.LOCAL_GOVERNMENT,
        4,
    )

    job.seniority = 6
    job.save()
    profile.refresh_from_db()
    assert profile.seniority == 6


def test_the_daily_job_follows_a_job_that_ended_by_the_calendar() -> None:
    council = _member(OrganisationKind.LONDON_BOROUGH)
    person = PersonFactory()
    job = EmploymentFactory(
        person=person, organisation=council, seniority=4, start_date=dt.date(2020, 1, 1)
    )
    profile = profiles.profile_for(person)
    today = timezone.localdate()
    # The job's last day passes without a save (as if recorded in advance).
    Employment.objects.filter(pk=job.pk).update(end_date=today - dt.timedelta(days=1))
    profile.refresh_from_db()
    assert profile.organisation_id == council.pk

    assert sync_changed_today(today) == 1
    profile.refresh_from_db()
    assert (profile.organisation_id, profile.sector, profile.seniority) == (None, "", None)
    assert sync_changed_today(today) == 0


def test_the_daily_job_is_registered() -> None:
    discover_jobs()
    assert "talent-profile-sync" in scheduler.JOBS


def test_a_secondment_leaves_the_profile_with_the_home_employer() -> None:
    council = _member(OrganisationKind.LONDON_BOROUGH)
    trust = OrganisationFactory(kind=OrganisationKind.NHS_TRUST)
    MembershipFactory(organisation=trust, partnership=council.memberships.first().partnership)
    person = PersonFactory()
    EmploymentFactory(
        person=person, organisation=council, seniority=4, start_date=dt.date(2020, 1, 1)
    )
    profile = profiles.profile_for(person)
    EmploymentFactory(
        person=person,
        organisation=trust,
        kind=EmploymentKind.SECONDMENT,
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + dt.timedelta(days=180),
    )
    profile.refresh_from_db()
    assert (profile.organisation_id, profile.sector) == (council.pk, Sector.LOCAL_GOVERNMENT)
