"""The end-point assessment section of an enrolment's progress page: the attempts and their
results, with links to the assessment page and (for the provider's programme leaders) booking.

For the enrolment the progress page fetched through `access`: one query (its attempts with their
assessors).
"""

from __future__ import annotations

from django import template

from joinedup.apprenticeships import access
from joinedup.apprenticeships.models import Enrolment

register = template.Library()


@register.inclusion_tag("apprenticeships/assessments/_section.html", takes_context=True)
def assessment_section(context: template.Context, enrolment: Enrolment) -> dict:
    """The end-point assessment at a glance on the progress page."""
    actor = context["request"].actor
    return {
        "enrolment": enrolment,
        "attempts": list(access.enrolment_assessments(actor, enrolment)),
        "may_book": access.may_book_assessment(actor, enrolment),
    }
