"""The talent scheme's front page: links to each part a person may use."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import access


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Opportunities, the person's profile and applications, schemes, mentoring and figures;
    the links for hosts, curators and figure readers only to them."""
    actor = request.actor
    context = {
        "may_host": access.may_host(actor),
        "curates": access.may_curate_skills(actor),
        "sees_figures": access.may_see_partnership_figures(actor)
        or access.may_see_organisation_figures(actor),
    }
    return render(request, "talent/home.html", context)
