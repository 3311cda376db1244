"""The only functions that fetch learning objects for an actor, built on the partnership primitives.

Another organisation's private programme, run or booking is a 404 (Http404); a visible one the
actor may not change is a 403 (PermissionDenied).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from joinedup.partnership.access import (
    current_employments,
    has_role,
    is_line_manager_of,
    managed_employments,
    partner_organisations,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, OrganisationRole, Person

from .models import Booking, Programme, Run, SharingPolicy

HOST_ROLES = (OrganisationRole.LD_LEAD, OrganisationRole.PROGRAMME_LEADER)


# --- Catalogue -------------------------------------------------------------------------------


def visible_programmes(actor: Actor) -> QuerySet[Programme]:
    """The acting organisation's own programmes, and partners' programmes not kept for own staff."""
    if actor.organisation is None:
        return Programme.objects.none()
    own = Q(host=actor.organisation)
    from_partners = Q(host__in=partner_organisations(actor))
    shared = ~Q(sharing_policy=SharingPolicy.OWN_ONLY)
    return Programme.objects.filter(own | (from_partners & shared))


def get_programme_for(actor: Actor, pk: int) -> Programme:
    """One visible programme, or 404."""
    programme = visible_programmes(actor).filter(pk=pk).select_related("host").first()
    if programme is None:
        raise Http404("No such programme")
    return programme


def visible_runs(actor: Actor) -> QuerySet[Run]:
    """Runs of the programmes the actor can see."""
    return Run.objects.filter(programme__in=visible_programmes(actor))


def get_run_for(actor: Actor, pk: int) -> Run:
    """One run of a visible programme, or 404."""
    run = visible_runs(actor).filter(pk=pk).select_related("programme__host").first()
    if run is None:
        raise Http404("No such run")
    return run


def may_host(actor: Actor, run: Run) -> bool:
    """The host's L&D leads and programme leaders, acting for the host, manage its runs."""
    if actor.organisation is None or actor.organisation.pk != run.programme.host_id:
        return False
    return any(has_role(actor, role) for role in HOST_ROLES)


# --- Bookings --------------------------------------------------------------------------------


def booking_employment(actor: Actor, person: Person) -> Employment:
    """The job a booking for this person is made under: their own, or a report's; else 403."""
    if actor.person is None or actor.organisation is None:
        raise PermissionDenied
    if actor.person.pk == person.pk:
        employment = current_employments(person).filter(organisation=actor.organisation).first()
    else:
        employment = managed_employments(actor).filter(person=person).first()
    if employment is None:
        raise PermissionDenied
    return employment


def visible_bookings(actor: Actor) -> QuerySet[Booking]:
    """The actor's own bookings, their reports' bookings, and bookings on runs they host."""
    if actor.person is None or actor.organisation is None:
        return Booking.objects.none()
    own = Q(person=actor.person)
    reports = Q(
        person__in=managed_employments(actor).values("person"), organisation=actor.organisation
    )
    condition = own | reports
    if any(has_role(actor, role) for role in HOST_ROLES):
        condition |= Q(run__programme__host=actor.organisation)
    return Booking.objects.filter(condition)


def get_booking_for(actor: Actor, pk: int) -> Booking:
    """One visible booking, or 404."""
    booking = visible_bookings(actor).filter(pk=pk).select_related("run__programme__host").first()
    if booking is None:
        raise Http404("No such booking")
    return booking


def may_decide(actor: Actor, booking: Booking) -> bool:
    """Only the person's line manager, acting for the organisation booked for, approves."""
    if actor.organisation is None or actor.organisation.pk != booking.organisation_id:
        return False
    return is_line_manager_of(actor, booking.person)


def may_answer_offer(actor: Actor, booking: Booking) -> bool:
    """The person themselves, or their line manager, accepts or declines an offered place."""
    if actor.person is not None and actor.person.pk == booking.person_id:
        return True
    return may_decide(actor, booking)


def may_cancel(actor: Actor, booking: Booking) -> bool:
    """The person themselves, their line manager, or the run's host may cancel a booking."""
    if actor.person is not None and actor.person.pk == booking.person_id:
        return True
    if may_decide(actor, booking):
        return True
    return may_host(actor, booking.run)
