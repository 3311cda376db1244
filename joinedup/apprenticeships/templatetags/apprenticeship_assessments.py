"""The end-point assessment section of an enrolment's progress page: the attempts and their
results, with links to the assessment page and (for the provider's programme leaders) booking.

Reads the request's actor and fetches through `access`, in a constant number of queries (the
enrolment again, then its attempts with their assessors).
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
    seen = access.get_enrolment_for(actor, enrolment.pk)
    return {
        "enrolment": seen,
        "attempts": list(access.enrolment_assessments(actor, seen)),
        "may_book": access.may_book_assessment(actor, seen),
    }
