"""The progress page of one enrolment: one section per kind of evidence of progress.

Each section is an inclusion tag of its own area (`templatetags/apprenticeship_<area>.py`), given
the enrolment and the request's actor. What several sections show (module results, KSB coverage,
off-the-job totals, the workplace project) is read once, as the gateway's readings, and handed to
each; the rest each area fetches itself.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import access, gateway


@require_GET
def page(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress at a glance, for everyone who sees the enrolment."""
    enrolment = access.get_enrolment_for(request.actor, pk)
    context = {"enrolment": enrolment, "readings": gateway.read(enrolment)}
    return render(request, "apprenticeships/progress/page.html", context)
