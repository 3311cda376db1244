"""Rotation rounds written at once: placing by hand never overfills a post, and matchings run
together leave one result. Each thread works through the real services on its own connection, so
these need a database with two writers: a file-based SQLite test database or PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from joinedup.learning.tests.test_booking_concurrency import needs_two_writers
from joinedup.learning.tests.test_reservation_concurrency import all_at_once, ld_lead
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import OrganisationKind, PartnershipRole
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipRoleFactory,
)
from joinedup.talent import rotations
from joinedup.talent.models import Placement

PARTICIPANTS = 4


def matched_round(capacity: int, *, ranked: bool = False, match: bool = True):
    """A round with `capacity` places in one trust post, matched with everyone unmatched (or, when
    `ranked`, every participant ranking the post first); the round, the post and the lead's job,
    to act as in each thread."""
    partnership = PartnershipFactory()
    council = OrganisationFactory(kind=OrganisationKind.LONDON_BOROUGH)
    trust = OrganisationFactory(kind=OrganisationKind.NHS_TRUST)
    for organisation in (council, trust):
        MembershipFactory(partnership=partnership, organisation=organisation)
    lead_job = EmploymentFactory(organisation=council)
    PartnershipRoleFactory(
        person=lead_job.person, partnership=partnership, role=PartnershipRole.PARTNERSHIP_LEAD
    )
    lead = Actor(person=lead_job.person, organisation=council)
    scheme = rotations.create_scheme(actor=lead, name="Graduates")
    cohort = rotations.create_cohort(
        actor=lead, scheme=scheme, name="2027", starts_on=dt.date(2027, 1, 4)
    )
    for _ in range(PARTICIPANTS):
        job = EmploymentFactory(organisation=council)
        rotations.add_participant(actor=lead, cohort=cohort, email=job.person.email)
    rotation_round = cohort.rotation_rounds.get(number=1)
    post = rotations.add_post(
        actor=ld_lead(trust), rotation_round=rotation_round, title="Ward", capacity=capacity
    )
    if ranked:
        for participant in cohort.participants.all():
            rotations.set_preferences(
                actor=Actor(person=participant.person, organisation=council),
                participant=participant,
                rotation_round=rotation_round,
                post_ids=[post.pk],
            )
    if match:
        rotations.run_matching(actor=lead, rotation_round=rotation_round)
    return rotation_round, post, lead_job


def as_lead(lead_job) -> Actor:
    """A fresh actor per thread: an actor remembers facts for one request only."""
    return Actor(person=lead_job.person, organisation=lead_job.organisation)


@pytest.mark.django_db(transaction=True)
def test_placing_by_hand_at_once_never_overfills_a_post():
    needs_two_writers()
    rotation_round, post, lead_job = matched_round(capacity=2)
    participants = list(rotation_round.cohort.participants.all())

    def place(participant):
        return lambda: rotations.place_by_hand(
            actor=as_lead(lead_job),
            rotation_round=rotation_round,
            participant_id=participant.pk,
            post_id=post.pk,
            reason="Unmatched",
        )

    errors = all_at_once([place(participant) for participant in participants])

    assert Placement.objects.filter(post=post).count() == 2
    assert len(errors) == PARTICIPANTS - 2
    assert all(isinstance(error, ValidationError) for error in errors)


@pytest.mark.django_db(transaction=True)
def test_matchings_run_at_once_leave_one_result():
    needs_two_writers()
    rotation_round, post, lead_job = matched_round(capacity=2, ranked=True, match=False)
    errors = all_at_once(
        [lambda: rotations.run_matching(actor=as_lead(lead_job), rotation_round=rotation_round)] * 3
    )
    assert errors == []
    assert Placement.objects.filter(round=rotation_round, post=post).count() == 2
