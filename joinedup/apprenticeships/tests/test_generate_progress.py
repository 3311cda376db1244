"""Synthetic evidence of progress for benchmarks (`generate_progress`), small size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from joinedup.apprenticeships.generate import generate_apprenticeships
from joinedup.apprenticeships.generate_progress import generate_progress
from joinedup.apprenticeships.models import (
    CheckState,
    Enrolment,
    EnrolmentStatus,
    Evidence,
    OffTheJobEntry,
    ProgressReview,
    Submission,
)
from joinedup.apprenticeships.working_days import is_working_day
from joinedup.partnership.generate import GenerateRefused, generate

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def made(db):
    generate(people=300, organisations=4, largest=100, progress=False)
    generate_apprenticeships(enrolments=60, today=TODAY, progress=False)
    return generate_progress(entries=3_000, today=TODAY, seed=3, progress=False)


def test_exactly_the_entries_asked_for_are_shared_evenly_within_each_enrolments_dates(made):
    started = Enrolment.objects.exclude(status=EnrolmentStatus.AWAITING_COMMITMENT).filter(
        start_on__lte=TODAY
    )
    assert made.enrolments == started.count()
    assert made.entries == OffTheJobEntry.objects.count() == 3_000
    per = set(started.annotate(n=Count("off_the_job")).values_list("n", flat=True))
    assert per <= {3_000 // made.enrolments, 3_000 // made.enrolments + 1}
    assert not OffTheJobEntry.objects.filter(on__gt=TODAY).exists()
    for entry in OffTheJobEntry.objects.select_related("enrolment")[:500]:
        assert entry.enrolment.start_on <= entry.on
    assert OffTheJobEntry.objects.filter(state=CheckState.AWAITING).exists()


def test_reviews_evidence_and_submissions_follow_the_rules(made):
    assert made.evidence == Evidence.objects.count() > 0
    assert not Evidence.objects.annotate(n=Count("ksbs")).exclude(n=1).exists()
    assert made.reviews == ProgressReview.objects.count() > 0
    for review in ProgressReview.objects.select_related("enrolment")[:200]:
        weeks = (review.due_on - review.enrolment.start_on).days / 7
        assert weeks == 12 * review.number
    assert made.submissions == Submission.objects.count() > 0
    for submission in Submission.objects.all()[:300]:
        assert submission.submitted_on <= submission.deadline_on
        assert is_working_day(submission.feedback_due_on, set())
        assert (submission.marked_on is None) == (submission.grade == "")


def test_refuses_a_second_run(made):
    with pytest.raises(GenerateRefused):
        generate_progress(entries=3_000, today=TODAY, progress=False)
