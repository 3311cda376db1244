"""The demo's assignments: Sam Okafor (Barnet, on the University of North Thames's Senior Leader
cohort "September 2026") submitted the first module's strategic analysis report before its
deadline and the practice tutor (Tom Riley) marked it a pass; the second module's stakeholder
mapping and plan was submitted two weeks ago and awaits feedback, due within the next five working
days, so it shows on the tutor's and the programme leader's deadline dashboard. Written through
`submissions` (one audit entry each)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Person

from . import submissions
from .models import Enrolment

FIRST = (
    "Strategic analysis report\n\nBarnet's adult social care strategy read against the "
    "partnership's shared outcomes: where the council leads, where partners lead, and three "
    "options for joint commissioning."
)
SECOND = (
    "Stakeholder mapping and plan\n\nThe stakeholders of the integrated discharge team, mapped by "
    "interest and influence, with a six-month engagement plan."
)
FEEDBACK = (
    "A clear, well-evidenced analysis. Strengthen the options appraisal with the costs of each "
    "option next time."
)


def load(*, enrolment: Enrolment, tutor: Person) -> int:
    """Two attempts of Sam's: the first marked a pass, the second awaiting feedback."""
    # Read afresh: signing made it active in the database, not in the caller's copy.
    enrolment = Enrolment.objects.select_related("cohort__programme__partnership").get(
        pk=enrolment.pk
    )
    today = timezone.localdate()
    apprentice = Actor(person=enrolment.apprentice, organisation=enrolment.employer)
    marker = Actor(person=tutor, organisation=enrolment.provider)
    first, second = submissions.assignment_rows(enrolment, today=today)[:2]
    submitted = min(today, (first.deadline or today) - dt.timedelta(days=3))
    made = submissions.submit(
        actor=apprentice,
        enrolment=enrolment,
        assignment=first.assignment,
        text=FIRST,
        today=submitted,
    )
    submissions.mark(
        actor=marker,
        submission=made,
        grade="pass",
        feedback=FEEDBACK,
        today=max(submitted, min(today, submitted + dt.timedelta(days=7))),
    )
    submissions.submit(
        actor=apprentice,
        enrolment=enrolment,
        assignment=second.assignment,
        text=SECOND,
        # Two weeks ago, so its feedback falls due within the next five working days.
        today=min(second.deadline or today, max(submitted, today - dt.timedelta(days=14))),
    )
    return 2
