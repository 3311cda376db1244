"""Buddy pages: a cohort's buddies for its programme leaders (pairs, the unpaired with the reason,
"Pair apprentices"), and opening the cohort's module discussion spaces. Everything is fetched
through `access`; every change goes through `buddies` or `module_spaces`."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import access, buddies, module_spaces


@require_GET
def cohort_buddies(request: HttpRequest, pk: int) -> HttpResponse:
    """The cohort's pairs with employers, and whoever has no buddy yet (with why)."""
    actor = request.actor
    cohort = access.get_buddy_cohort(actor, pk)
    pairs = list(access.cohort_buddy_pairs(actor, cohort))
    current = {
        e.pk: e
        for e in access.cohort_current_apprentices(actor, cohort).select_related(
            "apprentice", "employer"
        )
    }
    plan = buddies.plan_for(cohort)
    reasons = dict(plan.unpaired)
    paired = {pk for pair in pairs for pk in (pair.first_id, pair.second_id)}
    unpaired = [
        (enrolment, reasons.get(pk, "Not paired yet"))
        for pk, enrolment in sorted(current.items())
        if pk not in paired
    ]
    context = {
        "cohort": cohort,
        "programme": cohort.programme,
        "pairs": pairs,
        "unpaired": unpaired,
        "may_pair": bool(plan.pairs),
    }
    return render(request, "apprenticeships/buddies/cohort.html", context)


@require_POST
def pair(request: HttpRequest, pk: int) -> HttpResponse:
    """Pair everyone on the cohort who has no buddy yet."""
    actor = request.actor
    cohort = access.get_buddy_cohort(actor, pk)
    pairing = buddies.pair_cohort(cohort, actor)
    made = len(pairing.made)
    if made:
        messages.success(request, f"{made} new pair{'s' if made != 1 else ''} made.")
    else:
        messages.info(request, "No one new could be paired.")
    return redirect("apprenticeships:cohort_buddies", pk=cohort.pk)


@require_POST
def open_module_discussions(request: HttpRequest, pk: int) -> HttpResponse:
    """Open (or bring up to date) a discussion space for each of the cohort's modules."""
    actor = request.actor
    cohort = access.get_buddy_cohort(actor, pk)
    opened = module_spaces.open_discussions(cohort, actor)
    count = len(opened)
    messages.success(request, f"{count} module discussion space{'s' if count != 1 else ''} ready.")
    return redirect("apprenticeships:cohort", pk=cohort.pk)
