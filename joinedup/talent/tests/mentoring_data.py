"""Test helpers of mentoring: a mentoring lead of the standing world's partnership, people to
sign up, and sign-ups made through the service."""

from __future__ import annotations

from django.test import Client

from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Organisation, PartnershipRole
from joinedup.partnership.tests.factories import EmploymentFactory, PartnershipRoleFactory
from joinedup.partnership.tests.world import World
from joinedup.talent import mentoring_services
from joinedup.talent.models import MentoringSignup


def lead_actor(world: World) -> Actor:
    """A mentoring lead at the ICB (made here, so tests do not depend on the persona)."""
    employment = EmploymentFactory(
        organisation=world.icb,
        person__email="mia.mentoring@icb.test",
        person__given_name="Mia",
        person__family_name="Mentoring",
    )
    PartnershipRoleFactory(
        person=employment.person,
        partnership=world.partnership,
        role=PartnershipRole.MENTORING_LEAD,
    )
    return Actor(person=employment.person, organisation=world.icb)


def client_of(actor: Actor) -> Client:
    client = Client()
    client.force_login(actor.person, backend="joinedup.partnership.auth.EmailBackend")
    return client


def person_at(organisation: Organisation, name: str) -> Actor:
    """A new member of staff of the organisation, acting for it."""
    given, family = name.split()
    employment = EmploymentFactory(
        organisation=organisation,
        person__email=f"{given.lower()}.{family.lower()}@{organisation.pk}.test",
        person__given_name=given,
        person__family_name=family,
    )
    return Actor(person=employment.person, organisation=organisation)


def mentor(actor: Actor, skills: str = "Budgeting, Leadership", capacity: int = 1, **more):
    return mentoring_services.sign_up(
        actor=actor, role="mentor", skills=skills, capacity=capacity, **more
    )


def mentee(actor: Actor, wants: str = "Budgeting", skills: str = "", **more) -> MentoringSignup:
    return mentoring_services.sign_up(
        actor=actor, role="mentee", aspirations=wants, skills=skills, **more
    )
