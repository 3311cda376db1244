"""Synthetic evidence of progress at scale for benchmarks: off-the-job entries, portfolio
evidence, progress reviews with their signatures, and assignment submissions, written in bulk.

Run `generate_apprenticeships` first. For each enrolment that has started, up to the day it
finished (or `today`):
- `entries` off-the-job entries in all, exactly, shared evenly (the first few enrolments one more
  when they do not divide), on dates spread from its start, of 1 to 7.5
  hours; the tutor has accepted all but the newest few (awaiting) and one in fifty (queried).
  They carry no KSBs (the many-to-many links are not what the pages read at scale).
- Ten portfolio items, each showing one KSB of the standard: most signed off, the newest awaiting.
  A standard with no KSBs is given 20 illustrative ones (8 knowledge, 7 skills, 5 behaviours).
- A progress review for each 12 weeks from the start that has come, recorded a week after it was
  due and signed by apprentice, line manager and tutor; the latest may still be due.
- A submission of each assignment whose cohort deadline has come, on or up to a week before the
  deadline, with its feedback due 15 working days later (bank holidays only); marked on or before
  that day, except one in fifty (late) and those whose feedback is still due.

Everything is `bulk_create`, drawn from one seeded random source; then `ANALYZE` on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from joinedup.partnership.generate import GenerateRefused

from . import working_days
from .generate import _Bar, at
from .models import (
    FEEDBACK_WORKING_DAYS,
    REVIEW_INTERVAL_WEEKS,
    BankHoliday,
    CheckState,
    CohortDeadline,
    Enrolment,
    EnrolmentStatus,
    Evidence,
    EvidenceKind,
    Grade,
    Ksb,
    OffTheJobActivity,
    OffTheJobEntry,
    ProgressReview,
    ReviewParty,
    ReviewSignature,
    Submission,
)
from .reviews import LIVE

EVIDENCE_PER_ENROLMENT = 10
ILLUSTRATIVE_KSBS = (("K", 8), ("S", 7), ("B", 5))
HOURS = [Decimal(h) / 2 for h in range(2, 16)]  # 1 to 7.5 hours
ACTIVITIES = list(OffTheJobActivity.values)
NOT_STARTED = (EnrolmentStatus.AWAITING_COMMITMENT,)


@dataclass(frozen=True)
class ProgressResult:
    enrolments: int
    entries: int
    evidence: int
    reviews: int
    signatures: int
    submissions: int


def _last_day(enrolment: Enrolment, today: dt.date) -> dt.date:
    """The last day the enrolment gathered evidence: today, or when it finished."""
    finished = enrolment.status in (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.COMPLETED)
    return min(today, enrolment.status_on) if finished else today


def _spread(start: dt.date, end: dt.date, count: int, rng: random.Random) -> list[dt.date]:
    days = max((end - start).days, 0)
    return sorted(start + dt.timedelta(days=rng.randint(0, days)) for _ in range(count))


class _Progress:
    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng, self.today = rng, today
        self.holidays = set(BankHoliday.objects.values_list("on", flat=True))

    def entries(self, enrolment: Enrolment, last: dt.date, count: int) -> Iterator[OffTheJobEntry]:
        dates = _spread(enrolment.start_on, last, count, self.rng)
        for number, on in enumerate(dates):
            newest = number >= len(dates) - 3 and last == self.today
            state = CheckState.AWAITING if newest else CheckState.ACCEPTED
            if not newest and self.rng.random() < 0.02:
                state = CheckState.QUERIED
            checked = state != CheckState.AWAITING
            yield OffTheJobEntry(
                enrolment=enrolment,
                on=on,
                hours=self.rng.choice(HOURS),
                activity=self.rng.choice(ACTIVITIES),
                reflection="What I learned and how I will use it at work.",
                state=state,
                tutor_note="Say which KSBs this shows." if state == CheckState.QUERIED else "",
                checked_by_id=enrolment.practice_tutor_id if checked else None,
                checked_at=at(on + dt.timedelta(days=3)) if checked else None,
                created_by_id=enrolment.apprentice_id,
                created_at=at(on, 17),
            )

    def evidence(
        self, enrolment: Enrolment, last: dt.date, ksbs: list[int]
    ) -> Iterator[tuple[Evidence, int]]:
        dates = _spread(enrolment.start_on, last, EVIDENCE_PER_ENROLMENT, self.rng)
        for number, on in enumerate(dates):
            awaiting = number >= len(dates) - 2 and last == self.today
            yield (
                Evidence(
                    enrolment=enrolment,
                    title=f"Evidence {number + 1}",
                    kind=EvidenceKind.TEXT,
                    text="An account of a piece of work and what it shows.",
                    state=CheckState.AWAITING if awaiting else CheckState.ACCEPTED,
                    checked_by_id=None if awaiting else enrolment.practice_tutor_id,
                    checked_at=None if awaiting else at(on + dt.timedelta(days=5)),
                    created_by_id=enrolment.apprentice_id,
                    created_at=at(on, 18),
                ),
                self.rng.choice(ksbs),
            )

    def reviews(self, enrolment: Enrolment, last: dt.date) -> Iterator[ProgressReview]:
        due = enrolment.start_on + dt.timedelta(weeks=REVIEW_INTERVAL_WEEKS)
        number = 1
        while due <= enrolment.planned_end_on and due <= last + dt.timedelta(weeks=2):
            held = due + dt.timedelta(days=7)
            recorded = held <= last
            yield ProgressReview(
                enrolment=enrolment,
                number=number,
                due_on=due,
                practice_tutor_id=enrolment.practice_tutor_id,
                live=enrolment.status in LIVE,
                held_on=held if recorded else None,
                progress="On track with the modules." if recorded else "",
                actions="Log project time weekly." if recorded else "",
                off_the_job_check="Hours checked against the plan." if recorded else "",
                recorded_by_id=enrolment.practice_tutor_id if recorded else None,
                recorded_at=at(held) if recorded else None,
                fully_signed_at=at(held, 16) if recorded else None,
            )
            number += 1
            due += dt.timedelta(weeks=REVIEW_INTERVAL_WEEKS)

    def signatures(self, review: ProgressReview) -> Iterator[ReviewSignature]:
        if review.held_on is None:
            return
        enrolment = review.enrolment
        signers = (
            (ReviewParty.APPRENTICE, enrolment.apprentice_id, 12),
            (ReviewParty.LINE_MANAGER, enrolment.line_manager_id, 14),
            (ReviewParty.TUTOR, enrolment.practice_tutor_id, 16),
        )
        for party, person, hour in signers:
            if person is not None:
                yield ReviewSignature(
                    review=review, party=party, person_id=person, signed_at=at(review.held_on, hour)
                )

    def submissions(
        self, enrolment: Enrolment, last: dt.date, deadlines: list[tuple[int, dt.date]]
    ) -> Iterator[Submission]:
        for assignment, due_on in deadlines:
            if due_on > last:
                continue
            submitted = due_on - dt.timedelta(days=self.rng.randint(0, 7))
            if submitted < enrolment.start_on:
                continue
            feedback_due = working_days.add_working_days(
                submitted, FEEDBACK_WORKING_DAYS, self.holidays
            )
            marked = feedback_due - dt.timedelta(days=self.rng.randint(0, 10))
            if self.rng.random() < 0.02:
                marked = feedback_due + dt.timedelta(days=self.rng.randint(1, 10))
            is_marked = marked <= self.today
            yield Submission(
                enrolment=enrolment,
                provider_id=enrolment.provider_id,
                assignment_id=assignment,
                deadline_on=due_on,
                submitted_on=submitted,
                submitted_at=at(submitted, 15),
                text="My assignment.",
                feedback_due_on=feedback_due,
                grade=self.rng.choice((Grade.PASS, Grade.MERIT)) if is_marked else "",
                feedback="Clear argument; cite more evidence." if is_marked else "",
                marked_by_id=enrolment.practice_tutor_id if is_marked else None,
                marked_on=marked if is_marked else None,
                created_by_id=enrolment.apprentice_id,
            )


def _illustrative_ksbs(standards: set[int]) -> None:
    """20 made-up KSBs for each of `standards` that has none."""
    have = set(Ksb.objects.filter(standard__in=standards).values_list("standard_id", flat=True))
    Ksb.objects.bulk_create(
        Ksb(
            standard_id=standard,
            code=f"{kind}{number}",
            kind=kind,
            number=number,
            description=f"Illustrative {kind}{number}",
            illustrative=True,
        )
        for standard in sorted(standards - have)
        for kind, count in ILLUSTRATIVE_KSBS
        for number in range(1, count + 1)
    )


def generate_progress(
    *, entries: int, seed: int = 1, today: dt.date | None = None, progress: bool = True
) -> ProgressResult:
    """Evidence of progress for every started enrolment, with `entries` off-the-job entries in
    all (see the module docstring)."""
    if settings.PRODUCTION:
        raise GenerateRefused("Synthetic progress is never added to a production site.")
    if OffTheJobEntry.objects.exists():
        raise GenerateRefused("These apprenticeships already have evidence of progress.")
    today = today or timezone.localdate()
    enrolments = list(
        Enrolment.objects.exclude(status__in=NOT_STARTED)
        .filter(start_on__lte=today)
        .select_related("cohort__programme")
        .order_by("pk")
    )
    if not enrolments or entries < len(enrolments):
        raise GenerateRefused("Generate apprenticeships first, and ask for an entry per enrolment.")
    rng = random.Random(seed)
    maker = _Progress(rng, today)
    per_enrolment, extra = divmod(entries, len(enrolments))
    _illustrative_ksbs({n.cohort.programme.standard_id for n in enrolments})
    ksbs: dict[int, list[int]] = defaultdict(list)
    for pk, standard in Ksb.objects.values_list("pk", "standard_id"):
        ksbs[standard].append(pk)
    deadlines: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for cohort, assignment, due_on in CohortDeadline.objects.values_list(
        "cohort_id", "assignment_id", "due_on"
    ).order_by("due_on", "pk"):
        deadlines[cohort].append((assignment, due_on))
    with transaction.atomic(), tqdm(unit=" rows", disable=not progress, desc="Progress") as bar:
        write = _Bar(bar)
        made_entries = write.create(
            OffTheJobEntry,
            (
                entry
                for number, n in enumerate(enrolments)
                for entry in maker.entries(
                    n, _last_day(n, today), per_enrolment + (1 if number < extra else 0)
                )
            ),
        )
        pairs = [
            pair
            for n in enrolments
            if ksbs[n.cohort.programme.standard_id]
            for pair in maker.evidence(n, _last_day(n, today), ksbs[n.cohort.programme.standard_id])
        ]
        evidence = write.create(Evidence, (item for item, _ in pairs))
        links = Evidence.ksbs.through
        shown = (ksb for _, ksb in pairs)
        write.create(
            links,
            (links(evidence_id=e.pk, ksb_id=k) for e, k in zip(evidence, shown, strict=True)),
        )
        reviews = write.create(
            ProgressReview, (r for n in enrolments for r in maker.reviews(n, _last_day(n, today)))
        )
        signatures = write.create(
            ReviewSignature, (s for review in reviews for s in maker.signatures(review))
        )
        submissions = write.create(
            Submission,
            (
                s
                for n in enrolments
                for s in maker.submissions(n, _last_day(n, today), deadlines[n.cohort_id])
            ),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return ProgressResult(
        enrolments=len(enrolments),
        entries=len(made_entries),
        evidence=len(evidence),
        reviews=len(reviews),
        signatures=len(signatures),
        submissions=len(submissions),
    )
