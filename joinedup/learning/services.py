"""Every write to bookings: booking a place, cancelling, approving and declining.

A place is claimed with one conditional update of a counter (`places_taken < capacity`, and the
same for a partner's share under the per-partner cap), never read-then-write, in the transaction
that writes the booking and its audit entry (DESIGN.md, "Claiming a limited thing").
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from joinedup.lib.contract_input import Instant
from joinedup.partnership import audit
from joinedup.partnership.access import are_partners, is_line_manager_of
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, Organisation, Person

from . import access, allocation
from .models import (
    ACTIVE_STATUSES,
    HOLDING_STATUSES,
    Booking,
    BookingStatus,
    ReleaseMode,
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


def _record(actor: Actor | None, action: str, booking: Booking, **changes) -> None:
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
    if previous in HOLDING_STATUSES:
        _give_places(booking.run, now, actor, "booking.passed_on")
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


# --- Release of unfilled places, offers and passing freed places on ----------------------------

RECEIVED_PERIOD = dt.timedelta(days=365)


def _received_last_365_days(run: Run, now: dt.datetime) -> dict[str, int]:
    """Confirmed places each partner received on the host's runs in the last 365 days."""
    host_id = run.programme.host_id
    rows = (
        Booking.objects.filter(
            run__programme__host_id=host_id,
            status=BookingStatus.CONFIRMED,
            confirmed_at__gte=now - RECEIVED_PERIOD,
        )
        .exclude(organisation_id=host_id)
        .values("organisation_id")
        .annotate(count=Count("id"))
    )
    return {str(row["organisation_id"]): row["count"] for row in rows}


def _give_places(run: Run, now: dt.datetime, actor: Actor | None, action: str) -> list[Booking]:
    """Give the run's free places to its eligible waiting bookings by the release rule.

    Each place is claimed with the conditional counter update, then the booking moves from
    waiting with a conditional update; a booking someone else changed meanwhile gives its place
    back, and the rule is applied again so no place is skipped.
    """
    given: list[Booking] = []
    for _attempt in range(3):
        # The caller's copy of the run may be older than a release or a change of its rules.
        row = (
            Run.objects.filter(pk=run.pk)
            .values_list("places_taken", "capacity", "released_at", "partner_cap", "release_mode")
            .first()
        )
        if row is None:
            break
        fresh, run.capacity, run.released_at, run.partner_cap, run.release_mode = row
        if fresh >= run.capacity:
            break
        waiting = [
            booking
            for booking in Booking.objects.filter(run=run, status=BookingStatus.WAITING)
            .select_related("organisation")
            .order_by("requested_at", "id")
            if open_to(run, booking.organisation)
        ]
        if not waiting:
            break
        held = dict(
            RunOrganisationShare.objects.filter(run=run).values_list(
                "organisation_id", "places_taken"
            )
        )
        outcome = allocation.allocate(
            allocation.Run(
                id=str(run.pk),
                host=str(run.programme.host_id),
                capacity=run.capacity,
                confirmed=fresh,
                cap_per_organisation=run.partner_cap,
            ),
            [
                allocation.Request(
                    id=str(booking.pk),
                    organisation=str(booking.organisation_id),
                    requested_at=Instant.of(booking.requested_at),
                    approved=True,
                )
                for booking in waiting
            ],
            received_last_365_days=_received_last_365_days(run, now),
            held_by_organisation={str(org): count for org, count in held.items()},
        )
        by_id = {str(booking.pk): booking for booking in waiting}
        skipped = False
        for allocated in outcome.allocated:
            booking = by_id[allocated.request]
            if not _claim_place(run, booking.organisation):
                skipped = True
                continue
            if run.release_mode == ReleaseMode.OFFER:
                fields = {
                    "status": BookingStatus.OFFERED,
                    "offer_expires_at": now + dt.timedelta(hours=run.offer_window_hours),
                }
            else:
                fields = {"status": BookingStatus.CONFIRMED, "confirmed_at": now}
            moved = Booking.objects.filter(pk=booking.pk, status=BookingStatus.WAITING).update(
                **fields
            )
            if not moved:
                _free_place(run, booking.organisation)
                skipped = True
                continue
            for name, value in fields.items():
                setattr(booking, name, value)
            booking.run = run
            _record(actor, action, booking, given_by="release rule")
            given.append(booking)
        if not skipped:
            break
    return given


def release_unfilled_places(*, actor: Actor | None, run: Run) -> list[Booking]:
    """Release the run's unfilled places to waiting people by the rule, once, in one transaction."""
    # `actor` is None for the scheduled job; a person releasing early by hand must host the run.
    # Setting `released_at` where it is still empty is the claim of the release itself, so a second
    # call gives nothing, and a call that fails halfway leaves the run unreleased, to be done again.
    if actor is not None and not access.may_host(actor, run):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        if not Run.objects.filter(pk=run.pk, released_at__isnull=True).update(released_at=now):
            run.refresh_from_db(fields=["released_at"])
            return []
        run.released_at = now
        given = _give_places(run, now, actor, "booking.released")
        audit.record(
            actor=actor,
            action="run.released",
            kind="run",
            object_id=run.pk,
            label=f"{run.programme.title} (run {run.pk})",
            organisation=run.programme.host,
            changes={
                "places_given": len(given),
                "release_mode": run.release_mode,
                "bookings": [booking.pk for booking in given],
            },
        )
    return given


def _may_answer_offer(actor: Actor, booking: Booking) -> bool:
    return (actor.person is not None and actor.person.pk == booking.person_id) or (
        access.may_decide(actor, booking)
    )


@transaction.atomic
def accept_offer(*, actor: Actor, booking: Booking) -> Booking:
    """The person (or their line manager) takes up an offered place before it lapses."""
    if not _may_answer_offer(actor, booking):
        raise PermissionDenied
    now = timezone.now()
    taken = Booking.objects.filter(
        pk=booking.pk, status=BookingStatus.OFFERED, offer_expires_at__gt=now
    ).update(status=BookingStatus.CONFIRMED, confirmed_at=now)
    if not taken:
        booking.refresh_from_db()
        if booking.status in (BookingStatus.OFFERED, BookingStatus.LAPSED):
            raise BookingRefused("This offer has lapsed.")
        raise BookingRefused("This booking has changed; look at it again.")
    booking.status = BookingStatus.CONFIRMED
    booking.confirmed_at = now
    _record(actor, "booking.accepted", booking)
    return booking


@transaction.atomic
def decline_offer(*, actor: Actor, booking: Booking) -> Booking:
    """The person (or their line manager) turns an offer down; the place passes to the next."""
    if not _may_answer_offer(actor, booking):
        raise PermissionDenied
    _move(booking, frm=(BookingStatus.OFFERED,), status=BookingStatus.DECLINED)
    _free_place(booking.run, booking.organisation)
    _record(actor, "booking.offer_declined", booking)
    _give_places(booking.run, timezone.now(), actor, "booking.passed_on")
    return booking


def lapse_offers(now: dt.datetime | None = None) -> int:
    """Lapse every offer past its expiry, passing each place on by the rule; return how many."""
    now = now or timezone.now()
    expired = Booking.objects.filter(
        status=BookingStatus.OFFERED, offer_expires_at__lte=now
    ).select_related("run__programme__host", "organisation")
    lapsed = 0
    for booking in list(expired):
        with transaction.atomic():
            # Two workers may find the same offer; only the one whose update lands lapses it.
            if not Booking.objects.filter(
                pk=booking.pk, status=BookingStatus.OFFERED, offer_expires_at__lte=now
            ).update(status=BookingStatus.LAPSED):
                continue
            booking.status = BookingStatus.LAPSED
            _free_place(booking.run, booking.organisation)
            _record(None, "booking.lapsed", booking)
            _give_places(booking.run, now, None, "booking.passed_on")
            lapsed += 1
    return lapsed
