"""The progress page's portfolio section: KSBs covered, items awaiting sign-off, and links to the
portfolio and the coverage grid, in one query of its own (the coverage is among the gateway's
readings, which the progress page reads once)."""

from __future__ import annotations

from django import template
from django.db.models import Count

from .. import access, portfolio
from ..gateway import Readings
from ..models import CheckState, Enrolment, Evidence

register = template.Library()


@register.inclusion_tag("apprenticeships/portfolio/_section.html", takes_context=True)
def portfolio_section(context: template.Context, enrolment: Enrolment, readings: Readings) -> dict:
    """For the enrolment the progress page fetched through access (so the actor sees it)."""
    actor = context["request"].actor
    by_state = dict(
        Evidence.objects.filter(enrolment=enrolment)
        .values_list("state")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {
        "enrolment": enrolment,
        "summary": portfolio.summarise(readings.coverage),
        "awaiting": by_state.get(CheckState.AWAITING, 0),
        "queried": by_state.get(CheckState.QUERIED, 0),
        "may_add": access.may_add_evidence(actor, enrolment) and portfolio.is_open(enrolment),
    }
