"""Progress reviews: scheduled every 12 weeks from the start (`review_schedule.py`), recorded by the
practice tutor, then signed by the apprentice, the line manager and the tutor in that order.

- `schedule` makes the enrolment's missing review rows (idempotent). It runs when an enrolment
  becomes active (`enrolments.activate`) and every day for every live enrolment
  (`flag_overdue_reviews`' job in `review_jobs.py`, and `joinedup schedule_reviews`), so a planned
  end that moves later gains rows; a planned end that moves earlier drops only the unrecorded rows
  beyond it, never a recorded one.
- `record` writes what was discussed, with the off-the-job hours logged and verified so far as a
  snapshot. It claims the row with a conditional UPDATE (recorded_at still empty), so two tutors
  at once never both record it.
- `sign` adds one signature in turn; the unique (review, party) constraint refuses a second one
  for a party, and the third sets `fully_signed_at` once (conditional UPDATE).
- A review is overdue from the day after it is due until fully signed. Only reviews of live
  enrolments (active, at gateway, in end-point assessment) are listed as due or flagged: a break,
  withdrawal or completion stops them.
- An enrolment with no line manager cannot have its reviews signed past the apprentice: the
  employer's L&D lead must name one (on the enrolment's terms page). The L&D lead does not sign in
  their place, because the line manager attends the review and vouches for the workplace side.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import (
    AuditEvent,
    Employment,
    OrganisationRole,
    OrganisationRoleGrant,
    Person,
)
from joinedup.partnership.notifications import notify

from . import access, off_the_job, review_schedule
from .models import (
    REVIEW_INTERVAL_WEEKS,
    Enrolment,
    EnrolmentStatus,
    ProgressReview,
    ReviewParty,
    ReviewSignature,
)

KIND = "progress_review"
OVERDUE_ACTION = "apprenticeships.review_overdue"
OVERDUE_TEMPLATE = "apprenticeship_reviews_overdue"
LIVE = (EnrolmentStatus.ACTIVE, EnrolmentStatus.AT_GATEWAY, EnrolmentStatus.IN_EPA)
DUE_SOON_DAYS = 28
# Reviews that became overdue up to this many days ago are still flagged (a worker that was down
# catches up), each once: the flag is an audit event the job looks for before e-mailing.
CATCH_UP_DAYS = 7
TEXT_LIMIT = 5000
PARTY_NAMES = {
    ReviewParty.APPRENTICE: "the apprentice",
    ReviewParty.LINE_MANAGER: "the line manager",
    ReviewParty.TUTOR: "the practice tutor",
}
NO_LINE_MANAGER = (
    "This apprenticeship has no line manager named, so the review cannot be signed for the line "
    "manager: the employer's L&D lead must name one on the apprenticeship's terms page first"
)
NO_TUTOR = (
    "This apprenticeship has no practice tutor named, so the review cannot be signed for the "
    "tutor: the employer's L&D lead or the provider's programme leader must name one first"
)


def today() -> dt.date:
    """Today in Europe/London."""
    return timezone.localdate()


# --- Schedule -------------------------------------------------------------------------------------


def schedule(enrolment: Enrolment) -> int:
    """Make the enrolment's missing review rows, due every 12 weeks from the start until the
    planned end; drop unrecorded rows beyond a planned end that moved earlier. Return how many
    rows were added. Running it again changes nothing."""
    dates = review_schedule.due_dates(
        enrolment.start_on, enrolment.planned_end_on, every_weeks=REVIEW_INTERVAL_WEEKS
    )
    with transaction.atomic():
        existing = set(
            ProgressReview.objects.filter(enrolment=enrolment).values_list("number", flat=True)
        )
        missing = [
            ProgressReview(
                enrolment=enrolment,
                number=number,
                due_on=due_on,
                practice_tutor_id=enrolment.practice_tutor_id,
                live=enrolment.status in LIVE,
            )
            for number, due_on in enumerate(dates, start=1)
            if number not in existing
        ]
        # Two at once may add the same row: the unique (enrolment, number) keeps one.
        ProgressReview.objects.bulk_create(missing, ignore_conflicts=True)
        ProgressReview.objects.filter(
            enrolment=enrolment, number__gt=len(dates), recorded_at__isnull=True
        ).delete()
    return len(missing)


def follow_enrolment(enrolment: Enrolment) -> None:
    """Copy the enrolment's practice tutor and whether it is live onto its reviews (one update),
    after either changed (`enrolments.change_status`, `enrolments.edit_terms`)."""
    ProgressReview.objects.filter(enrolment=enrolment).update(
        practice_tutor=enrolment.practice_tutor_id, live=enrolment.status in LIVE
    )


def needing_schedule() -> list[Enrolment]:
    """Live enrolments whose rows stop short of their planned end, or run past it, or that have
    none (a new enrolment, a planned end that moved): one grouped query, then plain dates."""
    step = dt.timedelta(weeks=REVIEW_INTERVAL_WEEKS)
    rows = (
        Enrolment.objects.filter(status__in=LIVE)
        .annotate(last_due=Max("reviews__due_on"))
        .values_list("pk", "start_on", "planned_end_on", "last_due")
    )
    wanted = []
    for pk, start_on, planned_end_on, last_due in rows.iterator():
        last = last_due or start_on
        if last + step <= planned_end_on or last > planned_end_on:
            wanted.append(Enrolment(pk=pk, start_on=start_on, planned_end_on=planned_end_on))
    return wanted


def schedule_all() -> int:
    """Schedule every live enrolment that needs it; return how many rows were added."""
    return sum(schedule(enrolment) for enrolment in needing_schedule())


# --- State ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewState:
    """What a review's list row and page show: its state, whose turn it is, and whether it is
    overdue."""

    key: str  # due, overdue, awaiting_signatures, signed
    label: str
    overdue: bool
    next_party: ReviewParty | None
    next_party_name: str


def signed_parties(review: ProgressReview) -> dict[str, ReviewSignature]:
    """The review's signatures by party (uses prefetched signatures when there are)."""
    return {signature.party: signature for signature in review.signatures.all()}


def state_of(review: ProgressReview, *, on: dt.date | None = None) -> ReviewState:
    """The review's state on a day (today by default)."""
    day = on or today()
    signed = review.fully_signed_at is not None
    overdue = review_schedule.is_overdue(review.due_on, fully_signed=signed, today=day)
    if signed:
        return ReviewState("signed", "Signed by all three", False, None, "")
    if review.recorded_at is None:
        label = "Overdue" if overdue else "Due"
        return ReviewState("overdue" if overdue else "due", label, overdue, None, "")
    party = access.next_review_party(set(signed_parties(review)))
    name = PARTY_NAMES.get(party, "")
    label = f"Recorded: waiting for {name} to sign"
    return ReviewState("awaiting_signatures", label, overdue, party, name)


def is_overdue(review: ProgressReview, *, on: dt.date | None = None) -> bool:
    """Due before the day and not yet signed by all three."""
    day = on or today()
    return review_schedule.is_overdue(
        review.due_on, fully_signed=review.fully_signed_at is not None, today=day
    )


# --- Recording ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hours:
    logged: Decimal
    verified: Decimal


def hours_so_far(enrolment: Enrolment) -> Hours:
    """The off-the-job hours logged and verified (accepted by the tutor) so far."""
    totals = off_the_job.totals(enrolment)
    return Hours(logged=totals.logged, verified=totals.verified)


def _text(value: str | None, field: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [f"Enter {what}"]})
    if len(text) > TEXT_LIMIT:
        raise ValidationError(
            {field: [f"{what.capitalize()} must be {TEXT_LIMIT} characters or fewer"]}
        )
    return text


def _audit(actor: Actor | None, action: str, review: ProgressReview, **changes) -> None:
    """One event in the employer's log: ids and non-personal values only."""
    enrolment = review.enrolment
    audit.record(
        actor=actor,
        action=action,
        kind=KIND,
        object_id=review.pk,
        label=f"{enrolment.reference} review {review.number}",
        organisation=enrolment.employer,
        changes={"enrolment": enrolment.pk, "number": review.number, **changes},
    )


def record(
    *,
    actor: Actor,
    review: ProgressReview,
    held_on: dt.date | None,
    progress: str,
    actions: str,
    off_the_job_check: str,
) -> ProgressReview:
    """The practice tutor (or a programme leader of the provider) records the review: when it
    was held (not in the future), the progress, the actions and the off-the-job check, with the
    hours logged and verified so far as a snapshot. Recorded once."""
    enrolment = review.enrolment
    if not access.may_record_review(actor, enrolment):
        raise PermissionDenied
    if held_on is None:
        raise ValidationError({"held_on": ["Enter the date the review was held"]})
    if held_on > today():
        raise ValidationError({"held_on": ["The date the review was held cannot be in the future"]})
    if held_on < enrolment.start_on:
        raise ValidationError(
            {"held_on": [f"The review cannot be before the start, {enrolment.start_on:%-d %B %Y}"]}
        )
    progress = _text(progress, "progress", "the progress discussed")
    actions = _text(actions, "actions", "the actions agreed")
    off_the_job_check = _text(off_the_job_check, "off_the_job_check", "the off-the-job check")
    hours = hours_so_far(enrolment)
    now = timezone.now()
    with transaction.atomic():
        claimed = ProgressReview.objects.filter(pk=review.pk, recorded_at__isnull=True).update(
            held_on=held_on,
            progress=progress,
            actions=actions,
            off_the_job_check=off_the_job_check,
            logged_hours=hours.logged,
            verified_hours=hours.verified,
            recorded_by=actor.person,
            recorded_at=now,
        )
        if not claimed:
            raise ValidationError(f"Review {review.number} has already been recorded")
        _audit(actor, "apprenticeships.review_recorded", review, held_on=str(held_on))
    review.refresh_from_db()
    return review


# --- Signing --------------------------------------------------------------------------------------


def may_sign_now(actor: Actor, review: ProgressReview) -> bool:
    """Whether it is the actor's turn to sign the recorded review."""
    if review.recorded_at is None or review.fully_signed_at is not None:
        return False
    due = access.next_review_party(set(signed_parties(review)))
    return due in access.review_parties_of(actor, review.enrolment)


def sign(*, actor: Actor, review: ProgressReview) -> ReviewSignature:
    """Sign the recorded review for the party whose turn it is, if the actor is that party: the
    apprentice, then the line manager, then the practice tutor. The third signature makes it
    fully signed."""
    enrolment = review.enrolment
    mine = access.review_parties_of(actor, enrolment)
    if not mine:
        raise PermissionDenied
    if review.recorded_at is None:
        raise ValidationError(
            f"Review {review.number} has not been recorded yet: the practice tutor records it "
            "first, then all three sign it"
        )
    with transaction.atomic():
        signed = set(review.signatures.values_list("party", flat=True))
        due = access.next_review_party(signed)
        if due is None:
            raise ValidationError(f"Review {review.number} is already signed by all three")
        if due not in mine:
            done = sorted(PARTY_NAMES[party] for party in mine if party in signed)
            if done and len(done) == len(mine):
                raise ValidationError(
                    f"You have already signed review {review.number} for {done[0]}"
                )
            if due == ReviewParty.LINE_MANAGER and enrolment.line_manager_id is None:
                raise ValidationError(NO_LINE_MANAGER)
            if due == ReviewParty.TUTOR and enrolment.practice_tutor_id is None:
                raise ValidationError(NO_TUTOR)
            raise ValidationError(
                f"It is not your turn to sign review {review.number} yet: "
                f"{PARTY_NAMES[due]} signs next"
            )
        try:
            with transaction.atomic():
                signature = ReviewSignature.objects.create(
                    review=review, party=due, person=actor.person
                )
        except IntegrityError:
            raise ValidationError(
                f"Review {review.number} has just been signed for {PARTY_NAMES[due]}"
            ) from None
        after = access.next_review_party({*signed, due})
        completed = 0
        if after is None:
            now = timezone.now()
            completed = ProgressReview.objects.filter(
                pk=review.pk, fully_signed_at__isnull=True
            ).update(fully_signed_at=now)
            review.fully_signed_at = now
        _audit(
            actor,
            "apprenticeships.review_signed",
            review,
            party=due,
            fully_signed=bool(completed),
        )
    return signature


# --- Lists ----------------------------------------------------------------------------------------


DUE_ORDER = ("due_on", "id")  # the order "Reviews due" pages in


def due_list(actor: Actor, *, on: dt.date | None = None) -> QuerySet[ProgressReview]:
    """The actor's "Reviews due": not fully signed, due within four weeks or overdue, of live
    enrolments, earliest first (order by due_on, id)."""
    day = on or today()
    return (
        access.reviews_due_for(actor)
        .filter(
            fully_signed_at__isnull=True,
            live=True,
            due_on__lte=day + dt.timedelta(days=DUE_SOON_DAYS),
        )
        .select_related("enrolment__apprentice", "enrolment__employer")
        .prefetch_related("signatures")
    )


@dataclass(frozen=True)
class Summary:
    """The progress page's reviews section."""

    next_due: ProgressReview | None
    overdue: int
    to_sign: list[ProgressReview]


def summary(actor: Actor, enrolment: Enrolment, *, on: dt.date | None = None) -> Summary:
    """The next review due, how many are overdue, and those waiting for the actor's signature,
    from one query of the enrolment's reviews (at most a few dozen) and one of signatures."""
    day = on or today()
    rows = list(enrolment.reviews.order_by("number").prefetch_related("signatures"))
    open_rows = [row for row in rows if row.fully_signed_at is None]
    next_due = next(iter(open_rows), None)
    overdue = sum(1 for row in open_rows if row.due_on < day)
    mine = access.review_parties_of(actor, enrolment)
    to_sign = [
        row
        for row in open_rows
        if row.recorded_at is not None
        and access.next_review_party(set(signed_parties(row))) in mine
    ]
    return Summary(next_due=next_due, overdue=overdue, to_sign=to_sign)


# --- Overdue flags --------------------------------------------------------------------------------


def _ld_leads(employer_ids: set[int]) -> dict[int, list[Person]]:
    """Each employer's current L&D leads (active people on its staff with the role)."""
    on_staff = Employment.objects.current().filter(organisation_id__in=employer_ids)
    staff = set(on_staff.values_list("organisation_id", "person_id"))
    grants = OrganisationRoleGrant.objects.filter(
        organisation_id__in=employer_ids,
        role=OrganisationRole.LD_LEAD,
        person__is_active=True,
    ).select_related("person")
    found: dict[int, list[Person]] = defaultdict(list)
    for grant in grants.order_by("person_id"):
        if (grant.organisation_id, grant.person_id) in staff:
            found[grant.organisation_id].append(grant.person)
    return found


def _review_url(review: ProgressReview) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("apprenticeships:review", args=[review.pk])


def flag_overdue_reviews(on: dt.date | None = None) -> dict[str, int]:
    """The daily job: e-mail each practice tutor and each employer's L&D leads about the reviews
    that became overdue (due before today, not fully signed, of live enrolments), each review
    once: a flagged review has an audit event, so running it again the same day sends nothing.
    Reviews that became overdue up to a week ago are caught up. First schedules the enrolments
    that need rows."""
    day = on or today()
    added = schedule_all()
    since = day - dt.timedelta(days=CATCH_UP_DAYS + 1)
    candidates = list(
        ProgressReview.objects.filter(
            due_on__lt=day,
            due_on__gte=since,
            fully_signed_at__isnull=True,
            live=True,
        )
        .select_related("enrolment__apprentice", "enrolment__employer", "enrolment__practice_tutor")
        .order_by("due_on", "id")
    )
    flagged = set(
        AuditEvent.objects.filter(
            action=OVERDUE_ACTION,
            object_kind=KIND,
            object_id__in=[str(review.pk) for review in candidates],
            at__gte=timezone.now() - dt.timedelta(days=CATCH_UP_DAYS + 30),
        ).values_list("object_id", flat=True)
    )
    new = [review for review in candidates if str(review.pk) not in flagged]
    leads = _ld_leads({review.enrolment.employer_id for review in new})
    letters: dict[int, tuple[Person, list[ProgressReview]]] = {}
    for review in new:
        enrolment = review.enrolment
        people = list(leads.get(enrolment.employer_id, []))
        if enrolment.practice_tutor is not None and enrolment.practice_tutor.is_active:
            people.append(enrolment.practice_tutor)
        for person in people:
            letters.setdefault(person.pk, (person, []))[1].append(review)
    with transaction.atomic():
        for review in new:
            _audit(None, OVERDUE_ACTION, review, due_on=str(review.due_on))
    sent = 0
    for person, reviews in letters.values():
        rows = [
            {
                "apprentice": review.enrolment.apprentice.full_name,
                "employer": review.enrolment.employer.name,
                "reference": review.enrolment.reference,
                "number": review.number,
                "due_on": review.due_on,
                "url": _review_url(review),
            }
            for review in reviews
        ]
        due_url = settings.SITE_URL.rstrip("/") + reverse("apprenticeships:reviews_due")
        sent += notify(person, OVERDUE_TEMPLATE, {"rows": rows, "due_url": due_url})
    return {"scheduled": added, "flagged": len(new), "emails": sent}
