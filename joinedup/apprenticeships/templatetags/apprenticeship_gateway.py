"""The progress page's workplace project and gateway sections: the project's state and milestones
done, and how many of the six gateway items are met, each linking to its page. Both show the
gateway's readings, which the progress page reads once (`gateway.read`)."""

from __future__ import annotations

from django import template

from .. import gateway
from ..models import Enrolment

register = template.Library()


@register.inclusion_tag("apprenticeships/projects/_section.html", takes_context=True)
def project_section(
    context: template.Context, enrolment: Enrolment, readings: gateway.Readings
) -> dict:
    """For the enrolment the progress page fetched through access (so the actor sees it)."""
    project = readings.project
    return {
        "enrolment": enrolment,
        "project": project,
        "milestones_total": project.milestones_total if project else 0,
        "milestones_done": project.milestones_done if project else 0,
    }


@register.inclusion_tag("apprenticeships/gateway/_section.html", takes_context=True)
def gateway_section(
    context: template.Context, enrolment: Enrolment, readings: gateway.Readings
) -> dict:
    """How many of the six items are met, for whoever sees the enrolment."""
    return {"enrolment": enrolment, "checklist": gateway.check(enrolment, readings)}
