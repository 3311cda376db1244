"""factory_boy factories for the network app. Each area adds its own below.

These write rows directly, for setting a scene; tests of a rule go through the services.
"""

from __future__ import annotations

import factory
from django.utils import timezone

from joinedup.network.models import (
    Initiative,
    InitiativeStatus,
    MemberStatus,
    Post,
    Problem,
    Space,
    SpaceKind,
    SpaceMember,
    Thread,
)
from joinedup.network.text import render
from joinedup.partnership.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
)


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    partnership = factory.SubFactory(PartnershipFactory)
    kind = SpaceKind.COMMUNITY
    title = factory.Sequence(lambda n: f"Community {n}")
    description = "Practice, questions and what works."
    owner_organisation = factory.SubFactory(OrganisationFactory)


class SpaceMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpaceMember

    space = factory.SubFactory(SpaceFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.LazyAttribute(lambda member: member.space.owner_organisation)
    status = MemberStatus.ACTIVE


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    space = factory.SubFactory(SpaceFactory)
    title = factory.Sequence(lambda n: f"Thread {n}")
    author = factory.SubFactory(PersonFactory)
    author_organisation = factory.LazyAttribute(lambda thread: thread.space.owner_organisation)
    last_post_at = factory.LazyFunction(timezone.now)


class PostFactory(factory.django.DjangoModelFactory):
    """A reply by default; `is_opening=True` for a thread's first post."""

    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    space = factory.LazyAttribute(lambda post: post.thread.space)
    author = factory.LazyAttribute(lambda post: post.thread.author)
    author_organisation = factory.LazyAttribute(lambda post: post.thread.author_organisation)
    body = factory.Sequence(lambda n: f"Post number {n} about reflective practice.")
    body_html = factory.LazyAttribute(lambda post: render(post.body))


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    partnership = factory.SubFactory(PartnershipFactory)
    owner_organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Initiative {n}")
    summary = "Discharge to assess, with a shared trusted assessor."
    problem = Problem.DISCHARGE
    status = InitiativeStatus.PILOT
