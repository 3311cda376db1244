"""factory_boy factories for the learning app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from joinedup.learning import term_index
from joinedup.learning.models import (
    DeliveryMode,
    Programme,
    ProgrammeKind,
    Run,
    Session,
    SharingPolicy,
    Topic,
)
from joinedup.partnership.tests.factories import OrganisationFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Topic {n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A programme with its catalogue terms written, as the services write them."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    host = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Programme {n}")
    summary = "A programme for testing."
    kind = ProgrammeKind.COURSE
    delivery_mode = DeliveryMode.IN_PERSON
    hours = Decimal("6")
    cost_per_place = Decimal("250")
    partner_price = Decimal("150")
    sharing_policy = SharingPolicy.OWN_THEN_PARTNERS

    @factory.post_generation
    def topics(self, create: bool, extracted: list[Topic] | None, **kwargs) -> None:
        if not create:
            return
        if extracted:
            self.topics.set(extracted)
        term_index.index_programme(self)


class RunFactory(factory.django.DjangoModelFactory):
    """A run whose cut-off is a week away and whose bookings are open."""

    class Meta:
        model = Run

    programme = factory.SubFactory(ProgrammeFactory)
    capacity = 10
    cut_off_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    partner_price = factory.LazyAttribute(lambda o: o.programme.partner_price)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    run = factory.SubFactory(RunFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=28))
    starts_at = dt.time(9, 30)
    ends_at = dt.time(16, 30)
    venue = "Barnet House, 2 Bristol Avenue, London NW9 4EW"
