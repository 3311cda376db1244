"""Recharges for places: what a partner owes the host for a place on one of its runs.

An attended place, and a no-show or a late cancellation where the run says so, posts one entry
from the partner (payer) to the host (payee) at the run's partner price, on the shared ledger in
`partnership`. `Booking.recharge` links the booking to the charge that stands for it; it is set by
a conditional update (`recharge IS NULL`), so however often this is called, one charge is posted.
Correcting an outcome so that the charge no longer applies reverses the entry and clears the link.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.partnership import services as ledger
from joinedup.partnership.access import may_reverse_recharge
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import RechargeEntry

from .models import LONDON, Booking, Outcome

ATTENDED = "attended"
NO_SHOW = "no-show"
LATE_CANCELLATION = "late cancellation"
CORRECTION_REASON = "Outcome corrected"


class _AlreadyCharged(Exception):
    """Another call linked a charge first; the entry this call made is rolled back."""


def is_partner_place(booking: Booking) -> bool:
    """A place taken for another organisation than the host (the host's own staff pay nothing)."""
    return booking.organisation_id != booking.run.programme.host_id


def charge_for_outcome(booking: Booking) -> str | None:
    """Why the booking's outcome is charged ("attended" or "no-show"), or None if it is not."""
    run = booking.run
    if not is_partner_place(booking) or run.partner_price <= 0:
        return None
    if booking.outcome in (Outcome.COMPLETED, Outcome.NOT_COMPLETED) and run.charge_attended:
        return ATTENDED
    if booking.outcome == Outcome.NO_SHOW and run.charge_no_shows:
        return NO_SHOW
    return None


def _label(booking: Booking, why: str) -> str:
    run = booking.run
    return f"{run.programme.title}, run {run.pk}: {why}"


def post_place_charge(booking: Booking, why: str, occurred_on: dt.date) -> RechargeEntry | None:
    """Post the place's charge from the partner to the host, unless one already stands."""
    run = booking.run
    try:
        with transaction.atomic():
            entry = ledger.post_recharge(
                actor=None,
                payer=booking.organisation,
                payee=run.programme.host,
                amount=Decimal(run.partner_price),
                source_kind="run",
                source_id=str(run.pk),
                source_label=_label(booking, why),
                occurred_on=occurred_on,
                purchase_order=booking.purchase_order,
                cost_centre=booking.cost_centre,
            )
            # The claim: only the first call to land links its entry; a second rolls its own back.
            if not Booking.objects.filter(pk=booking.pk, recharge__isnull=True).update(
                recharge=entry
            ):
                raise _AlreadyCharged
    except _AlreadyCharged:
        return None
    booking.recharge = entry
    return entry


def withdraw_place_charge(actor: Actor, booking: Booking) -> RechargeEntry | None:
    """Reverse the charge standing for the booking and unlink it; the host actor must be allowed."""
    entry = Booking.objects.filter(pk=booking.pk).values_list("recharge", flat=True).first()
    if entry is None:
        return None
    standing = RechargeEntry.objects.get(pk=entry)
    if not may_reverse_recharge(actor, standing):
        raise ValidationError(
            {
                "outcome": "Only the host's learning and development lead can make this "
                "correction, because it cancels a recharge to the partner"
            }
        )
    if not Booking.objects.filter(pk=booking.pk, recharge=standing).update(recharge=None):
        return None
    booking.recharge = None
    return ledger.reverse_recharge(actor=actor, entry=standing, reason=CORRECTION_REASON)


def settle_outcome(actor: Actor, booking: Booking) -> RechargeEntry | None:
    """Make the ledger match the booking's (new) outcome: post, keep, or reverse and repost."""
    why = charge_for_outcome(booking)
    current = Booking.objects.filter(pk=booking.pk).values_list("recharge", flat=True).first()
    standing = RechargeEntry.objects.filter(pk=current).first() if current else None
    if standing is not None and why is not None and standing.source_label == _label(booking, why):
        return None
    if standing is not None:
        withdraw_place_charge(actor, booking)
    if why is None:
        return None
    return post_place_charge(booking, why, timezone.localdate())


def is_late_cancellation(booking: Booking, now: dt.datetime) -> bool:
    """Whether cancelling the place now falls within the run's late-cancellation window."""
    run = booking.run
    if not run.charge_late_cancellations or not run.late_cancellation_days:
        return False
    first = run.first_session()
    if first is None:
        return False
    starts = dt.datetime.combine(first.date, first.starts_at, tzinfo=LONDON)
    return starts - dt.timedelta(days=run.late_cancellation_days) <= now


def charge_late_cancellation(
    actor: Actor, booking: Booking, now: dt.datetime
) -> RechargeEntry | None:
    """Charge a partner who cancels a confirmed place late; the host cancelling charges nothing."""
    if actor.organisation_id == booking.run.programme.host_id:
        return None
    if not is_partner_place(booking) or booking.run.partner_price <= 0:
        return None
    if not is_late_cancellation(booking, now):
        return None
    return post_place_charge(booking, LATE_CANCELLATION, timezone.localdate(now))
