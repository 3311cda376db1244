"""The secondment agreement slot on an application's page."""

from __future__ import annotations

from django import template

from joinedup.talent import access
from joinedup.talent.agreements import SECONDMENT_KINDS
from joinedup.talent.models import ApplicationStatus

register = template.Library()


@register.inclusion_tag("talent/agreements/_application_slot.html", takes_context=True)
def application_agreement(context, application) -> dict:
    """A link to the application's agreement for those who see it, or to draft one for the
    host's L&D lead or admin once a secondment offer is accepted."""
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None or application is None:
        return {"show": False}
    if access.has_agreement(application):
        agreement = access.agreement_of(actor, application)
        return {"show": agreement is not None, "agreement": agreement}
    may_draft = (
        application.status == ApplicationStatus.ACCEPTED
        and application.opportunity.kind in SECONDMENT_KINDS
        and access.may_draft_agreement(actor, application)
    )
    waiting = (
        application.status == ApplicationStatus.ACCEPTED
        and application.opportunity.kind in SECONDMENT_KINDS
    )
    return {"show": may_draft or waiting, "may_draft": may_draft, "application": application}
