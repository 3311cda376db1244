"""The front page of learning together: discussion spaces and the initiatives register."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import access


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Links to the person's discussions, the spaces, the register and the code of conduct."""
    actor = request.actor
    context = {
        "may_start_community": access.may_start_community(actor),
        "may_record_initiative": access.may_record_initiative(actor),
        "moderates": access.may_moderate_any(actor),
    }
    return render(request, "network/home.html", context)
