"""A delivery request's setting for tests: the partner (NHS trust) lends an accredited trainer
with a line manager to the own organisation (a London borough), which asks for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from joinedup.learning.models import Programme
from joinedup.learning.tests.factories import ProgrammeFactory, TopicFactory
from joinedup.materials import services
from joinedup.materials.models import (
    Accreditation,
    DeliveryRequest,
    TrainerAvailability,
    TrainerOffer,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Person
from joinedup.partnership.tests.factories import EmploymentFactory, PersonFactory
from joinedup.partnership.tests.world import World


@dataclass
class Lending:
    world: World
    programme: Programme
    trainer: Person
    manager: Person
    accreditation: Accreditation
    offer: TrainerOffer

    @property
    def requester(self) -> Actor:
        """The own organisation's L&D lead (organisation B)."""
        return self.world.actor("own_ld_lead")

    @property
    def as_trainer(self) -> Actor:
        return Actor(person=self.trainer, organisation=self.world.partner)

    @property
    def as_manager(self) -> Actor:
        return Actor(person=self.manager, organisation=self.world.partner)

    @property
    def as_lead(self) -> Actor:
        """The partner's L&D lead (organisation A)."""
        return self.world.actor("partner_ld_lead")

    def days(self, *offsets: int) -> list[dt.date]:
        today = timezone.localdate()
        return [today + dt.timedelta(days=offset) for offset in offsets or (30, 31)]

    def ask(self, **given) -> DeliveryRequest:
        """The own L&D lead asks for the trainer (two days a month ahead, 09:30 to 16:30)."""
        values = {
            "actor": self.requester,
            "trainer": self.trainer,
            "programme": self.programme,
            "dates": self.days(),
            "starts_at": dt.time(9, 30),
            "ends_at": dt.time(16, 30),
            "places": 16,
            "venue": "Hendon Town Hall",
            "day_rate": Decimal("350.00"),
            "message": "For our new social work teams.",
            **given,
        }
        return services.request_delivery(**values)

    def approve_all(self, request: DeliveryRequest) -> DeliveryRequest:
        for actor in (self.as_trainer, self.as_manager, self.as_lead):
            request = services.approve_delivery(actor=actor, request=request)
        return request


def lending(world: World) -> Lending:
    """The partner's accredited trainer, in the pool for a year from tomorrow."""
    partner = world.partner
    topics = [TopicFactory(name="Trauma-informed practice")]
    programme = ProgrammeFactory(
        host=partner,
        title="Trauma-informed care",
        summary="Two days for front-line staff.",
        delivered_by_accredited_trainers=True,
        topics=topics,
    )
    manager_job = EmploymentFactory(
        person=PersonFactory(given_name="Mo", family_name="Manager"),
        organisation=partner,
        job_title="Ward manager",
    )
    trainer = PersonFactory(given_name="Tara", family_name="Trainer")
    EmploymentFactory(
        person=trainer, organisation=partner, job_title="Nurse educator", line_manager=manager_job
    )
    accreditation = Accreditation.objects.create(
        person=trainer,
        programme=programme,
        accredited_by=world.partner_ld_lead,
        accredited_on=dt.date(2026, 1, 5),
    )
    offer = TrainerOffer.objects.create(person=trainer, organisation=partner, days_per_month=4)
    today = timezone.localdate()
    TrainerAvailability.objects.create(
        offer=offer, starts_on=today + dt.timedelta(days=1), ends_on=today + dt.timedelta(days=365)
    )
    return Lending(world, programme, trainer, manager_job.person, accreditation, offer)
