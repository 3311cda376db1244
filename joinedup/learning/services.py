"""Every write to bookings: booking a place, cancelling, approving and declining.

A place is claimed with one conditional update of a counter (`places_taken < capacity`, and the
same for a partner's share under the per-partner cap), never read-then-write, in the transaction
that writes the booking and its audit entry (DESIGN.md, "Claiming a limited thing").
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.access import are_partners, is_line_manager_of
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, Organisation, Person

from . import access
from .models import (
    ACTIVE_STATUSES,
    HOLDING_STATUSES,
    Booking,
    BookingStatus,
    Run,
    RunOrganisationShare,
    SharingPolicy,
)


class BookingRefused(Exception):
    """A booking that the run's rules do not allow; the message says why, for the person."""


def open_to(run: Run, organisation: Organisation) -> bool:
    """Whether the run's sharing policy lets the organisation take a free place at this moment."""
    if organisation.pk == run.programme.host_id:
        return True
    if run.programme.sharing_policy == SharingPolicy.PARTNERS_FROM_START:
        return True
    if run.programme.sharing_policy == SharingPolicy.OWN_THEN_PARTNERS:
        return run.released_at is not None
    return False


def _refusal(run: Run, employment: Employment, now: dt.datetime) -> str | None:
    """Why this job may not book the run at all (not even on the waiting list), or None."""
    programme = run.programme
    organisation = employment.organisation
    if run.bookings_closed(now):
        return "Bookings for this run have closed."
    if organisation.pk != programme.host_id:
        if programme.sharing_policy == SharingPolicy.OWN_ONLY:
            return f"This programme is for {programme.host}'s own staff only."
        if not are_partners(programme.host, organisation):
            return "This programme is not offered to your organisation."
    seniority = employment.seniority
    if seniority is not None and not (
        programme.seniority_min <= seniority <= programme.seniority_max
    ):
        return (
            f"This programme is for seniority {programme.seniority_min} "
            f"to {programme.seniority_max}."
        )
    return None


def _claim_place(run: Run, organisation: Organisation) -> bool:
    """Take one of the run's places for the organisation if one is free to it now."""
    if not open_to(run, organisation):
        return False
    partner = organisation.pk != run.programme.host_id
    if partner:
        RunOrganisationShare.objects.bulk_create(
            [RunOrganisationShare(run=run, organisation=organisation, cap=run.partner_cap)],
            ignore_conflicts=True,
        )
        share = RunOrganisationShare.objects.filter(run=run, organisation=organisation)
        under_cap = Q(cap__isnull=True) | Q(places_taken__lt=F("cap"))
        if not share.filter(under_cap).update(places_taken=F("places_taken") + 1):
            return False
    free = Run.objects.filter(pk=run.pk, places_taken__lt=F("capacity"))
    if free.update(places_taken=F("places_taken") + 1):
        return True
    if partner:
        share.update(places_taken=F("places_taken") - 1)
    return False


def _free_place(run: Run, organisation: Organisation) -> None:
    """Give back a place the organisation held on the run (and its share of the cap)."""
    if organisation.pk != run.programme.host_id:
        RunOrganisationShare.objects.filter(
            run=run, organisation=organisation, places_taken__gt=0
        ).update(places_taken=F("places_taken") - 1)
    Run.objects.filter(pk=run.pk, places_taken__gt=0).update(places_taken=F("places_taken") - 1)


def _place_or_wait(booking: Booking, now: dt.datetime) -> None:
    """Confirm the booking if a place is free to its organisation now, otherwise put it waiting."""
    if _claim_place(booking.run, booking.organisation):
        booking.status = BookingStatus.CONFIRMED
        booking.confirmed_at = now
    else:
        booking.status = BookingStatus.WAITING


def _record(actor: Actor, action: str, booking: Booking, **changes) -> None:
    run = booking.run
    audit.record(
        actor=actor,
        action=action,
        kind="booking",
        object_id=booking.pk,
        label=f"Booking on {run.programme.title} (run {run.pk})",
        organisation=run.programme.host,
        changes={
            "run": run.pk,
            "person": booking.person_id,
            "organisation": booking.organisation_id,
            "status": booking.status,
            **changes,
        },
    )


def book_place(*, actor: Actor, run: Run, person: Person, note: str = "") -> Booking:
    """Book the person on the run: confirmed if a place is free to them now, else waiting."""
    employment = access.booking_employment(actor, person)
    now = timezone.now()
    refusal = _refusal(run, employment, now)
    if refusal:
        raise BookingRefused(refusal)
    booking = Booking(
        run=run,
        person=person,
        organisation=employment.organisation,
        requested_at=now,
        adjustments_note=note.strip(),
        booked_by=actor.person,
    )
    # A line manager booking for their report approves it by doing so.
    by_manager = is_line_manager_of(actor, person)
    try:
        with transaction.atomic():
            if Booking.objects.filter(run=run, person=person, status__in=ACTIVE_STATUSES).exists():
                raise BookingRefused("They already have a booking on this run.")
            if run.programme.approval_required and not by_manager:
                booking.status = BookingStatus.REQUESTED
            else:
                if run.programme.approval_required:
                    booking.approved_by = actor.person
                    booking.approved_at = now
                _place_or_wait(booking, now)
            booking.save()
            _record(actor, f"booking.{booking.status}", booking)
    except IntegrityError as error:
        # Two bookings for one person at once: the unique constraint lets only one through.
        raise BookingRefused("They already have a booking on this run.") from error
    return booking


def _move(booking: Booking, *, frm: tuple[str, ...], **fields) -> str:
    """Change a booking's status only if it is still in one of `frm`; return the status it had."""
    current = Booking.objects.filter(pk=booking.pk).values_list("status", flat=True).first()
    if current not in frm or not Booking.objects.filter(pk=booking.pk, status=current).update(
        **fields
    ):
        raise BookingRefused("This booking has changed; look at it again.")
    for name, value in fields.items():
        setattr(booking, name, value)
    return current


@transaction.atomic
def cancel_booking(*, actor: Actor, booking: Booking) -> Booking:
    """Cancel a booking or waiting request; a place it held is freed in the same transaction."""
    if not access.may_cancel(actor, booking):
        raise PermissionDenied
    now = timezone.now()
    previous = _move(booking, frm=ACTIVE_STATUSES, status=BookingStatus.CANCELLED, cancelled_at=now)
    if previous in HOLDING_STATUSES:
        _free_place(booking.run, booking.organisation)
    _record(actor, "booking.cancelled", booking, previous=previous)
    return booking


@transaction.atomic
def approve_booking(*, actor: Actor, booking: Booking) -> Booking:
    """A line manager approves a request: it is confirmed if a place is free, else it waits."""
    if not access.may_decide(actor, booking):
        raise PermissionDenied
    now = timezone.now()
    _move(
        booking,
        frm=(BookingStatus.REQUESTED,),
        status=BookingStatus.WAITING,
        approved_by=actor.person,
        approved_at=now,
    )
    _place_or_wait(booking, now)
    if booking.status == BookingStatus.CONFIRMED:
        Booking.objects.filter(pk=booking.pk).update(
            status=booking.status, confirmed_at=booking.confirmed_at
        )
    _record(actor, "booking.approved", booking)
    return booking


@transaction.atomic
def decline_booking(*, actor: Actor, booking: Booking, reason: str) -> Booking:
    """A line manager declines a request, giving a reason the person will see."""
    if not access.may_decide(actor, booking):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter a reason for declining the booking"})
    _move(
        booking,
        frm=(BookingStatus.REQUESTED,),
        status=BookingStatus.DECLINED,
        decline_reason=reason,
    )
    # The reason is free text about a person, so it stays on the booking, not in the audit log.
    _record(actor, "booking.declined", booking)
    return booking
