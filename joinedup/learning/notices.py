"""E-mails to people about their bookings and runs, one function per event.

The services call these inside their transaction. Nothing is sent there: one background task is
queued for the event (one per run for places given by a release), and the task renders
`notifications/learning_<event>.txt` for each booking and sends it. With the database task queue
(as deployed) the task's row is written in the same transaction, so the worker sees it once the
change commits; with any other task backend the task is queued once the transaction commits. A
change that rolls back sends nothing, and the release job only enqueues.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import Task
from django_tasks.utils import normalize_json
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from joinedup.lib.row_insert import insert_row
from joinedup.partnership.models import Employment, Person
from joinedup.partnership.notifications import notify

from .catalogue import waiting_position
from .models import ACTIVE_STATUSES, LONDON, Booking, BookingStatus, Run, Session

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
REQUESTED = "requested"
APPROVAL_NEEDED = "approval_needed"
OFFERED = "offered"
OFFER_LAPSING = "offer_lapsing"
APPROVED = "approved"
DECLINED = "declined"
REMINDER_7_DAYS = "reminder_7_days"
REMINDER_1_DAY = "reminder_1_day"
RUN_CANCELLED = "run_cancelled"
RUN_CHANGED = "run_changed"
WAITING_LIST_CLOSED = "waiting_list_closed"

# A message about a booking is sent only while the booking is still in the state it describes
# (a place confirmed and cancelled a moment later is not announced as confirmed).
STILL_TRUE: dict[str, tuple[str, ...]] = {
    CONFIRMED: (BookingStatus.CONFIRMED,),
    WAITLISTED: (BookingStatus.WAITING,),
    REQUESTED: (BookingStatus.REQUESTED,),
    APPROVAL_NEEDED: (BookingStatus.REQUESTED,),
    OFFERED: (BookingStatus.OFFERED,),
    OFFER_LAPSING: (BookingStatus.OFFERED,),
    APPROVED: (BookingStatus.CONFIRMED, BookingStatus.WAITING),
    DECLINED: (BookingStatus.DECLINED,),
    WAITING_LIST_CLOSED: (BookingStatus.CANCELLED,),
    REMINDER_7_DAYS: (BookingStatus.CONFIRMED,),
    REMINDER_1_DAY: (BookingStatus.CONFIRMED,),
}
# Reminders are optional e-mails: they honour the person's preference.
OPTIONAL = frozenset({REMINDER_7_DAYS, REMINDER_1_DAY})
EVENTS = frozenset({*STILL_TRUE, RUN_CANCELLED, RUN_CHANGED})


# --- Called by the services, inside their transaction ------------------------------------------


def booking_made(booking: Booking) -> None:
    """A new booking: confirmed, on the waiting list, or waiting for approval."""
    event = {
        BookingStatus.CONFIRMED: CONFIRMED,
        BookingStatus.WAITING: WAITLISTED,
        BookingStatus.REQUESTED: REQUESTED,
    }[booking.status]
    _after_commit(event, [booking.pk])
    if event == REQUESTED:
        _after_commit(APPROVAL_NEEDED, [booking.pk])


def booking_confirmed(booking: Booking) -> None:
    """A place is confirmed: joining instructions, sessions and the calendar file."""
    _after_commit(CONFIRMED, [booking.pk])


def booking_approved(booking: Booking) -> None:
    """The line manager approved: the place is confirmed, or the person waits for one."""
    _after_commit(APPROVED, [booking.pk])


def booking_declined(booking: Booking) -> None:
    """The line manager declined, with their reason."""
    _after_commit(DECLINED, [booking.pk])


def places_given(bookings: Sequence[Booking]) -> None:
    """Places given by a release or passed on: each booking is offered or confirmed."""
    offered = [booking.pk for booking in bookings if booking.status == BookingStatus.OFFERED]
    confirmed = [booking.pk for booking in bookings if booking.status == BookingStatus.CONFIRMED]
    if offered:
        _after_commit(OFFERED, offered)
    if confirmed:
        _after_commit(CONFIRMED, confirmed)


def run_cancelled(run: Run, booking_ids: Iterable[int], reason: str) -> None:
    """The host cancelled the run: everyone who held or waited for a place hears why."""
    _after_commit(RUN_CANCELLED, list(booking_ids), {"reason": reason})


def run_changed(run: Run, booking_ids: Iterable[int], changes: Sequence[str]) -> None:
    """The host changed the run: each line of `changes` says what changed, for people."""
    _after_commit(RUN_CHANGED, list(booking_ids), {"changes": list(changes)})


def run_updated(run: Run, changed: Mapping[str, tuple]) -> None:
    """After `update_run`: people booked or waiting hear of changes to when and where it is."""
    lines = []
    if "sessions" in changed:
        before, after = changed["sessions"]
        lines.append("Sessions were: " + ("; ".join(before) or "none"))
        lines.append("Sessions are now: " + ("; ".join(after) or "none"))
    if "completion_deadline" in changed:
        before, after = changed["completion_deadline"]
        lines.append(f"Complete it by: {_day(after)} (was {_day(before)})")
    if lines:
        active = Booking.objects.filter(run=run, status__in=ACTIVE_STATUSES)
        run_changed(run, active.values_list("pk", flat=True), lines)


def waiting_list_closed(booking: Booking) -> None:
    """Bookings closed while the person was still waiting: no place came to them."""
    _after_commit(WAITING_LIST_CLOSED, [booking.pk])


def _day(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "no date"


def reminders(event: str, booking_ids: Sequence[int]) -> None:
    """Reminders the job has claimed: 7 days or 1 day before, or an offer about to lapse."""
    _after_commit(event, list(booking_ids))


def _after_commit(event: str, booking_ids: list[int], extra: dict | None = None) -> None:
    if not booking_ids:
        return
    # Imported here: the task module imports this one.
    from .tasks import send_learning_notices

    kwargs = {"event": event, "booking_ids": booking_ids, "extra": extra}
    backend = send_learning_notices.get_backend()
    if isinstance(backend, DatabaseBackend):
        # Tasks kept in this database: the task's row is written in the change's own transaction,
        # so the worker sees it only once the change commits, and never if it rolls back.
        insert_row(_task_row(send_learning_notices, backend.alias, kwargs))
    else:
        transaction.on_commit(lambda: send_learning_notices.enqueue(**kwargs))


def _task_row(task: Task, backend_alias: str, kwargs: dict) -> DBTaskResult:
    """The row `DatabaseBackend.enqueue` would write for the task, built without its overhead.

    Every booking queues one, and the library's `enqueue` (checking the task, `save()` and its
    signals, building a result to hand back) took more CPU than the rest of the booking's
    writes. `test_notices` checks this row against the library's own.
    """
    return DBTaskResult(
        args_kwargs=normalize_json({"args": [], "kwargs": kwargs}),
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        run_after=task.run_after or get_date_max(),
        backend_name=backend_alias,
    )


# --- Called by the background task and the reminder job -----------------------------------------


def send(event: str, booking_ids: Sequence[int], extra: dict | None = None) -> int:
    """Render and send the event's e-mail for each booking still in its state; return how many."""
    if event not in EVENTS:
        raise ValueError(f"Unknown learning notice {event!r}")
    bookings = (
        Booking.objects.filter(pk__in=booking_ids)
        .select_related("person", "organisation", "run__programme__host")
        .prefetch_related("run__sessions")
        .order_by("pk")
    )
    sent = 0
    for booking in bookings:
        if event in STILL_TRUE and booking.status not in STILL_TRUE[event]:
            continue
        context = {**_context(booking), **(extra or {})}
        for recipient in _recipients(event, booking):
            if notify(recipient, f"learning_{event}", context, optional=event in OPTIONAL):
                sent += 1
    return sent


def _recipients(event: str, booking: Booking) -> list[Person]:
    """The booked person; for a request needing approval, their line managers in that job."""
    if event != APPROVAL_NEEDED:
        return [booking.person]
    jobs = (
        Employment.objects.current()
        .filter(person=booking.person, organisation=booking.organisation)
        .exclude(line_manager=None)
        .select_related("line_manager__person")
    )
    return list({job.line_manager.person for job in jobs})


def _url(name: str, *args: object) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def london(moment: dt.datetime) -> str:
    """A moment as people in the partnership read it: "14:00, 3 March 2027"."""
    local = timezone.localtime(moment, LONDON)
    return f"{local:%H:%M}, {local.day} {local:%B %Y}"


def session_line(session: Session) -> str:
    """One session for an e-mail: its date and times, and where it is."""
    where = session.venue or session.online_link or "Place to be confirmed"
    when = f"{session.date:%A} {session.date.day} {session.date:%B %Y}"
    return f"{when}, {session.starts_at:%H:%M} to {session.ends_at:%H:%M}: {where}"


def _context(booking: Booking) -> dict:
    run = booking.run
    sessions = list(run.sessions.all())
    context = {
        "booking": booking,
        "run": run,
        "programme": run.programme,
        "sessions": [session_line(session) for session in sessions],
        "run_url": _url("learning:run", run.pk),
        "my_learning_url": _url("learning:my-learning"),
        "approvals_url": _url("learning:approvals"),
        "calendar_url": _url("learning:booking-calendar", booking.pk),
        "accept_url": _url("learning:accept-offer", booking.pk),
        "decline_url": _url("learning:decline-offer", booking.pk),
    }
    if booking.offer_expires_at is not None:
        context["offer_expires"] = london(booking.offer_expires_at)
    if booking.status == BookingStatus.WAITING:
        context["position"] = waiting_position(booking)
    return context
