"""factory_boy factories for the trainer pool: accreditations, offers, availability, days."""

from __future__ import annotations

import datetime as dt

import factory

from joinedup.learning.tests.factories import ProgrammeFactory
from joinedup.materials.models import (
    Accreditation,
    DeliveryDay,
    DeliveryRequest,
    TrainerAvailability,
    TrainerOffer,
)
from joinedup.partnership.tests.factories import OrganisationFactory, PersonFactory


class AccreditationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accreditation

    person = factory.SubFactory(PersonFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    accredited_by = factory.SubFactory(PersonFactory)
    accredited_on = dt.date(2026, 1, 5)


class TrainerOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainerOffer
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def partners(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.partners.set(extracted)


class TrainerAvailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainerAvailability

    offer = factory.SubFactory(TrainerOfferFactory)
    starts_on = dt.date(2027, 1, 1)
    ends_on = dt.date(2027, 12, 31)


class DeliveryRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryRequest

    requesting_organisation = factory.SubFactory(OrganisationFactory)
    lending_organisation = factory.SubFactory(OrganisationFactory)
    trainer = factory.SubFactory(PersonFactory)
    accreditation = factory.SubFactory(
        AccreditationFactory, person=factory.SelfAttribute("..trainer")
    )
    programme = factory.SelfAttribute("accreditation.programme")
    places = 12
    starts_at = dt.time(9, 30)
    ends_at = dt.time(16, 30)


class DeliveryDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryDay

    request = factory.SubFactory(DeliveryRequestFactory)
    date = dt.date(2027, 3, 1)
