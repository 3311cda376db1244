"""The front page of apprenticeships: what the person may do, by their roles."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import access


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Links to standards, programmes, the enrolments the person may see and the work waiting for
    them (deadlines, reviews, entries to check, their assessments)."""
    actor = request.actor
    context = {
        "may_run_programmes": access.may_run_programmes(actor),
        "may_enrol": access.may_enrol(actor),
        "has_enrolments": access.visible_enrolments(actor).exists(),
        "lists_employer_enrolments": access.may_list_employer_enrolments(actor),
        "lists_provider_enrolments": access.may_list_provider_enrolments(actor),
        "sees_deadlines": access.may_see_deadlines(actor),
        "manages_closures": access.may_manage_closure_days(actor),
        "has_assessments": access.my_assessments(actor).exists(),
    }
    return render(request, "apprenticeships/home.html", context)
