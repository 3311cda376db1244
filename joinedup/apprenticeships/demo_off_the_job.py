"""The demo's off-the-job log: Sam Okafor's first weeks of study, logged by Sam through the
service; the university's practice tutor has verified three entries and queried one, and the
latest awaits the tutor (see it on Sam's progress page and as Tom Riley under "Off-the-job time to
check"). Pat Nwosu, the trust's apprentice on the same cohort, has logged a campus day and a week
of study too (`TRUST_ENTRIES`, loaded by `demo_buddies`).

Called by `demo_data.load` inside its quiet-mail block, once (the demo's marker guards it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Person

from . import off_the_job
from .models import Enrolment

# Days after the start, hours, activity, how many of the standard's KSBs, reflection, and the
# tutor's check (None leaves it awaiting the tutor).
ENTRIES = (
    (
        1,
        "7.5",
        "campus_day",
        2,
        "Induction day: the programme, the KSBs and the portfolio.",
        ("accept", ""),
    ),
    (
        8,
        "7.5",
        "module_study",
        2,
        "Leading people, unit 1: leadership styles and when to use each.",
        ("accept", ""),
    ),
    (15, "4", "shadowing", 1, "Shadowed the director at a budget-setting meeting.", ("accept", "")),
    (
        22,
        "2",
        "mentoring",
        1,
        "Mentoring session.",
        ("query", "Which session was this? Say what you discussed and what you will try next."),
    ),
    (29, "6", "module_study", 1, "Leading people, unit 2: coaching conversations.", None),
)
TRUST_ENTRIES = (
    (1, "7.5", "campus_day", 2, "Induction day, met Sam from Barnet.", ("accept", "")),
    (
        9,
        "5",
        "module_study",
        1,
        "Leading people, unit 1: leading a ward team through change.",
        None,
    ),
)


def load(*, enrolment: Enrolment, tutor: Person, entries: tuple = ENTRIES) -> int:
    """Log the apprentice's entries (Sam's unless given; none before the start) and check them;
    return how many were logged."""
    enrolment = Enrolment.objects.select_related(
        "apprentice", "employer", "cohort__programme__standard", "cohort__programme__partnership"
    ).get(pk=enrolment.pk)
    today = timezone.localdate()
    if today <= enrolment.start_on:
        return 0
    apprentice = Actor(person=enrolment.apprentice, organisation=enrolment.employer)
    checker = Actor(person=tutor, organisation=enrolment.provider)
    ksbs = list(enrolment.cohort.programme.standard.ksbs.values_list("pk", flat=True)[:3])
    logged = 0
    for days, hours, activity, count, reflection, check in entries:
        on = min(enrolment.start_on + dt.timedelta(days=days), today)
        entry = off_the_job.log_entry(
            actor=apprentice,
            enrolment=enrolment,
            on=on,
            hours=Decimal(hours),
            activity=activity,
            ksb_ids=ksbs[:count],
            reflection=reflection,
        )
        logged += 1
        if check is not None:
            decision, note = check
            off_the_job.check_entry(actor=checker, entry=entry, decision=decision, note=note)
    return logged
