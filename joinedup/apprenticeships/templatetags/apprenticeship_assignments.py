"""The assignments section of an enrolment's progress page, and the feedback tag the assignment
pages share.

`assignments_section` shows, for the enrolment the progress page fetched through `access`, the
next deadline, attempts awaiting feedback, grades so far and the module results, from the
gateway's readings (`submissions.assignments_of`, read once for the page).
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from joinedup.apprenticeships import submissions
from joinedup.apprenticeships.gateway import Readings
from joinedup.apprenticeships.models import Enrolment, Submission

register = template.Library()

TAG_COLOURS = {
    "overdue": "govuk-tag--red",
    "marked_late": "govuk-tag--red",
    "due_today": "govuk-tag--yellow",
    "marked": "govuk-tag--green",
    "awaiting": "govuk-tag--grey",
}


@register.simple_tag
def feedback_tag(submission: Submission, today: dt.date) -> SafeString:
    """The attempt's feedback state as a GOV.UK tag: red when late, yellow when due today."""
    state = submissions.feedback_state(submission, today)
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        TAG_COLOURS[state],
        submissions.FEEDBACK_STATES[state],
    )


@register.simple_tag
def long_day(day: dt.date | None) -> str:
    """For example "Friday 20 November 2026" (empty for none)."""
    return submissions.day_text(day) if day else ""


@register.inclusion_tag("apprenticeships/assignments/_section.html", takes_context=True)
def assignments_section(
    context: template.Context, enrolment: Enrolment, readings: Readings
) -> dict:
    """Assignments at a glance on the progress page."""
    today = submissions.today_in_london()
    rows = readings.assignments.rows
    upcoming = [
        row for row in rows if row.deadline and row.deadline >= today and row.latest is None
    ]
    return {
        "enrolment": enrolment,
        "today": today,
        "next_deadline": min(upcoming, key=lambda row: row.deadline) if upcoming else None,
        "awaiting": [row.latest for row in rows if row.latest and row.latest.marked_on is None],
        "graded": [row for row in rows if row.latest_marked is not None],
        "results": readings.assignments.results,
    }
