"""Every write to programmes, runs and bookings: adding them, booking, cancelling, approving.

A place is claimed with one conditional update of a counter (`places_taken < capacity`, and the
same for a partner's share under the per-partner cap), never read-then-write, in the transaction
that writes the booking and its audit entry (DESIGN.md, "Claiming a limited thing").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Case, Count, Exists, F, Q, Value, When
from django.utils import timezone

from joinedup.lib.contract_input import Instant
from joinedup.lib.row_insert import insert_row
from joinedup.partnership import audit
from joinedup.partnership.access import are_partners, has_role, is_line_manager_of
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Employment, Organisation, Person

from . import (
    access,
    allocation,
    commissions,
    interest,
    notices,
    overlap,
    recharges,
    reservations,
    similar,
    term_index,
)
from .models import (
    ACTIVE_STATUSES,
    DEFAULT_OFFER_WINDOW_HOURS,
    HOLDING_STATUSES,
    LONDON,
    Booking,
    BookingStatus,
    DeliveryMode,
    Programme,
    ProgrammeKind,
    Release,
    ReleaseMode,
    Reservation,
    Run,
    RunOrganisationShare,
    Session,
    SharingPolicy,
    Topic,
    default_cut_off,
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


def _refusal(run: Run, employment: Employment | access.BookingJob, now: dt.datetime) -> str | None:
    """Why this job may not book the run at all (not even on the waiting list), or None.

    A `BookingJob` knows already whether its organisation is a partner of the host; of an
    employment (someone named into a reserved block) it is asked here.
    """
    programme = run.programme
    organisation = employment.organisation
    if run.is_cancelled():
        return "This run has been cancelled."
    if run.bookings_closed(now):
        return "Bookings for this run have closed."
    if organisation.pk != programme.host_id:
        if programme.sharing_policy == SharingPolicy.OWN_ONLY:
            return f"This programme is for {programme.host}'s own staff only."
        if isinstance(employment, access.BookingJob):
            partners = employment.partner_of_host
        else:
            partners = are_partners(programme.host, organisation)
        if not partners:
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


MAX_OVERLAPPING_WAITS = 5
# Bookings that count as waiting for that limit: on a waiting list, or asking for approval.
WAITING_STATUSES = (BookingStatus.WAITING, BookingStatus.REQUESTED)


def overlapping_waits(person: Person, run: Run) -> int:
    """How many runs at times overlapping this run's sessions the person is waiting on."""
    target = [
        overlap.Slot(*row) for row in run.sessions.values_list("date", "starts_at", "ends_at")
    ]
    if not target:
        return 0
    # One query for the sessions, on those dates, of every run the person waits on.
    rows = (
        Session.objects.filter(
            run__bookings__person=person,
            run__bookings__status__in=WAITING_STATUSES,
            date__in={slot.date for slot in target},
        )
        .exclude(run=run)
        .values_list("run_id", "date", "starts_at", "ends_at")
    )
    others: dict[int, list[overlap.Slot]] = {}
    for run_id, *slot in rows:
        others.setdefault(run_id, []).append(overlap.Slot(*slot))
    return len(overlap.overlapping_runs(target, others))


def _place_free_now(run: Run, organisation: Organisation) -> bool:
    """Whether a place is free to the organisation at this moment (a read; it claims nothing)."""
    if not open_to(run, organisation):
        return False
    if not Run.objects.filter(pk=run.pk, places_taken__lt=F("capacity")).exists():
        return False
    if organisation.pk == run.programme.host_id or run.partner_cap is None:
        return True
    share = RunOrganisationShare.objects.filter(run=run, organisation=organisation).first()
    return share is None or share.places_taken < run.partner_cap


def _wait_limit_refusal(actor: Actor, person: Person) -> str:
    who = "You are" if actor.person is not None and actor.person.pk == person.pk else "They are"
    return (
        f"{who} already waiting for {MAX_OVERLAPPING_WAITS} runs at times that overlap this "
        f"one, the most anyone may wait for. Leave one of those waiting lists first."
    )


def _changed(sql: str, params: Sequence[Any]) -> int:
    """Run one hand-written statement of the booking path; the number of rows it changed.

    The conditional updates that claim a place are written out (plain SQL that SQLite and
    PostgreSQL both run) because Django building them again for every booking cost more CPU
    than the database spends on them. Each still checks and claims in one statement.
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# A partner's share of the run: a new share row holding this place (when the cap allows one at
# all), or one more place in the existing row if it is still under its cap.
_CLAIM_SHARE_SQL = """
INSERT INTO learning_runorganisationshare (run_id, organisation_id, cap, places_taken)
SELECT %s, %s, %s, 1 WHERE %s
ON CONFLICT (run_id, organisation_id) DO UPDATE
SET places_taken = learning_runorganisationshare.places_taken + 1
WHERE learning_runorganisationshare.cap IS NULL
OR learning_runorganisationshare.places_taken < learning_runorganisationshare.cap
"""
_UNCLAIM_SHARE_SQL = """
UPDATE learning_runorganisationshare SET places_taken = places_taken - 1
WHERE run_id = %s AND organisation_id = %s
"""
_CLAIM_RUN_SQL = """
UPDATE learning_run SET places_taken = places_taken + 1
WHERE id = %s AND places_taken < capacity AND cancelled_at IS NULL
"""


def _claim_place(run: Run, organisation: Organisation) -> bool:
    """Take one of the run's places for the organisation if one is free to it now."""
    if not open_to(run, organisation):
        return False
    partner = organisation.pk != run.programme.host_id
    if partner:
        cap = run.partner_cap
        if not _changed(_CLAIM_SHARE_SQL, [run.pk, organisation.pk, cap, cap != 0]):
            return False
    if _changed(_CLAIM_RUN_SQL, [run.pk]):
        return True
    if partner:
        _changed(_UNCLAIM_SHARE_SQL, [run.pk, organisation.pk])
    return False


def _free_place(run: Run, organisation: Organisation) -> None:
    """Give back a place the organisation held on the run (and its share of the cap)."""
    if organisation.pk != run.programme.host_id:
        RunOrganisationShare.objects.filter(
            run=run, organisation=organisation, places_taken__gt=0
        ).update(places_taken=F("places_taken") - 1)
    Run.objects.filter(pk=run.pk, places_taken__gt=0).update(places_taken=F("places_taken") - 1)


def _is_released_place(run: Run, organisation: Organisation) -> bool:
    """A partner's place taken after the run was released (the host's never count)."""
    return run.released_at is not None and organisation.pk != run.programme.host_id


def _place_or_wait(booking: Booking, now: dt.datetime) -> None:
    """Confirm the booking if a place is free to its organisation now, otherwise put it waiting."""
    if _claim_place(booking.run, booking.organisation):
        booking.status = BookingStatus.CONFIRMED
        booking.confirmed_at = now
        booking.released_place = _is_released_place(booking.run, booking.organisation)
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


def _over_wait_limit(booking: Booking) -> bool:
    """Whether a booking that would wait (or ask for approval with no place free) is over the
    limit of overlapping waits.

    A confirmed booking costs no query here. A second booking on the same run is refused as such
    before the limit, as it always was (otherwise the unique constraint refuses it on saving).
    """
    run, person = booking.run, booking.person
    if booking.status == BookingStatus.CONFIRMED:
        return False
    if overlapping_waits(person, run) < MAX_OVERLAPPING_WAITS:
        return False
    if booking.status == BookingStatus.REQUESTED and _place_free_now(run, booking.organisation):
        return False
    if Booking.objects.filter(run=run, person=person, status__in=ACTIVE_STATUSES).exists():
        raise BookingRefused("They already have a booking on this run.")
    return True


def book_place(*, actor: Actor, run: Run, person: Person, note: str = "") -> Booking:
    """Book the person on the run: confirmed if a place is free to them now, else waiting."""
    job = access.booking_job(actor, person, run.programme.host_id)
    now = timezone.now()
    refusal = _refusal(run, job, now)
    if refusal:
        raise BookingRefused(refusal)
    booking = Booking(
        run=run,
        person=person,
        organisation=job.organisation,
        requested_at=now,
        adjustments_note=note.strip(),
        booked_by=actor.person,
    )
    try:
        with transaction.atomic():
            # A line manager booking for their report approves it by doing so (the job above is
            # already one they manage when they book for someone else).
            if run.programme.approval_required and not (
                actor.person.pk != person.pk or is_line_manager_of(actor, person)
            ):
                booking.status = BookingStatus.REQUESTED
            else:
                if run.programme.approval_required:
                    booking.approved_by = actor.person
                    booking.approved_at = now
                _place_or_wait(booking, now)
            if _over_wait_limit(booking):
                # Raised inside the transaction, so nothing of this booking is kept.
                raise BookingRefused(_wait_limit_refusal(actor, person))
            # A second active booking of the person on the run is refused by the unique
            # constraint (the IntegrityError below), which also undoes the place just claimed.
            insert_row(booking)
            _record(actor, f"booking.{booking.status}", booking)
            notices.booking_made(booking)
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
    # A place named into a block still open goes back to the block, not to the run.
    freed = previous in HOLDING_STATUSES and not reservations.back_to_block(booking)
    if freed:
        _free_place(booking.run, booking.organisation)
    late = None
    if previous == BookingStatus.CONFIRMED:
        late = recharges.charge_late_cancellation(actor, booking, now)
    _record(
        actor, "booking.cancelled", booking, previous=previous, recharge=late.pk if late else None
    )
    if freed:
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
            status=booking.status,
            confirmed_at=booking.confirmed_at,
            released_place=booking.released_place,
        )
    _record(actor, "booking.approved", booking)
    notices.booking_approved(booking)
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
    notices.booking_declined(booking)
    return booking


# --- Release of unfilled places, offers and passing freed places on ----------------------------

RECEIVED_PERIOD = dt.timedelta(days=365)


def _received_last_365_days(host_id: int, now: dt.datetime) -> dict[str, int]:
    """Confirmed places each partner received on the host's runs in the last 365 days."""
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


class ReceivedTally:
    """Places each partner received from each host in the last 365 days, over many releases.

    The release job releases every due run within a minute: it counts a host's year of bookings
    once, at the first of the host's runs, then adds the places each release it commits confirms,
    rather than counting the year again for every run. Places confirmed elsewhere meanwhile count
    from the job's next minute.
    """

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self._by_host: dict[int, dict[str, int]] = {}

    def of(self, host_id: int) -> dict[str, int]:
        """The figures for the host's runs, counted the first time they are asked for."""
        if host_id not in self._by_host:
            self._by_host[host_id] = _received_last_365_days(host_id, self.now)
        return self._by_host[host_id]

    def add(self, host_id: int, given: Sequence[Booking]) -> None:
        """Count the places that a committed release confirmed for the host's partners."""
        figures = self._by_host.get(host_id)
        if figures is None:
            return  # Not counted yet: the count, when it comes, will include these places.
        for booking in given:
            if booking.status == BookingStatus.CONFIRMED and booking.organisation_id != host_id:
                key = str(booking.organisation_id)
                figures[key] = figures.get(key, 0) + 1


def _waiting_on(run: Run) -> tuple[int | None, list[Booking], bool]:
    """The run's places taken now, its waiting bookings in order, and whether a block is unreturned.

    One query where anyone waits: each booking comes with the run's current row, which also
    refreshes the caller's copy of the run (it may be older than a release or a change of its
    rules). Places taken is None when the run is gone.
    """
    unreturned = Exists(Reservation.objects.filter(run=run.pk, returned_at__isnull=True))
    waiting = list(
        Booking.objects.filter(run=run, status=BookingStatus.WAITING)
        .select_related("run", "organisation")
        .annotate(unreturned=unreturned)
        .order_by("requested_at", "id")
    )
    if waiting:
        fresh = waiting[0].run
        returned_all = not waiting[0].unreturned
    else:
        fresh = Run.objects.filter(pk=run.pk).annotate(unreturned=unreturned).first()
        if fresh is None:
            return None, [], False
        returned_all = not fresh.unreturned
    run.capacity, run.released_at = fresh.capacity, fresh.released_at
    run.partner_cap, run.release_mode = fresh.partner_cap, fresh.release_mode
    run.offer_window_hours = fresh.offer_window_hours
    for booking in waiting:
        booking.run = run
    return fresh.places_taken, waiting, not returned_all


def _by_the_rule(
    run: Run, taken: int, waiting: list[Booking], now: dt.datetime, received: ReceivedTally | None
) -> list[Booking]:
    """The waiting bookings that get the run's free places, in the order the rule gives them."""
    host_id = run.programme.host_id
    held: dict[int, int] = {}
    if run.partner_cap is not None:
        held = dict(
            RunOrganisationShare.objects.filter(run=run).values_list(
                "organisation_id", "places_taken"
            )
        )
    # Last year's figures only break ties between partners, so one partner needs none.
    figures: dict[str, int] = {}
    if len({booking.organisation_id for booking in waiting} - {host_id}) > 1:
        figures = received.of(host_id) if received else _received_last_365_days(host_id, now)
    outcome = allocation.allocate(
        allocation.Run(
            id=str(run.pk),
            host=str(host_id),
            capacity=run.capacity,
            confirmed=taken,
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
        received_last_365_days=figures,
        held_by_organisation={str(org): count for org, count in held.items()},
    )
    by_id = {str(booking.pk): booking for booking in waiting}
    return [by_id[allocated.request] for allocated in outcome.allocated]


def _allocate_places(
    run: Run,
    now: dt.datetime,
    received: ReceivedTally | None = None,
    known: tuple[int | None, list[Booking]] | None = None,
    whole_or_raise: bool = False,
) -> list[Booking]:
    """Give the run's free places to its eligible waiting bookings by the release rule.

    All the places are claimed at once with the conditional counter updates and the bookings
    moved from waiting with a conditional update (`_give_all`). If that does not wholly land
    (someone booked, cancelled or was given a place meanwhile), each place is claimed on its own,
    a booking someone else changed gives its place back, and the rule is applied again so no
    place is skipped. `known` is the run's places taken and waiting bookings, if just read. With
    `whole_or_raise`, a claim that does not wholly land raises `_NotAllLanded` instead, and the
    caller rolls its whole transaction back.
    """
    given: list[Booking] = []
    for _attempt in range(3):
        taken, waiting = known if known is not None else _waiting_on(run)[:2]
        known = None
        if taken is None or taken >= run.capacity:
            break
        eligible = [booking for booking in waiting if open_to(run, booking.organisation)]
        if not eligible:
            break
        chosen = _by_the_rule(run, taken, eligible, now, received)
        if whole_or_raise:
            _claim_all(run, chosen, now)
            given.extend(chosen)
            break
        if _give_all(run, chosen, now):
            given.extend(chosen)
            break
        skipped = False
        for booking in chosen:
            if not _claim_place(run, booking.organisation):
                skipped = True
                continue
            fields = _given_fields(run, booking.organisation, now)
            moved = Booking.objects.filter(pk=booking.pk, status=BookingStatus.WAITING).update(
                **fields
            )
            if not moved:
                _free_place(run, booking.organisation)
                skipped = True
                continue
            for name, value in fields.items():
                setattr(booking, name, value)
            given.append(booking)
        if not skipped:
            break
    return given


def _given_events(action: str, run: Run, given: Sequence[Booking]) -> list[audit.Event]:
    """The audit entries of places given, one per booking, for `audit.record_many`."""
    label = f"Booking on {run.programme.title} (run {run.pk})"
    return [
        (
            action,
            "booking",
            booking.pk,
            {
                "run": run.pk,
                "person": booking.person_id,
                "organisation": booking.organisation_id,
                "status": booking.status,
                "given_by": "release rule",
            },
            label,
        )
        for booking in given
    ]


def _give_places(run: Run, now: dt.datetime, actor: Actor | None, action: str) -> list[Booking]:
    """Give the run's free places to waiting people by the rule; audit them and tell them."""
    given = _allocate_places(run, now)
    audit.record_many(
        actor=actor, organisation=run.programme.host, events=_given_events(action, run, given)
    )
    notices.places_given(given)
    return given


def _given_fields(run: Run, organisation: Organisation, now: dt.datetime) -> dict[str, Any]:
    """What a waiting booking becomes when given a place: offered or confirmed, by the run."""
    if run.release_mode == ReleaseMode.OFFER:
        fields: dict[str, Any] = {
            "status": BookingStatus.OFFERED,
            "offer_expires_at": now + dt.timedelta(hours=run.offer_window_hours),
        }
    else:
        fields = {"status": BookingStatus.CONFIRMED, "confirmed_at": now}
    fields["released_place"] = _is_released_place(run, organisation)
    return fields


class _NotAllLanded(Exception):
    """A claim of several places at once that did not wholly land; its changes must roll back."""


def _claim_all(run: Run, bookings: list[Booking], now: dt.datetime) -> None:
    """Claim every allocated place and move every booking in a few statements, or raise.

    The conditional updates of one place at a time, summed: the run's counter stays within its
    capacity, each partner's share within its cap, and only bookings still waiting move. If any
    does not land (someone booked, cancelled or was given a place meanwhile) it raises
    `_NotAllLanded`, and the caller rolls back what did.
    """
    if not bookings:
        return
    host_id = run.programme.host_id
    partners = Counter(
        booking.organisation_id for booking in bookings if booking.organisation_id != host_id
    )
    if partners:
        RunOrganisationShare.objects.bulk_create(
            [
                RunOrganisationShare(run=run, organisation_id=pk, cap=run.partner_cap)
                for pk in partners
            ],
            ignore_conflicts=True,
        )
        # One update per number of places a partner gets (nearly always just 1): a `CASE` over
        # the partners cost Django several times as much to build as the statements it saves.
        by_count: dict[int, list[int]] = {}
        for pk, count in partners.items():
            by_count.setdefault(count, []).append(pk)
        for count, pks in by_count.items():
            shares = RunOrganisationShare.objects.filter(
                Q(cap__isnull=True) | Q(places_taken__lte=F("cap") - count),
                run=run,
                organisation_id__in=pks,
            )
            if shares.update(places_taken=F("places_taken") + count) != len(pks):
                raise _NotAllLanded
    free = Run.objects.filter(pk=run.pk, places_taken__lte=F("capacity") - len(bookings))
    if not free.update(places_taken=F("places_taken") + len(bookings)):
        raise _NotAllLanded
    # One statement moves them all; only the host's own places are not released places.
    fields = _given_fields(run, bookings[0].organisation, now)
    fields["released_place"] = Case(
        When(organisation_id=host_id, then=Value(False)),
        default=Value(run.released_at is not None),
    )
    still_waiting = Booking.objects.filter(
        pk__in=[booking.pk for booking in bookings], status=BookingStatus.WAITING
    )
    if still_waiting.update(**fields) != len(bookings):
        raise _NotAllLanded
    for booking in bookings:
        for name, value in _given_fields(run, booking.organisation, now).items():
            setattr(booking, name, value)


def _give_all(run: Run, bookings: list[Booking], now: dt.datetime) -> bool:
    """`_claim_all` in a savepoint: every place given, or nothing changed and False."""
    try:
        with transaction.atomic():
            _claim_all(run, bookings, now)
    except _NotAllLanded:
        return False
    return True


def release_unfilled_places(
    *, actor: Actor | None, run: Run, received: ReceivedTally | None = None
) -> list[Booking]:
    """Release the run's unfilled places to waiting people by the rule, once, in one transaction.

    `received` is the release job's tally of places partners received, shared by its releases.
    """
    # `actor` is None for the scheduled job; a person releasing early by hand must host the run.
    # Setting `released_at` where it is still empty is the claim of the release itself, so a second
    # call gives nothing, and a call that fails halfway leaves the run unreleased, to be done again.
    if actor is not None and not access.may_host(actor, run):
        raise PermissionDenied
    try:
        return _release(actor, run, received, whole_or_raise=True)
    except _NotAllLanded:
        # Someone changed the run meanwhile and nothing of that attempt was kept: release it
        # again, place by place where need be (a savepoint around each try costs every release).
        return _release(actor, run, received, whole_or_raise=False)


def _release(
    actor: Actor | None, run: Run, received: ReceivedTally | None, *, whole_or_raise: bool
) -> list[Booking]:
    """`release_unfilled_places` in one transaction, once."""
    now = timezone.now()
    with transaction.atomic():
        unreleased = Run.objects.filter(
            pk=run.pk, released_at__isnull=True, cancelled_at__isnull=True
        )
        if not unreleased.update(released_at=now):
            run.refresh_from_db(fields=["released_at"])
            return []
        run.released_at = now
        taken, waiting, unreturned = _waiting_on(run)
        reserved_returned = 0
        if unreturned:
            reserved_returned = reservations.return_unnamed_places(run, now)
            taken, waiting, _ = _waiting_on(run)
        given = _allocate_places(run, now, received, (taken, waiting), whole_or_raise)
        Release.objects.create(
            run=run,
            released_at=now,
            released_by=actor.person if actor is not None else None,
            places_free=max(run.capacity - (taken or 0), 0),
            reserved_returned=reserved_returned,
            places_given=len(given),
            waiting=len(waiting),
        )
        released = (
            "run.released",
            "run",
            run.pk,
            {
                "places_given": len(given),
                "release_mode": run.release_mode,
                "bookings": [booking.pk for booking in given],
            },
            f"{run.programme.title} (run {run.pk})",
        )
        audit.record_many(
            actor=actor,
            organisation=run.programme.host,
            events=[*_given_events("booking.released", run, given), released],
        )
        notices.places_given(given)
    if received is not None:
        received.add(run.programme.host_id, given)
    return given


@transaction.atomic
def accept_offer(*, actor: Actor, booking: Booking) -> Booking:
    """The person (or their line manager) takes up an offered place before it lapses."""
    if not access.may_answer_offer(actor, booking):
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
    notices.booking_confirmed(booking)
    return booking


@transaction.atomic
def decline_offer(*, actor: Actor, booking: Booking) -> Booking:
    """The person (or their line manager) turns an offer down; the place passes to the next."""
    if not access.may_answer_offer(actor, booking):
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


def close_waiting_lists(now: dt.datetime | None = None) -> int:
    """End the waiting bookings of runs whose bookings have closed; return how many ended."""
    now = now or timezone.now()
    waiting = Booking.objects.filter(
        status=BookingStatus.WAITING, run__bookings_close_at__lte=now
    ).select_related("run__programme__host")
    closed = 0
    for booking in list(waiting.order_by("run_id", "requested_at", "id")):
        with transaction.atomic():
            # Two workers may find the same booking; only the one whose update lands ends it.
            if not Booking.objects.filter(pk=booking.pk, status=BookingStatus.WAITING).update(
                status=BookingStatus.CANCELLED, cancelled_at=now
            ):
                continue
            booking.status = BookingStatus.CANCELLED
            booking.cancelled_at = now
            _record(None, "booking.waitlist_closed", booking)
            notices.waiting_list_closed(booking)
            closed += 1
    return closed


# --- Programmes and runs, written by the host ------------------------------------------------

AMOUNT_FIELDS = ("hours", "cost_per_place", "partner_price")
AMOUNT_LIMIT = Decimal("100000000")


def _may_host_programme(actor: Actor, programme_host: Organisation) -> bool:
    if actor.organisation is None or actor.organisation.pk != programme_host.pk:
        return False
    return any(has_role(actor, role) for role in access.HOST_ROLES)


def _amount(value: object, field: str, errors: dict[str, str]) -> Decimal:
    """A non-negative amount with at most two decimal places, or an error naming the field."""
    label = field.replace("_", " ").capitalize()
    try:
        amount = Decimal(str(value).strip() or "0")
    except InvalidOperation:
        errors[field] = f"{label} must be a number, like 150 or 150.50"
        return Decimal("0")
    if not amount.is_finite() or amount < 0:
        errors[field] = f"{label} must be 0 or more"
    elif amount.as_tuple().exponent < -2:
        errors[field] = f"{label} must have no more than 2 decimal places"
    elif amount >= AMOUNT_LIMIT:
        errors[field] = f"{label} must be less than {AMOUNT_LIMIT:,}"
    return amount


def _choice(value: str, choices: type[models.TextChoices], field: str, errors: dict) -> str:
    if value not in choices.values:
        errors[field] = f"Select a valid {field.replace('_', ' ')}"
    return value


def _whole(value: object, field: str, errors: dict[str, str]) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        errors[field] = f"{field.replace('_', ' ').capitalize()} must be a whole number"
        return None


PROGRAMME_FIELDS = (
    "title",
    "kind",
    "delivery_mode",
    "summary",
    "description",
    "audience",
    "seniority_min",
    "seniority_max",
    "hours",
    "provider",
    "cost_per_place",
    "partner_price",
    "sharing_policy",
    "approval_required",
    "delivered_by_accredited_trainers",
    "joining_instructions",
)


def _programme_values(
    *,
    title: str,
    kind: str,
    delivery_mode: str,
    summary: str = "",
    description: str = "",
    audience: str = "",
    seniority_min: int = 1,
    seniority_max: int = 9,
    topics: Sequence[str] = (),
    hours: Decimal | str = Decimal("0"),
    provider: str = "",
    cost_per_place: Decimal | str = Decimal("0"),
    partner_price: Decimal | str = Decimal("0"),
    sharing_policy: str = SharingPolicy.OWN_THEN_PARTNERS,
    approval_required: bool = False,
    delivered_by_accredited_trainers: bool = False,
    joining_instructions: str = "",
) -> tuple[dict[str, Any], list[str]]:
    """A programme's checked fields and topic names; a ValidationError names each bad field."""
    errors: dict[str, str] = {}
    title = title.strip()
    if not title:
        errors["title"] = "Enter a title"
    elif len(title) > 200:
        errors["title"] = "Title must be 200 characters or fewer"
    if len(summary.strip()) > 300:
        errors["summary"] = "Summary must be 300 characters or fewer"
    if len(audience.strip()) > 300:
        errors["audience"] = "Audience must be 300 characters or fewer"
    if len(provider.strip()) > 200:
        errors["provider"] = "Provider must be 200 characters or fewer"
    _choice(kind, ProgrammeKind, "kind", errors)
    _choice(delivery_mode, DeliveryMode, "delivery_mode", errors)
    _choice(sharing_policy, SharingPolicy, "sharing_policy", errors)
    low = _whole(seniority_min, "seniority_min", errors)
    high = _whole(seniority_max, "seniority_max", errors)
    for field, value in (("seniority_min", low), ("seniority_max", high)):
        if field not in errors and (value is None or not 1 <= value <= 9):
            errors[field] = "Seniority must be a whole number from 1 to 9"
    if not errors.keys() & {"seniority_min", "seniority_max"} and low > high:
        errors["seniority_max"] = "Highest seniority must be the same as or above the lowest"
    amounts = {
        field: _amount(value, field, errors)
        for field, value in zip(AMOUNT_FIELDS, (hours, cost_per_place, partner_price), strict=True)
    }
    names = sorted({name.strip() for name in topics if name.strip()})
    if any(len(name) > 100 for name in names):
        errors["topics"] = "Each topic must be 100 characters or fewer"
    if errors:
        raise ValidationError(errors)
    values = {
        "title": title,
        "summary": summary.strip(),
        "description": description.strip(),
        "kind": kind,
        "audience": audience.strip(),
        "seniority_min": low,
        "seniority_max": high,
        "delivery_mode": delivery_mode,
        "provider": provider.strip(),
        "sharing_policy": sharing_policy,
        "approval_required": approval_required,
        "delivered_by_accredited_trainers": bool(delivered_by_accredited_trainers),
        "joining_instructions": joining_instructions.strip(),
        **amounts,
    }
    return values, names


def _set_topics(programme: Programme, names: list[str]) -> None:
    if names:
        Topic.objects.bulk_create([Topic(name=name) for name in names], ignore_conflicts=True)
    programme.topics.set(Topic.objects.filter(name__in=names))


def create_programme(
    *,
    actor: Actor,
    title: str,
    kind: str,
    delivery_mode: str,
    summary: str = "",
    description: str = "",
    audience: str = "",
    seniority_min: int = 1,
    seniority_max: int = 9,
    topics: Sequence[str] = (),
    hours: Decimal | str = Decimal("0"),
    provider: str = "",
    cost_per_place: Decimal | str = Decimal("0"),
    partner_price: Decimal | str = Decimal("0"),
    sharing_policy: str = SharingPolicy.OWN_THEN_PARTNERS,
    approval_required: bool = False,
    delivered_by_accredited_trainers: bool = False,
    joining_instructions: str = "",
) -> Programme:
    """The acting organisation's L&D lead or programme leader adds a programme it hosts."""
    if actor.organisation is None or not _may_host_programme(actor, actor.organisation):
        raise PermissionDenied
    values, names = _programme_values(
        title=title,
        kind=kind,
        delivery_mode=delivery_mode,
        summary=summary,
        description=description,
        audience=audience,
        seniority_min=seniority_min,
        seniority_max=seniority_max,
        topics=topics,
        hours=hours,
        provider=provider,
        cost_per_place=cost_per_place,
        partner_price=partner_price,
        sharing_policy=sharing_policy,
        approval_required=approval_required,
        delivered_by_accredited_trainers=delivered_by_accredited_trainers,
        joining_instructions=joining_instructions,
    )
    with transaction.atomic():
        programme = Programme.objects.create(host=actor.organisation, **values)
        _set_topics(programme, names)
        term_index.index_programme(programme)
        similar.record_change(similar.PROGRAMME, programme.pk)
        audit.record(
            actor=actor,
            action="programme.created",
            kind="programme",
            object_id=programme.pk,
            label=programme.title,
            organisation=actor.organisation,
            changes={
                "kind": kind,
                "delivery_mode": delivery_mode,
                "sharing_policy": sharing_policy,
                "delivered_by_accredited_trainers": values["delivered_by_accredited_trainers"],
                "seniority": [values["seniority_min"], values["seniority_max"]],
                **{field: str(values[field]) for field in AMOUNT_FIELDS},
                "topics": names,
            },
        )
    return programme


def update_programme(*, actor: Actor, programme: Programme, **fields: Any) -> dict[str, tuple]:
    """The host changes a programme's details; returns each changed field as (before, after).

    `fields` are any of `create_programme`'s; those not given keep their current values.
    """
    if not _may_host_programme(actor, programme.host):
        raise PermissionDenied
    unknown = fields.keys() - {*PROGRAMME_FIELDS, "topics"}
    if unknown:
        raise TypeError(f"update_programme() got unexpected fields {sorted(unknown)}")
    before = {field: getattr(programme, field) for field in PROGRAMME_FIELDS}
    before_topics = sorted(programme.topics.values_list("name", flat=True))
    values, names = _programme_values(**{**before, "topics": before_topics, **fields})
    changed: dict[str, tuple] = {
        field: (before[field], value) for field, value in values.items() if before[field] != value
    }
    if names != before_topics:
        changed["topics"] = (before_topics, names)
    if not changed:
        return changed
    with transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(**values)
        for field, value in values.items():
            setattr(programme, field, value)
        if "topics" in changed:
            _set_topics(programme, names)
        if changed.keys() & {"title", "summary", "topics"}:
            term_index.index_programme(programme)
            similar.record_change(similar.PROGRAMME, programme.pk)
        audit.record(
            actor=actor,
            action="programme.updated",
            kind="programme",
            object_id=programme.pk,
            label=programme.title,
            organisation=programme.host,
            changes={field: _plain(after) for field, (_, after) in changed.items()},
        )
    return changed


def _plain(value: object) -> object:
    """A value the audit log's JSON can hold: amounts and moments as text."""
    if isinstance(value, Decimal | dt.date | dt.time):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    return value


def _london(moment: dt.datetime) -> dt.datetime:
    """An aware datetime; a naive one is read as Europe/London wall time."""
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=LONDON)


def _sessions(given: Sequence[Mapping], errors: dict[str, str]) -> list[Session]:
    sessions = []
    problems = []
    for number, row in enumerate(given, start=1):
        date, starts, ends = row.get("date"), row.get("starts_at"), row.get("ends_at")
        if not isinstance(date, dt.date) or not isinstance(starts, dt.time):
            problems.append(f"Session {number} needs a date and a start time")
        elif not isinstance(ends, dt.time) or ends <= starts:
            problems.append(f"Session {number} must end after it starts")
        else:
            sessions.append(
                Session(
                    date=date,
                    starts_at=starts,
                    ends_at=ends,
                    venue=(row.get("venue") or "").strip(),
                    online_link=(row.get("online_link") or "").strip(),
                )
            )
    if problems:
        errors["sessions"] = "; ".join(problems)
    return sorted(sessions, key=lambda session: (session.date, session.starts_at))


def add_run(
    *,
    actor: Actor,
    programme: Programme,
    sessions: Sequence[Mapping],
    capacity: int,
    cut_off_at: dt.datetime | None = None,
    bookings_close_at: dt.datetime | None = None,
    completion_deadline: dt.date | None = None,
    partner_price: Decimal | str | None = None,
    charge_attended: bool = True,
    charge_no_shows: bool = False,
    charge_late_cancellations: bool = False,
    late_cancellation_days: int | None = None,
    partner_cap: int | None = None,
    release_mode: str = ReleaseMode.CONFIRM,
    offer_window_hours: int = DEFAULT_OFFER_WINDOW_HOURS,
) -> Run:
    """The host adds a run with its sessions; cut-off, bookings close and price default sensibly.

    Sessions are mappings of date, starts_at, ends_at and optionally venue and online_link. The
    cut-off defaults to 17:00 Europe/London 21 days before the first session, bookings close at
    the start of the first session, and the partner price is the programme's.
    """
    if not _may_host_programme(actor, programme.host):
        raise PermissionDenied
    errors: dict[str, str] = {}
    number = _whole(capacity, "capacity", errors)
    if "capacity" not in errors and (number is None or not 1 <= number <= 100000):
        errors["capacity"] = "Capacity must be from 1 to 100,000"
    session_rows = _sessions(sessions, errors)
    self_paced = programme.delivery_mode == DeliveryMode.SELF_PACED
    if not sessions and "sessions" not in errors:
        if not self_paced:
            errors["sessions"] = "Add at least one session"
        elif completion_deadline is None:
            errors["completion_deadline"] = "Enter a completion deadline for self-paced learning"
    first_start = None
    if session_rows:
        first = session_rows[0]
        first_start = dt.datetime.combine(first.date, first.starts_at, tzinfo=LONDON)
    if cut_off_at is None:
        if session_rows:
            cut_off_at = default_cut_off(session_rows[0].date)
        elif not sessions:
            errors.setdefault("cut_off_at", "Enter a cut-off for a run without sessions")
    else:
        cut_off_at = _london(cut_off_at)
    if cut_off_at is not None and first_start is not None and cut_off_at >= first_start:
        errors["cut_off_at"] = "The cut-off must be before the first session starts"
    if bookings_close_at is None:
        bookings_close_at = first_start
    else:
        bookings_close_at = _london(bookings_close_at)
        if cut_off_at is not None and bookings_close_at <= cut_off_at:
            errors["bookings_close_at"] = "Bookings must close after the cut-off"
    price = (
        programme.partner_price
        if partner_price is None
        else _amount(partner_price, "partner_price", errors)
    )
    cap = _whole(partner_cap, "partner_cap", errors)
    if cap is not None and not 0 <= cap <= 100000:
        errors["partner_cap"] = "Per-partner cap must be 0 or more, or blank for no cap"
    window = _whole(offer_window_hours, "offer_window_hours", errors)
    if "offer_window_hours" not in errors and (window is None or not 1 <= window <= 32767):
        errors["offer_window_hours"] = "Offer window must be at least 1 hour"
    days = _whole(late_cancellation_days, "late_cancellation_days", errors)
    late_days_wrong = days is None or not 0 < days <= 365
    if charge_late_cancellations and "late_cancellation_days" not in errors and late_days_wrong:
        errors["late_cancellation_days"] = "Enter how many days before, from 1 to 365"
    _choice(release_mode, ReleaseMode, "release_mode", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        run = Run.objects.create(
            programme=programme,
            capacity=number,
            cut_off_at=cut_off_at,
            bookings_close_at=bookings_close_at,
            completion_deadline=completion_deadline,
            partner_price=price,
            charge_attended=charge_attended,
            charge_no_shows=charge_no_shows,
            charge_late_cancellations=charge_late_cancellations,
            late_cancellation_days=days if charge_late_cancellations else None,
            partner_cap=cap,
            release_mode=release_mode,
            offer_window_hours=window,
        )
        for session in session_rows:
            session.run = run
        Session.objects.bulk_create(session_rows)
        audit.record(
            actor=actor,
            action="run.added",
            kind="run",
            object_id=run.pk,
            label=f"{programme.title} (run {run.pk})",
            organisation=programme.host,
            changes={
                "programme": programme.pk,
                "capacity": number,
                "sessions": len(session_rows),
                "cut_off_at": cut_off_at.isoformat(),
                "partner_price": str(price),
                "partner_cap": cap,
                "release_mode": release_mode,
            },
        )
        interest.notify_interested(run)
        commissions.reserve_committed_places(actor=actor, run=run)
    return run


# --- Changing and cancelling a run -----------------------------------------------------------

RUN_FIELDS = (
    "capacity",
    "cut_off_at",
    "bookings_close_at",
    "completion_deadline",
    "partner_price",
    "charge_attended",
    "charge_no_shows",
    "charge_late_cancellations",
    "late_cancellation_days",
    "partner_cap",
    "release_mode",
    "offer_window_hours",
)
SESSION_FIELDS = ("date", "starts_at", "ends_at", "venue", "online_link")


def _run_values(run: Run, given: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """The run's fields with the given ones checked and put in; problems go into `errors`."""
    values = {field: getattr(run, field) for field in RUN_FIELDS}
    values.update(given)
    number = _whole(values["capacity"], "capacity", errors)
    if "capacity" not in errors and (number is None or not 1 <= number <= 100000):
        errors["capacity"] = "Capacity must be from 1 to 100,000"
    values["capacity"] = number
    for field in ("cut_off_at", "bookings_close_at"):
        if values[field] is not None:
            values[field] = _london(values[field])
    if values["cut_off_at"] is None:
        errors["cut_off_at"] = "Enter a cut-off"
    close = values["bookings_close_at"]
    if close is not None and values["cut_off_at"] is not None and close <= values["cut_off_at"]:
        errors["bookings_close_at"] = "Bookings must close after the cut-off"
    values["partner_price"] = _amount(values["partner_price"], "partner_price", errors)
    cap = _whole(values["partner_cap"], "partner_cap", errors)
    if cap is not None and not 0 <= cap <= 100000:
        errors["partner_cap"] = "Per-partner cap must be 0 or more, or blank for no cap"
    values["partner_cap"] = cap
    window = _whole(values["offer_window_hours"], "offer_window_hours", errors)
    if "offer_window_hours" not in errors and (window is None or not 1 <= window <= 32767):
        errors["offer_window_hours"] = "Offer window must be at least 1 hour"
    values["offer_window_hours"] = window
    days = _whole(values["late_cancellation_days"], "late_cancellation_days", errors)
    if values["charge_late_cancellations"]:
        if "late_cancellation_days" not in errors and (days is None or not 0 < days <= 365):
            errors["late_cancellation_days"] = "Enter how many days before, from 1 to 365"
    else:
        days = None
    values["late_cancellation_days"] = days
    _choice(values["release_mode"], ReleaseMode, "release_mode", errors)
    return values


def _session_text(session: Session) -> str:
    where = session.venue or session.online_link or "to be confirmed"
    return f"{session} at {where}"


def _replace_sessions(run: Run, rows: list[Session]) -> None:
    """Change the run's sessions in date order, keeping those with attendance recorded."""
    existing = list(run.sessions.order_by("date", "starts_at", "id"))
    for current, row in zip(existing, rows, strict=False):
        for field in SESSION_FIELDS:
            setattr(current, field, getattr(row, field))
        current.save(update_fields=list(SESSION_FIELDS))
    surplus = existing[len(rows) :]
    if any(session.attendances.exists() for session in surplus):
        raise ValidationError(
            {"sessions": "A session with attendance recorded cannot be taken off the run"}
        )
    Session.objects.filter(pk__in=[session.pk for session in surplus]).delete()
    for row in rows[len(existing) :]:
        row.run = run
    Session.objects.bulk_create(rows[len(existing) :])


def update_run(
    *, actor: Actor, run: Run, sessions: Sequence[Mapping] | None = None, **fields: Any
) -> dict[str, tuple]:
    """The host changes a run; returns each changed field as (before, after), for notices.

    `fields` are any of `add_run`'s; those not given keep their values. `sessions`, when given,
    replace the run's sessions in date order. Capacity may not drop below the places taken, and
    the cut-off may not change once the run is released.
    """
    if not _may_host_programme(actor, run.programme.host):
        raise PermissionDenied
    unknown = fields.keys() - set(RUN_FIELDS)
    if unknown:
        raise TypeError(f"update_run() got unexpected fields {sorted(unknown)}")
    if run.is_cancelled():
        raise ValidationError("This run has been cancelled, so it cannot be changed.")
    errors: dict[str, str] = {}
    values = _run_values(run, fields, errors)
    before_sessions = [_session_text(session) for session in run.sessions.all()]
    session_rows = None
    if sessions is not None:
        session_rows = _sessions(sessions, errors)
        if not sessions and "sessions" not in errors:
            if run.programme.delivery_mode != DeliveryMode.SELF_PACED:
                errors["sessions"] = "Add at least one session"
            elif values["completion_deadline"] is None:
                errors["completion_deadline"] = (
                    "Enter a completion deadline for self-paced learning"
                )
    first = session_rows[0] if session_rows else (run.first_session() if sessions is None else None)
    if first is not None and values["cut_off_at"] is not None and "cut_off_at" not in errors:
        first_start = dt.datetime.combine(first.date, first.starts_at, tzinfo=LONDON)
        if values["cut_off_at"] >= first_start:
            errors["cut_off_at"] = "The cut-off must be before the first session starts"
    if run.is_released() and values["cut_off_at"] != run.cut_off_at:
        errors["cut_off_at"] = "The cut-off cannot change: this run's places are already released"
    if errors:
        raise ValidationError(errors)
    changed: dict[str, tuple] = {
        field: (getattr(run, field), value)
        for field, value in values.items()
        if getattr(run, field) != value
    }
    if session_rows is not None:
        after_sessions = [_session_text(session) for session in session_rows]
        if after_sessions != before_sessions:
            changed["sessions"] = (before_sessions, after_sessions)
    if not changed:
        return changed
    now = timezone.now()
    with transaction.atomic():
        # Checking the places taken and changing the capacity is one statement (never
        # read-then-write), so a booking landing meanwhile cannot leave the run over capacity.
        within = Q(places_taken__lte=values["capacity"])
        if not Run.objects.filter(within, pk=run.pk, cancelled_at__isnull=True).update(**values):
            taken = Run.objects.filter(pk=run.pk).values_list("places_taken", flat=True).first()
            raise ValidationError(
                {"capacity": f"Capacity cannot be below the {taken} places already taken"}
            )
        if "partner_cap" in changed:
            _change_partner_cap(run, values["partner_cap"])
        if "sessions" in changed:
            _replace_sessions(run, session_rows)
        for field, value in values.items():
            setattr(run, field, value)
        audit.record(
            actor=actor,
            action="run.updated",
            kind="run",
            object_id=run.pk,
            label=f"{run.programme.title} (run {run.pk})",
            organisation=run.programme.host,
            changes={
                field: len(after) if field == "sessions" else _plain(after)
                for field, (_, after) in changed.items()
            },
        )
        more = changed.get("capacity", (0, 0))
        if more[1] > more[0]:
            _give_places(run, now, actor, "booking.passed_on")
        notices.run_updated(run, changed)
    return changed


def _change_partner_cap(run: Run, cap: int | None) -> None:
    """Copy a new per-partner cap to the partners' shares; refused below places a partner holds."""
    shares = RunOrganisationShare.objects.filter(run=run)
    if cap is None:
        shares.update(cap=None)
        return
    shares.filter(places_taken__lte=cap).update(cap=cap)
    most = shares.filter(places_taken__gt=cap).order_by("-places_taken").first()
    if most is not None:
        raise ValidationError(
            {
                "partner_cap": f"Per-partner cap cannot be below the {most.places_taken} places "
                f"{most.organisation} holds"
            }
        )


@transaction.atomic
def cancel_run(*, actor: Actor, run: Run, reason: str) -> list[Booking]:
    """The host cancels a run with a reason: every active booking is cancelled, freeing its place.

    Returns the bookings cancelled, for notices to their people.
    """
    if not _may_host_programme(actor, run.programme.host):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter a reason for cancelling the run"})
    if len(reason) > 2000:
        raise ValidationError({"reason": "Reason must be 2,000 characters or fewer"})
    now = timezone.now()
    claimed = Run.objects.filter(pk=run.pk, cancelled_at__isnull=True).update(
        cancelled_at=now, cancellation_reason=reason
    )
    if not claimed:
        raise ValidationError("This run is already cancelled.")
    run.cancelled_at = now
    run.cancellation_reason = reason
    # Partners' blocks end first, so each named place below is freed on the run like any other.
    reservations.return_unnamed_places(run, now)
    cancelled = []
    active = Booking.objects.filter(run=run, status__in=ACTIVE_STATUSES).select_related(
        "person", "organisation"
    )
    for booking in active:
        previous = booking.status
        if not Booking.objects.filter(pk=booking.pk, status=previous).update(
            status=BookingStatus.CANCELLED, cancelled_at=now
        ):
            continue
        if previous in HOLDING_STATUSES:
            _free_place(run, booking.organisation)
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.run = run
        _record(actor, "booking.cancelled", booking, previous=previous, by="run cancelled")
        cancelled.append(booking)
    # The reason is free text and may name people, so it stays on the run, not in the audit log.
    audit.record(
        actor=actor,
        action="run.cancelled",
        kind="run",
        object_id=run.pk,
        label=f"{run.programme.title} (run {run.pk})",
        organisation=run.programme.host,
        changes={"bookings_cancelled": [booking.pk for booking in cancelled]},
    )
    notices.run_cancelled(run, [booking.pk for booking in cancelled], reason)
    return cancelled
