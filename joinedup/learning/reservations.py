"""Partners' reserved blocks of places on a run, and naming their staff into them.

A block claims all its places at once, on the run and on the partner's share under the cap, with
conditional updates (never read-then-write). Naming someone uses one of the block's places, so it
claims nothing new on the run; at the cut-off the unnamed places go back to the pool, before the
release gives the run's free places to waiting people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.access import current_employments, visible_people
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, Person

from . import access, notices, services
from .models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    Reservation,
    Run,
    RunOrganisationShare,
    SharingPolicy,
)

MOST_PLACES = 1000


def _audit(actor: Actor | None, action: str, reservation: Reservation, **changes) -> None:
    run = reservation.run
    audit.record(
        actor=actor,
        action=action,
        kind="reservation",
        object_id=reservation.pk,
        label=f"Reserved places on {run.programme.title} (run {run.pk})",
        organisation=run.programme.host,
        changes={"run": run.pk, "organisation": reservation.organisation_id, **changes},
    )


def _refusal(run: Run, now: dt.datetime) -> str | None:
    """Why no block may be reserved on (or named into) the run now, or None."""
    if run.is_cancelled():
        return "This run has been cancelled."
    if run.programme.sharing_policy == SharingPolicy.OWN_ONLY:
        return f"This programme is for {run.programme.host}'s own staff only."
    if run.bookings_closed(now):
        return "Bookings for this run have closed."
    if run.released_at is not None or now >= run.cut_off_at:
        return "The cut-off for reserving places on this run has passed."
    return None


def _size(places: object) -> int:
    """A whole number of places from 1 to MOST_PLACES, or a ValidationError naming the field."""
    try:
        number = int(str(places).strip())
    except ValueError:
        raise ValidationError({"places": "Number of places must be a whole number"}) from None
    if not 1 <= number <= MOST_PLACES:
        raise ValidationError({"places": f"Number of places must be from 1 to {MOST_PLACES:,}"})
    return number


def _claim(run: Run, organisation_id: int, count: int) -> None:
    """Claim `count` places on the run and the partner's share, or refuse; inside a transaction."""
    RunOrganisationShare.objects.bulk_create(
        [RunOrganisationShare(run=run, organisation_id=organisation_id, cap=run.partner_cap)],
        ignore_conflicts=True,
    )
    share = RunOrganisationShare.objects.filter(run=run, organisation_id=organisation_id)
    under_cap = Q(cap__isnull=True) | Q(places_taken__lte=F("cap") - count)
    if not share.filter(under_cap).update(places_taken=F("places_taken") + count):
        raise services.BookingRefused(
            f"That would take your organisation over the limit of {run.partner_cap} places "
            "per partner on this run."
        )
    # Still open in the same statement, so a block never lands after the release returned blocks.
    now = timezone.now()
    free = Run.objects.filter(
        pk=run.pk,
        places_taken__lte=F("capacity") - count,
        released_at__isnull=True,
        cancelled_at__isnull=True,
        cut_off_at__gt=now,
    )
    if not free.update(places_taken=F("places_taken") + count):
        fresh = Run.objects.select_related("programme__host").get(pk=run.pk)
        refusal = _refusal(fresh, now)
        raise services.BookingRefused(
            refusal or f"There are not enough places free on this run: {fresh.places_left()} left."
        )


def _give_back(run: Run, organisation_id: int, count: int) -> None:
    """Give `count` places back to the run and the partner's share."""
    if count <= 0:
        return
    RunOrganisationShare.objects.filter(
        run=run, organisation_id=organisation_id, places_taken__gte=count
    ).update(places_taken=F("places_taken") - count)
    Run.objects.filter(pk=run.pk, places_taken__gte=count).update(
        places_taken=F("places_taken") - count
    )


def reserve_places(*, actor: Actor, run: Run, places: int | str) -> Reservation:
    """A partner's L&D lead reserves a block of places on a run open to partners, before cut-off."""
    if not access.may_reserve(actor, run):
        raise PermissionDenied
    count = _size(places)
    refusal = _refusal(run, timezone.now())
    if refusal:
        raise services.BookingRefused(refusal)
    try:
        with transaction.atomic():
            if Reservation.objects.filter(run=run, organisation=actor.organisation).exists():
                raise services.BookingRefused("Your organisation already holds a block here.")
            _claim(run, actor.organisation.pk, count)
            reservation = Reservation.objects.create(
                run=run, organisation=actor.organisation, places=count, made_by=actor.person
            )
            _audit(actor, "reservation.made", reservation, places=count)
    except IntegrityError as error:
        raise services.BookingRefused("Your organisation already holds a block here.") from error
    return reservation


@transaction.atomic
def resize_reservation(*, actor: Actor, reservation: Reservation, places: int | str) -> Reservation:
    """Make a block bigger (claiming more places) or smaller (giving unnamed places back)."""
    if not access.may_manage_reservation(actor, reservation):
        raise PermissionDenied
    count = _size(places)
    run = reservation.run
    refusal = _refusal(run, timezone.now())
    if refusal:
        raise services.BookingRefused(refusal)
    before = reservation.places
    block = Reservation.objects.filter(
        pk=reservation.pk, places=before, returned_at__isnull=True, places_named__lte=count
    )
    if not block.update(places=count):
        reservation.refresh_from_db()
        if reservation.places_named > count:
            raise ValidationError(
                {"places": f"{reservation.places_named} people are named: remove some first"}
            )
        raise services.BookingRefused("This block has changed; look at it again.")
    if count > before:
        _claim(run, reservation.organisation_id, count - before)
    else:
        _give_back(run, reservation.organisation_id, before - count)
    reservation.places = count
    _audit(actor, "reservation.resized", reservation, places=count, previous=before)
    return reservation


def _employment(reservation: Reservation, person: Person) -> Employment:
    employment = (
        current_employments(person).filter(organisation_id=reservation.organisation_id).first()
    )
    if employment is None:
        raise ValidationError({"person": "Choose someone who works for your organisation now"})
    return employment


def name_into_reservation(
    *, actor: Actor, reservation: Reservation, person: Person, note: str = ""
) -> Booking:
    """Name one of the partner's current staff into the block: confirmed, claiming nothing new."""
    if not access.may_manage_reservation(actor, reservation):
        raise PermissionDenied
    run = reservation.run
    now = timezone.now()
    refusal = _refusal(run, now) or services._refusal(run, _employment(reservation, person), now)
    if refusal:
        raise services.BookingRefused(refusal)
    try:
        with transaction.atomic():
            if Booking.objects.filter(run=run, person=person, status__in=ACTIVE_STATUSES).exists():
                raise services.BookingRefused("They already have a booking on this run.")
            open_block = Reservation.objects.filter(
                pk=reservation.pk, returned_at__isnull=True, places_named__lt=F("places")
            )
            if not open_block.update(places_named=F("places_named") + 1):
                raise services.BookingRefused("Every place in the block is named already.")
            booking = Booking.objects.create(
                run=run,
                person=person,
                organisation=reservation.organisation,
                status=BookingStatus.CONFIRMED,
                requested_at=now,
                confirmed_at=now,
                adjustments_note=note.strip(),
                booked_by=actor.person,
                reservation=reservation,
            )
            services._record(actor, "booking.named", booking, reservation=reservation.pk)
            notices.booking_confirmed(booking)
    except IntegrityError as error:
        raise services.BookingRefused("They already have a booking on this run.") from error
    reservation.places_named += 1
    return booking


def back_to_block(booking: Booking) -> bool:
    """A named place cancelled before the block is returned goes back to the block; say if so."""
    if booking.reservation_id is None:
        return False
    return bool(
        Reservation.objects.filter(
            pk=booking.reservation_id, returned_at__isnull=True, places_named__gt=0
        ).update(places_named=F("places_named") - 1)
    )


def return_unnamed_places(run: Run, now: dt.datetime) -> int:
    """At the cut-off, give every block's unnamed places back to the pool; return how many."""
    returned = 0
    for reservation in Reservation.objects.filter(run=run, returned_at__isnull=True):
        # The size is worked out in the update itself, so a name landing meanwhile is counted.
        if not Reservation.objects.filter(pk=reservation.pk, returned_at__isnull=True).update(
            returned_at=now, places_returned=F("places") - F("places_named")
        ):
            continue
        reservation.refresh_from_db(fields=["returned_at", "places_returned", "places_named"])
        reservation.run = run
        _give_back(run, reservation.organisation_id, reservation.places_returned)
        _audit(None, "reservation.returned", reservation, places=reservation.places_returned)
        returned += reservation.places_returned
    return returned


# --- Reads for the run page -------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """The acting partner's block on a run (None when it has none) and whether it is still open."""

    reservation: Reservation | None
    named: list[Booking]
    open: bool


def block_for(actor: Actor, run: Run) -> Block | None:
    """The acting partner L&D lead's block on the run with its named people; None for others."""
    if not access.may_reserve(actor, run):
        return None
    reservation = Reservation.objects.filter(run=run, organisation=actor.organisation).first()
    named = []
    if reservation is not None:
        named = list(
            reservation.bookings.filter(status__in=ACTIVE_STATUSES)
            .select_related("person")
            .order_by("person__family_name", "person__given_name", "id")
        )
    return Block(
        reservation=reservation,
        named=named,
        open=_refusal(run, timezone.now()) is None,
    )


def nameable_staff(actor: Actor, reservation: Reservation, query: str = "") -> list[Employment]:
    """Current staff of the partner, in the lead's directory, in the programme's range, unbooked."""
    programme = reservation.run.programme
    booked = Booking.objects.filter(run=reservation.run, status__in=ACTIVE_STATUSES).values(
        "person"
    )
    staff = (
        Employment.objects.current()
        .filter(
            organisation_id=reservation.organisation_id,
            person__in=visible_people(actor),
        )
        .filter(
            Q(seniority__isnull=True)
            | Q(seniority__gte=programme.seniority_min, seniority__lte=programme.seniority_max)
        )
        .exclude(person__in=booked)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "id")
    )
    for word in query.split():
        staff = staff.filter(
            Q(person__given_name__icontains=word)
            | Q(person__family_name__icontains=word)
            | Q(job_title__icontains=word)
        )
    return list(staff[:200])


def blocks_on(actor: Actor, run: Run) -> list[Reservation] | None:
    """Every partner's block on the run, for the host's leads; None for everyone else."""
    if not access.may_host(actor, run):
        return None
    return list(
        access.visible_reservations(actor)
        .filter(run=run)
        .select_related("organisation")
        .order_by("organisation__name", "id")
    )
