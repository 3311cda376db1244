"""Applications: the person's own, the host's list for an opportunity, one application with
the actions the viewer may take (host: shortlist, interview, offer, decline; applicant: accept,
withdraw)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.partnership.forms import ConfirmForm
from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, applications
from ..models import Application
from ..opportunity_forms import DeclineForm, InterviewForm

LIST_LIMIT = 200


@require_GET
def my_applications(request: HttpRequest) -> HttpResponse:
    """The person's applications, newest first."""
    found = access.my_applications(request.actor).select_related("opportunity__host")
    context = {"applications": list(found[:LIST_LIMIT]), "limit": LIST_LIMIT}
    return render(request, "talent/applications/mine.html", context)


@require_GET
def opportunity_applications(request: HttpRequest, pk: int) -> HttpResponse:
    """The host's applications to one opportunity, newest first."""
    opportunity = access.get_managed_opportunity(request.actor, pk)
    found = (
        access.visible_applications(request.actor)
        .filter(opportunity=opportunity)
        .select_related("applicant", "home_organisation")
    )
    context = {
        "opportunity": opportunity,
        "applications": list(found[:LIST_LIMIT]),
        "limit": LIST_LIMIT,
    }
    return render(request, "talent/applications/list.html", context)


@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One application, for its applicant and its host, with the actions each may take."""
    application = access.get_application_for(request.actor, pk)
    context = {
        "application": application,
        "opportunity": application.opportunity,
        "steps": applications.next_steps(request.actor, application),
        "is_host": access.may_decide_application(request.actor, application),
    }
    return render(request, "talent/applications/detail.html", context)


# Each action: (who fetches it, the service, its form, title, button, message when done).
Action = tuple[
    Callable[..., Application], Callable[..., Application], type[forms.Form], str, str, str
]
ACTIONS: dict[str, Action] = {
    "shortlist": (
        access.get_hosted_application,
        applications.shortlist,
        ConfirmForm,
        "Shortlist this application",
        "Shortlist",
        "Application shortlisted.",
    ),
    "interview": (
        access.get_hosted_application,
        applications.record_interview,
        InterviewForm,
        "Record the interview",
        "Save interview notes",
        "Interview notes saved.",
    ),
    "offer": (
        access.get_hosted_application,
        applications.offer,
        ConfirmForm,
        "Offer the opportunity",
        "Make the offer",
        "Offer made. The applicant has been told by e-mail.",
    ),
    "decline": (
        access.get_hosted_application,
        applications.decline,
        DeclineForm,
        "Decline this application",
        "Decline",
        "Application declined. The applicant has been told by e-mail.",
    ),
    "accept": (
        access.get_my_application,
        applications.accept,
        ConfirmForm,
        "Accept the offer",
        "Accept the offer",
        "You have accepted the offer.",
    ),
    "withdraw": (
        access.get_my_application,
        applications.withdraw,
        ConfirmForm,
        "Withdraw your application",
        "Withdraw",
        "Your application is withdrawn.",
    ),
}
# The services' names for what the forms carry.
ARGUMENTS = {"interview_notes": "notes", "decline_reason": "reason"}


def _act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    fetch, service, form_class, title, button, done = ACTIONS[name]
    application = fetch(request.actor, pk)
    form = form_class(posted(request))
    if request.method == "POST" and form.is_valid():
        arguments = {ARGUMENTS[k]: v for k, v in form.cleaned_data.items()}
        try:
            service(actor=request.actor, application=application, **arguments)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, done)
            return redirect("talent:application", pk=application.pk)
    context = {
        "application": application,
        "opportunity": application.opportunity,
        "form": form,
        "title": title,
        "button": button,
        "action": name,
    }
    return render(request, "talent/applications/action.html", context)


@require_http_methods(["GET", "POST"])
def application_shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    """The host shortlists an application."""
    return _act(request, pk, "shortlist")


@require_http_methods(["GET", "POST"])
def application_interview(request: HttpRequest, pk: int) -> HttpResponse:
    """The host records interview notes."""
    return _act(request, pk, "interview")


@require_http_methods(["GET", "POST"])
def application_offer(request: HttpRequest, pk: int) -> HttpResponse:
    """The host offers the opportunity."""
    return _act(request, pk, "offer")


@require_http_methods(["GET", "POST"])
def application_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """The host declines with a reason."""
    return _act(request, pk, "decline")


@require_http_methods(["GET", "POST"])
def application_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant accepts an offer."""
    return _act(request, pk, "accept")


@require_http_methods(["GET", "POST"])
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant withdraws their application."""
    return _act(request, pk, "withdraw")
