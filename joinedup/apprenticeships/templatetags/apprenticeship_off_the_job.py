"""The progress page's off-the-job section: required, planned, logged and verified hours and the
on-track tag with its numbers and rule, linking to the log. No query of its own: the hours'
aggregate is among the gateway's readings, which the progress page reads once."""

from __future__ import annotations

from django import template

from .. import access, off_the_job
from ..gateway import Readings
from ..models import Enrolment

register = template.Library()


@register.inclusion_tag("apprenticeships/off_the_job/_section.html", takes_context=True)
def off_the_job_section(
    context: template.Context, enrolment: Enrolment, readings: Readings
) -> dict:
    """The hours and on-track status of an enrolment the progress page fetched through access
    (so whoever sees the enrolment, the line manager too, sees this)."""
    actor = context["request"].actor
    hours = readings.hours
    return {
        "enrolment": enrolment,
        "totals": hours,
        "status": off_the_job.on_track_for(enrolment, hours),
        "may_log": access.may_log_off_the_job(actor, enrolment),
    }
