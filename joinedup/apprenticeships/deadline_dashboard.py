"""The deadline dashboard's reads, shared by its page and the API: for practice tutors (their
apprentices) and programme leaders (every apprentice their organisation provides for).

Three lists, each keyset paginated and each a constant number of queries:
- feedback overdue: unmarked and past its due day, oldest first, with the working days late;
- feedback due soon: unmarked and due from today to the end of the 5th working day after today;
- submissions due soon: cohort deadlines in the next 14 days that an active apprentice has not
  submitted yet.

Working days follow the acting organisation's calendar for "the next 5 working days" (bank
holidays and its closure days) and each provider's for the days late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, QuerySet

from joinedup.lib.keyset import KeysetPage, keyset_page
from joinedup.partnership.actor import Actor

from . import access, working_days
from .models import BankHoliday, ClosureDay, Enrolment, EnrolmentStatus, Submission

FEEDBACK_SOON_WORKING_DAYS = 5
SUBMISSIONS_SOON_DAYS = 14
PAGE_SIZE = 50
FEEDBACK_ORDER = ("feedback_due_on", "id")
DEADLINE_ORDER = ("due_on", "deadline_id", "id")
# Five working days span less than this unless the provider closes for weeks (then read on).
HORIZON_WINDOW = dt.timedelta(days=40)


@dataclass(frozen=True)
class Calendar:
    """The closed days (bank holidays and each provider's closure days) over a span."""

    holidays: frozenset[dt.date]
    closures: dict[int, frozenset[dt.date]]

    def closed_for(self, provider_id: int | None) -> frozenset[dt.date]:
        return self.holidays | self.closures.get(provider_id or 0, frozenset())


def calendar(provider_ids: set[int], start: dt.date, end: dt.date) -> Calendar:
    """Two queries: bank holidays and the providers' closure days from `start` to `end`."""
    holidays = frozenset(
        BankHoliday.objects.filter(on__range=(start, end)).values_list("on", flat=True)
    )
    closures: dict[int, set[dt.date]] = {}
    found = ClosureDay.objects.filter(provider_id__in=provider_ids, on__range=(start, end))
    for provider_id, on in found.values_list("provider_id", "on"):
        closures.setdefault(provider_id, set()).add(on)
    return Calendar(holidays, {key: frozenset(days) for key, days in closures.items()})


def awaiting(actor: Actor) -> QuerySet[Submission]:
    """Unmarked submissions on the actor's dashboard, with what each row shows."""
    return (
        access.deadline_submissions(actor)
        .filter(marked_on__isnull=True)
        .select_related("assignment", "enrolment__apprentice", "enrolment__employer")
    )


def overdue_feedback(actor: Actor, today: dt.date) -> QuerySet[Submission]:
    """Unmarked after the due day: late from the day after `feedback_due_on`."""
    return awaiting(actor).filter(feedback_due_on__lt=today)


def feedback_due_soon(actor: Actor, today: dt.date, horizon: dt.date) -> QuerySet[Submission]:
    """Unmarked and due from today to `horizon` (the 5th working day after today)."""
    return awaiting(actor).filter(feedback_due_on__range=(today, horizon))


def submissions_due_soon(actor: Actor, today: dt.date) -> QuerySet[Enrolment]:
    """One row per active apprentice and cohort deadline in the next 14 days not yet submitted
    (`due_on`, `deadline_id`, `due_assignment_id` and `assignment_title` annotated)."""
    last = today + dt.timedelta(days=SUBMISSIONS_SOON_DAYS)
    submitted = Submission.objects.filter(
        enrolment=OuterRef("pk"), assignment=OuterRef("due_assignment_id")
    )
    return (
        access.deadline_enrolments(actor)
        .filter(status=EnrolmentStatus.ACTIVE)
        .annotate(
            due_on=F("cohort__deadlines__due_on"),
            deadline_id=F("cohort__deadlines__id"),
            due_assignment_id=F("cohort__deadlines__assignment_id"),
            assignment_title=F("cohort__deadlines__assignment__title"),
        )
        .filter(due_on__range=(today, last))
        .filter(~Exists(submitted))
        .select_related("apprentice", "employer")
    )


def horizon(actor: Actor, today: dt.date) -> dt.date:
    """The 5th working day after today at the acting organisation (two queries)."""
    provider = actor.organisation_id or 0
    end = today + HORIZON_WINDOW
    while True:
        closed = calendar({provider}, today, end).closed_for(provider)
        last = working_days.add_working_days(today, FEEDBACK_SOON_WORKING_DAYS, closed)
        if last <= end:
            return last
        # Closed for weeks: read further and count again.
        end = last + HORIZON_WINDOW


@dataclass(frozen=True)
class OverdueRow:
    submission: Submission
    working_days_late: int


def with_days_late(submissions: list[Submission], today: dt.date) -> list[OverdueRow]:
    """Each overdue submission with its working days late: working days after its due day up to
    today, by its provider's calendar (two queries for the whole page, even an empty one, so the
    page's query count never depends on the data)."""
    earliest = min((submission.feedback_due_on for submission in submissions), default=today)
    known = calendar({s.provider_id for s in submissions}, earliest, today)
    return [
        OverdueRow(
            submission,
            working_days.working_days_between(
                submission.feedback_due_on, today, known.closed_for(submission.provider_id)
            ),
        )
        for submission in submissions
    ]


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    horizon: dt.date
    overdue: KeysetPage
    overdue_rows: list[OverdueRow]
    due_soon: KeysetPage
    submissions_soon: KeysetPage


def dashboard(
    actor: Actor,
    today: dt.date,
    *,
    cursors: dict[str, tuple[str | None, str | None]] | None = None,
    size: int = PAGE_SIZE,
) -> Dashboard:
    """All three lists, each one page from its own cursor (`cursors` maps "overdue", "soon" and
    "submissions" to (after, before))."""
    cursors = cursors or {}

    def page(name: str, queryset: QuerySet, ordering: tuple[str, ...]) -> KeysetPage:
        after, before = cursors.get(name, (None, None))
        return keyset_page(queryset, ordering, after=after, before=before, size=size)

    last = horizon(actor, today)
    overdue = page("overdue", overdue_feedback(actor, today), FEEDBACK_ORDER)
    return Dashboard(
        today=today,
        horizon=last,
        overdue=overdue,
        overdue_rows=with_days_late(overdue.items, today),
        due_soon=page("soon", feedback_due_soon(actor, today, last), FEEDBACK_ORDER),
        submissions_soon=page("submissions", submissions_due_soon(actor, today), DEADLINE_ORDER),
    )
