"""The progress page's reviews section: `{% load apprenticeship_reviews %}{% reviews_section
enrolment %}`. Two queries whatever the enrolment (its reviews, their signatures)."""

from __future__ import annotations

from django import template

from joinedup.apprenticeships import reviews
from joinedup.apprenticeships.models import Enrolment

register = template.Library()


@register.inclusion_tag("apprenticeships/reviews/_section.html", takes_context=True)
def reviews_section(context, enrolment: Enrolment) -> dict:
    """The next review due, how many are overdue and those waiting for the viewer's signature
    (the page fetched the enrolment through access.get_enrolment_for for this viewer)."""
    actor = context["request"].actor
    return {"enrolment": enrolment, "summary": reviews.summary(actor, enrolment)}
