"""The demo's progress reviews: Sam Okafor's first review, held when it was due, recorded by the
university's practice tutor and signed by Sam, his line manager and the tutor in turn; the next
one is due 12 weeks later (the rows were scheduled when the enrolment became active).

Called by `demo_data.load` inside its quiet-mail block, once (the demo's marker guards it).
"""

from __future__ import annotations

from django.utils import timezone

from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Person

from . import reviews
from .models import Enrolment

PROGRESS = (
    "Sam has finished the first module, Leading people, and passed its reflective essay. He is "
    "using the coaching model from the campus days with his own team."
)
ACTIONS = (
    "Sam: draft the scope of the workplace project with his sponsor by the next review. "
    "Line manager: protect Friday afternoons for off-the-job study. Tutor: review the draft scope."
)
CHECK = "Off-the-job time is on track for this point in the plan; entries are verified monthly."


def load(*, enrolment: Enrolment, tutor: Person) -> int:
    """Record and sign Sam's first review if it has come due; return how many were signed."""
    reviews.schedule(enrolment)
    first = enrolment.reviews.filter(number=1, recorded_at__isnull=True).first()
    today = timezone.localdate()
    if first is None or enrolment.line_manager is None or today < enrolment.start_on:
        return 0
    first.enrolment = enrolment
    reviews.record(
        actor=Actor(person=tutor, organisation=enrolment.provider),
        review=first,
        held_on=min(first.due_on, today),
        progress=PROGRESS,
        actions=ACTIONS,
        off_the_job_check=CHECK,
    )
    employer = enrolment.employer
    for person, organisation in (
        (enrolment.apprentice, employer),
        (enrolment.line_manager, employer),
        (tutor, enrolment.provider),
    ):
        reviews.sign(actor=Actor(person=person, organisation=organisation), review=first)
    return 1
