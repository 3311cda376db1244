"""Reminders before a run's first session and before an offered place lapses, each sent once.

Each reminder is claimed by setting its booking's `reminded_7_days_at`, `reminded_1_day_at` or
`offer_reminded_at` where it is still empty, one conditional update per booking, before anything is
queued; so however many workers run the job at once, only the one whose update lands sends it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.utils import timezone

from . import notices
from .models import LONDON, Booking, BookingStatus, Session

BEFORE_START = (
    (notices.REMINDER_7_DAYS, dt.timedelta(days=7), "reminded_7_days_at"),
    (notices.REMINDER_1_DAY, dt.timedelta(days=1), "reminded_1_day_at"),
)
# An offer is reminded this long before it lapses, or half its window if that is shorter.
OFFER_REMINDER_BEFORE = dt.timedelta(hours=12)


def first_starts(now: dt.datetime, within: dt.timedelta) -> dict[int, dt.datetime]:
    """When each run not cancelled whose first session is still to come within `within` starts."""
    today = timezone.localdate(now, LONDON)
    last_day = (now + within).astimezone(LONDON).date()
    earlier = Session.objects.filter(run=OuterRef("run"), date__lt=today)
    rows = (
        Session.objects.filter(date__range=(today, last_day), run__cancelled_at__isnull=True)
        .exclude(Exists(earlier))
        .order_by("run_id", "date", "starts_at")
        .values_list("run_id", "date", "starts_at")
    )
    starts: dict[int, dt.datetime] = {}
    for run_id, date, starts_at in rows:
        starts.setdefault(run_id, dt.datetime.combine(date, starts_at, tzinfo=LONDON))
    return {run_id: start for run_id, start in starts.items() if now < start <= now + within}


def _claim(booking_id: int, field: str, now: dt.datetime) -> bool:
    return bool(
        Booking.objects.filter(pk=booking_id, **{f"{field}__isnull": True}).update(**{field: now})
    )


def _session_reminders(now: dt.datetime) -> dict[str, int]:
    starts = first_starts(now, BEFORE_START[0][1])
    counts = {}
    for number, (event, lead, field) in enumerate(BEFORE_START):
        # Due from `lead` before the start until the next, shorter reminder is due.
        until = BEFORE_START[number + 1][1] if number + 1 < len(BEFORE_START) else dt.timedelta(0)
        due = {run_id: start for run_id, start in starts.items() if until < start - now <= lead}
        candidates = Booking.objects.filter(
            run_id__in=due, status=BookingStatus.CONFIRMED, **{f"{field}__isnull": True}
        ).values_list("pk", "run_id", "confirmed_at")
        by_run: dict[int, list[int]] = defaultdict(list)
        for pk, run_id, confirmed_at in candidates:
            # A place confirmed after the reminder was due has just had its confirmation.
            if confirmed_at is not None and confirmed_at > due[run_id] - lead:
                continue
            if _claim(pk, field, now):
                by_run[run_id].append(pk)
        for booking_ids in by_run.values():
            notices.reminders(event, booking_ids)
        counts[event] = sum(len(ids) for ids in by_run.values())
    return counts


def _offer_reminders(now: dt.datetime) -> int:
    offers = Booking.objects.filter(
        status=BookingStatus.OFFERED,
        offer_reminded_at__isnull=True,
        offer_expires_at__gt=now,
        offer_expires_at__lte=now + OFFER_REMINDER_BEFORE,
    ).values_list("pk", "offer_expires_at", "run__offer_window_hours")
    claimed = []
    for pk, expires_at, window_hours in offers:
        lead = min(OFFER_REMINDER_BEFORE, dt.timedelta(hours=window_hours) / 2)
        if expires_at - lead <= now and _claim(pk, "offer_reminded_at", now):
            claimed.append(pk)
    for pk in claimed:
        notices.reminders(notices.OFFER_LAPSING, [pk])
    return len(claimed)


def send_due_reminders(now: dt.datetime | None = None) -> dict[str, int]:
    """Queue every reminder now due that has not been sent; return how many of each."""
    now = now or timezone.now()
    return {**_session_reminders(now), notices.OFFER_LAPSING: _offer_reminders(now)}
