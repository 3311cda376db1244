"""The gateway page: each of the six items met or not, with why, and the agree button for the
employer's L&D lead and the provider's programme leader."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import access, gateway
from ..models import EnrolmentStatus, Party

AGREE_AS = {Party.EMPLOYER: "for the employer", Party.PROVIDER: "for the provider"}


@require_GET
def page(request: HttpRequest, pk: int) -> HttpResponse:
    """The checklist, for whoever sees the enrolment."""
    actor = request.actor
    enrolment = access.get_gateway_enrolment_for(actor, pk)
    checklist = gateway.check(enrolment)
    party = access.gateway_party_of(actor, enrolment)
    agreed = {item.key for item in checklist.items if item.met and item.key in AGREE_AS}
    context = {
        "enrolment": enrolment,
        "checklist": checklist,
        "party": party,
        "agree_as": AGREE_AS.get(party, ""),
        "may_agree": party is not None
        and party not in agreed
        and checklist.ready
        and enrolment.status == EnrolmentStatus.ACTIVE,
    }
    return render(request, "apprenticeships/gateway/page.html", context)


@require_POST
def agree(request: HttpRequest, pk: int) -> HttpResponse:
    """The employer's L&D lead or the provider's programme leader agrees."""
    actor = request.actor
    enrolment = access.get_gateway_enrolment_for(actor, pk)
    if access.gateway_party_of(actor, enrolment) is None:
        raise PermissionDenied
    try:
        gateway.agree(actor=actor, enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        enrolment.refresh_from_db(fields=["status"])
        passed = enrolment.status == EnrolmentStatus.AT_GATEWAY
        messages.success(
            request,
            "Agreed: the gateway is passed and the apprentice is at the gateway"
            if passed
            else "Agreed: waiting for the other party to agree",
        )
    return redirect("apprenticeships:gateway", pk=enrolment.pk)
