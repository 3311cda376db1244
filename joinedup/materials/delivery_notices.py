"""E-mails about delivery requests: whoever's turn it is to approve, and the outcome.

The services call `waiting` or `decided` inside their transaction; once that commits, one
background task (`tasks.send_delivery_notices`) works out who to tell from the request's status
at that moment and sends each of them one e-mail. A write that rolls back sends nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from joinedup.partnership.models import (
    Employment,
    OrganisationRole,
    OrganisationRoleGrant,
    Person,
)
from joinedup.partnership.notifications import notify

from .models import DeliveryRequest, DeliveryStatus

WAITING = "delivery_request_waiting"
DECIDED = "delivery_request_decided"


def _queue(request: DeliveryRequest) -> None:
    # Imported here: the task module imports the services, which import this one.
    from .tasks import send_delivery_notices

    request_id = request.pk
    transaction.on_commit(lambda: send_delivery_notices.enqueue(request_id=request_id))


def waiting(request: DeliveryRequest) -> None:
    """Tell the next approver (or, once approved, the requester and the trainer) after commit."""
    _queue(request)


def decided(request: DeliveryRequest) -> None:
    """Tell the requester (declined) or the trainer (withdrawn) after commit."""
    _queue(request)


def _lending_ld_leads(request: DeliveryRequest) -> list[int]:
    on_staff = Employment.objects.current().filter(organisation_id=request.lending_organisation_id)
    return list(
        OrganisationRoleGrant.objects.filter(
            organisation_id=request.lending_organisation_id,
            role=OrganisationRole.LD_LEAD,
            person_id__in=on_staff.values("person_id"),
        ).values_list("person_id", flat=True)
    )


def recipients(request: DeliveryRequest) -> tuple[str, list[Person]]:
    """The template and the people to tell about the request as it stands now."""
    # Imported here: the services import this module.
    from .services.deliveries import line_manager_of

    status = request.status
    ids: list[int | None] = []
    template = WAITING
    if status == DeliveryStatus.AWAITING_TRAINER:
        ids = [request.trainer_id]
    elif status == DeliveryStatus.AWAITING_MANAGER:
        manager = line_manager_of(request.trainer, request.lending_organisation)
        ids = [manager.pk if manager else None]
    elif status == DeliveryStatus.AWAITING_LEAD:
        ids = _lending_ld_leads(request)
    elif status == DeliveryStatus.APPROVED:
        template, ids = DECIDED, [request.requested_by_id, request.trainer_id]
    elif status == DeliveryStatus.DECLINED:
        template, ids = DECIDED, [request.requested_by_id]
    elif status == DeliveryStatus.WITHDRAWN:
        template, ids = DECIDED, [request.trainer_id]
    people = Person.objects.filter(pk__in=[pk for pk in ids if pk], is_active=True).order_by("pk")
    return template, list(people)


def send(request_id: int) -> int:
    """Send the request's e-mail to each person to tell; return how many went."""
    request = (
        DeliveryRequest.objects.select_related(
            "requesting_organisation", "lending_organisation", "trainer", "programme"
        )
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return 0
    template, people = recipients(request)
    context = {
        "request": request,
        "days": list(request.days.all()),
        "request_url": settings.SITE_URL
        + reverse("materials:delivery-request", kwargs={"pk": request.pk}),
    }
    return sum(1 for person in people if notify(person, template, context))
