"""The own, partner's and outsider's delivery requests behind the delivery request routes.

Each object is a request made by the organisation (B) for the trainer of a further organisation
(A) in the same partnership, waiting for the trainer: so the personas who see it are B's L&D lead
and admin (the outsider is their organisation's admin), and none of them approves or declines it;
B's L&D lead may withdraw it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from joinedup.learning.tests.factories import ProgrammeFactory
from joinedup.materials.models import Accreditation, DeliveryDay, DeliveryRequest
from joinedup.partnership.tests.factories import (
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
)
from joinedup.partnership.tests.world import World

from .objects import Kwargs, Resolver, organisation_of


def delivery_request(world: World, which: str) -> Kwargs:
    """A request by the organisation for a further partner's trainer, waiting for the trainer."""
    requesting = organisation_of(world, which)
    partnership = world.other_partnership if which == "outsider" else world.partnership
    lender = OrganisationFactory(name=f"Lender of {which}")
    MembershipFactory(partnership=partnership, organisation=lender)
    manager = EmploymentFactory(organisation=lender, job_title="Manager")
    trainer = EmploymentFactory(organisation=lender, job_title="Trainer", line_manager=manager)
    programme = ProgrammeFactory(host=lender, delivered_by_accredited_trainers=True)
    accreditation = Accreditation.objects.create(
        person=trainer.person,
        programme=programme,
        accredited_by=manager.person,
        accredited_on=dt.date(2026, 1, 5),
    )
    request = DeliveryRequest.objects.create(
        requesting_organisation=requesting,
        lending_organisation=lender,
        trainer=trainer.person,
        accreditation=accreditation,
        programme=programme,
        places=12,
        starts_at=dt.time(9, 30),
        ends_at=dt.time(16, 30),
    )
    DeliveryDay.objects.create(request=request, date=timezone.localdate() + dt.timedelta(days=40))
    return {"pk": request.pk}


RESOLVERS: dict[str, Resolver] = {
    "materials:delivery-request": delivery_request,
    "materials:delivery-request-approve": delivery_request,
    "materials:delivery-request-decline": delivery_request,
    "materials:delivery-request-withdraw": delivery_request,
    "api:delivery_request_detail": delivery_request,
    "api:approve_delivery_request": delivery_request,
    "api:decline_delivery_request": delivery_request,
    "api:withdraw_delivery_request": delivery_request,
}

API_RESOLVERS: dict[str, Resolver] = {
    "GET /api/v1/trainers/delivery-requests/{pk}": delivery_request,
    "POST /api/v1/trainers/delivery-requests/{pk}/approve": delivery_request,
    "POST /api/v1/trainers/delivery-requests/{pk}/decline": delivery_request,
    "POST /api/v1/trainers/delivery-requests/{pk}/withdraw": delivery_request,
}
