"""The demo's workplace project: Sam Okafor proposes a 12-week project sponsored by Ada Adeyemi
(Barnet's organisation admin), the university's practice tutor, Tom Riley, approves its scope,
and Sam has marked the first milestones done. The gateway page then shows what is still to do.

Called by `demo_data.load` inside its quiet-mail block, once (the demo's marker guards it).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Person

from . import projects
from .models import PROJECT_WEEKS, Enrolment

TITLE = "One front door for housing support: a business case"
SCOPE = (
    "A strategic business proposal for a single front door to housing support across the "
    "council, the trust and two charities: today's routes in, their costs and waits, three "
    "options and a recommendation with its benefits, risks and a plan for the first year. "
    "Out of scope: changes to the allocations policy."
)
PLAN = (
    (1, "Agree the business question and success measures with the sponsor"),
    (2, "Map today's routes in to housing support"),
    (4, "Interview service leads at the council, the trust and the charities"),
    (6, "Cost today's routes and their waits"),
    (9, "Options appraisal with the finance lead"),
    (12, "Present the recommendation to the housing board"),
)
DONE_WEEKS = (1, 2, 4)


def _start(enrolment: Enrolment, today: dt.date) -> dt.date:
    """Five weeks ago, so the first milestones are behind us (within the apprenticeship)."""
    latest = enrolment.planned_end_on - dt.timedelta(weeks=PROJECT_WEEKS)
    return max(enrolment.start_on, min(today - dt.timedelta(weeks=5), latest))


def load(*, enrolment: Enrolment, tutor: Person) -> int:
    """Sam's project proposed, approved and under way; return how many milestones are done."""
    from .demo_data import _persona

    sponsor = _persona("own_admin", enrolment.employer)
    if sponsor is None:
        return 0
    enrolment.refresh_from_db(fields=["status", "status_on"])
    apprentice = Actor(person=enrolment.apprentice, organisation=enrolment.employer)
    today = timezone.localdate()
    starts_on = _start(enrolment, today)
    project = projects.propose(
        actor=apprentice,
        enrolment=enrolment,
        title=TITLE,
        scope=SCOPE,
        sponsor=sponsor,
        starts_on=starts_on,
        milestones=[projects.PlannedMilestone(week, title) for week, title in PLAN],
    )
    projects.approve(actor=Actor(person=tutor, organisation=enrolment.provider), project=project)
    done = 0
    for milestone in project.milestones.filter(week__in=DONE_WEEKS):
        on = min(starts_on + dt.timedelta(weeks=milestone.week - 1, days=4), today)
        projects.mark_done(actor=apprentice, project=project, milestone_id=milestone.pk, on=on)
        done += 1
    return done
