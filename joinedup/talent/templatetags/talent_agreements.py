"""The secondment agreement slot on an application's page."""

from __future__ import annotations

from django import template

from joinedup.talent import access
from joinedup.talent.agreements import SECONDMENT_KINDS
from joinedup.talent.models import ApplicationStatus, SecondmentAgreement

register = template.Library()


@register.inclusion_tag("talent/agreements/_application_slot.html", takes_context=True)
def application_agreement(context, application) -> dict:
    """A link to the application's agreement for those who see it, or to draft one for the
    host's L&D lead or admin once a secondment offer is accepted."""
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None or application is None:
        return {"show": False}
    agreement = SecondmentAgreement.objects.filter(application=application).first()
    if agreement is not None:
        visible = access.visible_agreements(actor).filter(pk=agreement.pk).exists()
        return {"show": visible, "agreement": agreement}
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
