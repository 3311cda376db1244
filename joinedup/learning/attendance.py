"""After a run: attendance per session, outcomes per booking, completion and evaluations.

The host (its L&D lead or programme leader, `access.may_host`) keeps a register per session for
the run's confirmed bookings and records each booking's outcome; a partner's outcome settles its
recharge (`learning.recharges`). For self-paced runs, which have no sessions, the learner says they
have completed and the host confirms by recording the outcome. Each submission is one transaction
with its audit entries; free text about people never goes into the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor

from . import access, recharges
from .models import LONDON, Attendance, Booking, BookingStatus, Evaluation, Outcome, Run, Session

ATTENDED_OUTCOMES = (Outcome.COMPLETED, Outcome.NOT_COMPLETED)
QUESTIONS = (
    ("rating_overall", "Overall, how would you rate this course?"),
    ("rating_content", "How good was the content?"),
    ("rating_delivery", "How well was it delivered?"),
    ("rating_usefulness", "How useful will it be in your work?"),
)
RATINGS = (1, 2, 3, 4, 5)
TEXT_LIMIT = 2000


def session_starts(session: Session) -> dt.datetime:
    return dt.datetime.combine(session.date, session.starts_at, tzinfo=LONDON)


def session_ends(session: Session) -> dt.datetime:
    return dt.datetime.combine(session.date, session.ends_at, tzinfo=LONDON)


def has_started(session: Session, now: dt.datetime | None = None) -> bool:
    """A session's register can be kept from the moment it starts, never before."""
    return session_starts(session) <= (now or timezone.now())


def is_self_paced(run: Run) -> bool:
    return not run.sessions.exists()


def register(run: Run) -> QuerySet[Booking]:
    """The run's confirmed bookings, the people whose attendance and outcome the host records."""
    return (
        Booking.objects.filter(run=run, status=BookingStatus.CONFIRMED)
        .select_related("person", "organisation")
        .order_by("person__family_name", "person__given_name", "id")
    )


def _booking_label(booking: Booking) -> str:
    return f"Booking on {booking.run.programme.title} (run {booking.run_id})"


# --- Attendance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRow:
    session: Session
    started: bool
    recorded: int
    present: int


def run_sessions(run: Run) -> list[SessionRow]:
    """The run's sessions with how many attendances are recorded and how many were present."""
    now = timezone.now()
    sessions = run.sessions.annotate(
        recorded=Count("attendances"),
        present=Count("attendances", filter=Q(attendances__present=True)),
    ).order_by("date", "starts_at", "id")
    return [
        SessionRow(session, has_started(session, now), session.recorded, session.present)
        for session in sessions
    ]


def session_register(session: Session) -> tuple[list[Booking], dict[int, bool]]:
    """The people on the session's register, and who is recorded present (True) or absent."""
    people = list(register(session.run))
    marks = dict(
        Attendance.objects.filter(session=session, booking__in=people).values_list(
            "booking_id", "present"
        )
    )
    return people, marks


def record_attendance(
    *, actor: Actor, session: Session, present: Mapping[int, bool]
) -> list[Attendance]:
    """The host records who was present at a session that has started; one submission, one audit."""
    run = session.run
    if not access.may_host(actor, run):
        raise PermissionDenied
    now = timezone.now()
    if not has_started(session, now):
        raise ValidationError({"session": "You can record attendance once the session has started"})
    bookings = {booking.pk: booking for booking in register(run)}
    unknown = set(present) - set(bookings)
    if unknown:
        raise ValidationError(
            {"session": "Someone on this register no longer has a confirmed place; reload the page"}
        )
    with transaction.atomic():
        marks = []
        for booking_id, here in sorted(present.items()):
            mark, _ = Attendance.objects.update_or_create(
                booking_id=booking_id,
                session=session,
                defaults={"present": here, "recorded_by": actor.person, "recorded_at": now},
            )
            marks.append(mark)
        audit.record(
            actor=actor,
            action="attendance.recorded",
            kind="session",
            object_id=session.pk,
            label=f"{run.programme.title} (run {run.pk}), session {session.date:%d %B %Y}",
            organisation=run.programme.host,
            changes={
                "run": run.pk,
                "present": sorted(pk for pk, here in present.items() if here),
                "absent": sorted(pk for pk, here in present.items() if not here),
            },
        )
    return marks


# --- Outcomes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    booking: Booking
    recorded: int  # sessions with an attendance recorded
    present: int  # sessions the person was present at

    @property
    def attended_none(self) -> bool:
        return self.recorded > 0 and self.present == 0


def outcome_rows(run: Run) -> list[OutcomeRow]:
    """The run's confirmed bookings with what the register says about them."""
    bookings = register(run).annotate(
        recorded=Count("attendances"),
        present=Count("attendances", filter=Q(attendances__present=True)),
    )
    return [OutcomeRow(booking, booking.recorded, booking.present) for booking in bookings]


def may_record_outcomes(run: Run, now: dt.datetime | None = None) -> bool:
    """Outcomes can be recorded once the first session has started (any time if self-paced)."""
    first = run.first_session()
    return first is None or has_started(first, now)


def _outcome_error(row: OutcomeRow, outcome: str) -> str | None:
    """Why the outcome contradicts the register, or None: no session attended is a no-show."""
    name = row.booking.person.full_name
    if row.attended_none and outcome in ATTENDED_OUTCOMES:
        return f"{name} attended no session, so record them as did not attend"
    if row.present and outcome == Outcome.NO_SHOW:
        return f"{name} was present at a session, so they cannot be recorded as did not attend"
    return None


def record_outcomes(*, actor: Actor, run: Run, outcomes: Mapping[int, str]) -> list[Booking]:
    """The host records outcomes for the run's bookings; partners' recharges follow them."""
    if not access.may_host(actor, run):
        raise PermissionDenied
    now = timezone.now()
    if not may_record_outcomes(run, now):
        raise ValidationError({"run": "You can record outcomes once the first session has started"})
    rows = {row.booking.pk: row for row in outcome_rows(run)}
    errors: dict[str, str] = {}
    for booking_id, outcome in outcomes.items():
        field = f"outcome_{booking_id}"
        row = rows.get(booking_id)
        if row is None:
            errors["run"] = "Someone on this list no longer has a confirmed place; reload the page"
        elif outcome not in Outcome.values:
            errors[field] = f"Select an outcome for {row.booking.person.full_name}"
        elif problem := _outcome_error(row, outcome):
            errors[field] = problem
    if errors:
        raise ValidationError(errors)
    changed = []
    with transaction.atomic():
        for booking_id, outcome in sorted(outcomes.items()):
            booking = rows[booking_id].booking
            previous = booking.outcome
            if previous == outcome:
                continue
            moved = Booking.objects.filter(
                pk=booking.pk, status=BookingStatus.CONFIRMED, outcome=previous
            ).update(outcome=outcome, outcome_recorded_at=now)
            if not moved:
                raise ValidationError({"run": "These outcomes have changed; reload the page"})
            booking.outcome = outcome
            booking.outcome_recorded_at = now
            booking.run = run
            entry = recharges.settle_outcome(actor, booking)
            audit.record(
                actor=actor,
                action="booking.outcome_recorded",
                kind="booking",
                object_id=booking.pk,
                label=_booking_label(booking),
                organisation=run.programme.host,
                changes={
                    "run": run.pk,
                    "organisation": booking.organisation_id,
                    "outcome": outcome,
                    "previous": previous,
                    "recharge": entry.pk if entry else booking.recharge_id,
                },
            )
            changed.append(booking)
    return changed


# --- Self-paced completion -------------------------------------------------------------------


def report_completion(*, actor: Actor, booking: Booking) -> Booking:
    """The learner on a self-paced run says "I have completed this"; the host may then confirm."""
    if not access.is_own_booking(actor, booking):
        raise PermissionDenied
    if booking.status != BookingStatus.CONFIRMED or not is_self_paced(booking.run):
        raise ValidationError(
            "Only a confirmed place on self-paced learning can be marked complete"
        )
    now = timezone.now()
    with transaction.atomic():
        if not Booking.objects.filter(
            pk=booking.pk, status=BookingStatus.CONFIRMED, completion_reported_at__isnull=True
        ).update(completion_reported_at=now):
            raise ValidationError("You have already said you completed this")
        booking.completion_reported_at = now
        audit.record(
            actor=actor,
            action="booking.completion_reported",
            kind="booking",
            object_id=booking.pk,
            label=_booking_label(booking),
            organisation=booking.run.programme.host,
            changes={"run": booking.run_id, "organisation": booking.organisation_id},
        )
    return booking


# --- Evaluations ----------------------------------------------------------------------------


def run_has_ended(booking: Booking, now: dt.datetime | None = None) -> bool:
    """After the last session; for self-paced learning, once the learner or host says complete."""
    sessions = list(booking.run.sessions.all())
    if sessions:
        return max(session_ends(session) for session in sessions) <= (now or timezone.now())
    return booking.completion_reported_at is not None or booking.outcome == Outcome.COMPLETED


def may_be_evaluated(booking: Booking, now: dt.datetime | None = None) -> bool:
    """An attendee's confirmed place, after the run, not yet evaluated."""
    if booking.status != BookingStatus.CONFIRMED:
        return False
    attended = booking.outcome in ATTENDED_OUTCOMES or (
        booking.completion_reported_at is not None and not booking.run.sessions.all()
    )
    if not attended or not run_has_ended(booking, now):
        return False
    return not Evaluation.objects.filter(booking=booking).exists()


def _rating(value: object, field: str, errors: dict[str, str]) -> int:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        number = 0
    if number not in RATINGS:
        errors[field] = "Select a rating from 1 to 5"
    return number


def submit_evaluation(
    *,
    actor: Actor,
    booking: Booking,
    ratings: Mapping[str, object],
    went_well: str = "",
    to_improve: str = "",
) -> Evaluation:
    """The attendee's one evaluation of the run: four ratings from 1 to 5 and two free texts."""
    if not access.is_own_booking(actor, booking):
        raise PermissionDenied
    if Evaluation.objects.filter(booking=booking).exists():
        raise ValidationError("You have already evaluated this course")
    if not may_be_evaluated(booking):
        raise ValidationError("You can evaluate this course once you have attended it")
    errors: dict[str, str] = {}
    values = {field: _rating(ratings.get(field), field, errors) for field, _ in QUESTIONS}
    texts = {"went_well": went_well.strip(), "to_improve": to_improve.strip()}
    for field, text in texts.items():
        if len(text) > TEXT_LIMIT:
            errors[field] = f"Enter {TEXT_LIMIT:,} characters or fewer"
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(booking=booking, **values, **texts)
            audit.record(
                actor=actor,
                action="evaluation.submitted",
                kind="evaluation",
                object_id=evaluation.pk,
                label=f"Evaluation of {booking.run.programme.title} (run {booking.run_id})",
                organisation=booking.run.programme.host,
                changes={"run": booking.run_id, "booking": booking.pk, **values},
            )
    except IntegrityError:
        # Two submissions at once: the one-per-booking constraint lets only one through.
        raise ValidationError("You have already evaluated this course") from None
    return evaluation


@dataclass(frozen=True)
class Bar:
    rating: int
    count: int
    percent: int  # of the answers to the question, for the chart's bar


@dataclass(frozen=True)
class QuestionResult:
    field: str
    question: str
    average: Decimal | None
    bars: list[Bar]


@dataclass(frozen=True)
class EvaluationResults:
    count: int
    attendees: int
    questions: list[QuestionResult]
    comments: list[tuple[str, str]]  # (went well, to improve), with no names


def evaluation_results(run: Run) -> EvaluationResults:
    """Counts, the average and distribution per question, and the words, without names."""
    evaluations = Evaluation.objects.filter(booking__run=run)
    count = evaluations.count()
    counts = {
        field: dict(
            evaluations.order_by()
            .values_list(field)
            .annotate(n=Count("id"))
            .values_list(field, "n")
        )
        for field, _ in QUESTIONS
    }
    questions = []
    for field, question in QUESTIONS:
        given = counts[field]
        total = sum(given.values())
        average = None
        if total:
            score = Decimal(sum(rating * n for rating, n in given.items())) / total
            average = score.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        bars = [
            Bar(
                rating,
                given.get(rating, 0),
                round(100 * given.get(rating, 0) / total) if total else 0,
            )
            for rating in RATINGS
        ]
        questions.append(QuestionResult(field, question, average, bars))
    comments = [
        (went_well, to_improve)
        for went_well, to_improve in evaluations.order_by("submitted_at", "id").values_list(
            "went_well", "to_improve"
        )
        if went_well or to_improve
    ]
    attendees = Booking.objects.filter(
        run=run, status=BookingStatus.CONFIRMED, outcome__in=ATTENDED_OUTCOMES
    ).count()
    return EvaluationResults(count, attendees, questions, comments)


# --- What a learner can do next, for My learning ---------------------------------------------


@dataclass(frozen=True)
class FollowUps:
    to_complete: list[Booking]
    to_evaluate: list[Booking]
    certificates: list[Booking]


def my_follow_ups(actor: Actor) -> FollowUps:
    """The person's self-paced places to mark complete, runs to evaluate, and certificates."""
    if actor.person is None:
        return FollowUps([], [], [])
    bookings = (
        Booking.objects.filter(person=actor.person, status=BookingStatus.CONFIRMED)
        .filter(Q(outcome__in=ATTENDED_OUTCOMES) | Q(outcome="", run__sessions__isnull=True))
        .distinct()
        .select_related("run__programme__host", "evaluation")
        .prefetch_related("run__sessions")
        .order_by("-requested_at", "-id")
    )
    now = timezone.now()
    found = FollowUps([], [], [])
    for booking in bookings:
        self_paced = not booking.run.sessions.all()
        if self_paced and not booking.outcome and booking.completion_reported_at is None:
            found.to_complete.append(booking)
        if not hasattr(booking, "evaluation") and _evaluable(booking, now):
            found.to_evaluate.append(booking)
        if booking.outcome == Outcome.COMPLETED:
            found.certificates.append(booking)
    return found


def _evaluable(booking: Booking, now: dt.datetime) -> bool:
    attended = booking.outcome in ATTENDED_OUTCOMES or booking.completion_reported_at is not None
    return attended and run_has_ended(booking, now)
