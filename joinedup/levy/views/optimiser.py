"""Needs and the pooling optimiser: needs and their cost schedules, runs, results, pledging.

Needs are seen by their organisation's levy officers and admins and by the partnership's levy
lead and partnership lead; the leads run the optimiser and read its results; a recommendation is
also seen by the sending organisation's levy readers, and only its levy officer makes it a pledge.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.lib.money import pounds
from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, optimising, rules
from ..models import Need, OptimiserRun
from ..need_forms import NeedForm
from ..pledges import PledgeRefused

BAR_ROW = 56  # height of one plan's label and bar in the chart, in SVG units
BAR_LONGEST = 600


@dataclass(frozen=True)
class PlanLine:
    """One plan of the comparison: what it saves and loses, with its chart bar."""

    name: str
    avoided: Decimal
    lost: Decimal
    priority: int | None
    bar_length: int
    bar_top: int


def comparison(run: OptimiserRun) -> list[PlanLine]:
    """No transfers, the greedy plan and the optimiser's plan, as lines of a chart and table."""
    total = run.expiry_without_transfers
    plans = [
        ("No transfers", Decimal(0), 0),
        ("Greedy plan", run.greedy_expiry_avoided, run.greedy_priority_funded),
        ("Optimiser's plan", run.expiry_avoided, run.priority_funded),
    ]
    return [
        PlanLine(
            name=name,
            avoided=avoided,
            lost=total - avoided,
            priority=priority,
            bar_length=int((total - avoided) * BAR_LONGEST / total) if total else 0,
            bar_top=index * BAR_ROW + 24,
        )
        for index, (name, avoided, priority) in enumerate(plans)
    ]


# --- Needs -----------------------------------------------------------------------------------


@require_GET
def needs(request: HttpRequest) -> HttpResponse:
    """Open needs the person sees, by start month, each with its total cost."""
    if not access.may_see_needs(request.actor):
        raise PermissionDenied
    rows = list(
        access.visible_needs(request.actor)
        .filter(withdrawn_at__isnull=True)
        .select_related("organisation")
        .order_by("start_month", "organisation__name", "pk")
    )
    terms = rules.payment_terms()
    context = {
        "rows": [
            (need, sum(optimising.need_costs(need, terms).values(), Decimal(0))) for need in rows
        ],
        "may_add": access.need_organisations(request.actor).exists(),
        "oversees": access.oversees_levy(request.actor),
    }
    return render(request, "levy/optimiser_needs.html", context)


@require_GET
def need(request: HttpRequest, pk: int) -> HttpResponse:
    """One need with its cost schedule by month, from the payment rules."""
    found = access.get_need_for(request.actor, pk)
    costs = optimising.need_costs(found)
    context = {
        "need": found,
        "costs": [(optimising.month_words(month), amount) for month, amount in costs.items()],
        "total": sum(costs.values(), Decimal(0)),
        "may_manage": access.may_manage_need(request.actor, found),
        "recommendations": access.visible_recommendations(request.actor)
        .filter(need=found)
        .select_related("sender__organisation", "optimiser_run")
        .order_by("-optimiser_run__run_at", "-pk"),
    }
    return render(request, "levy/optimiser_need.html", context)


def _need_values(found: Need) -> dict:
    values = {field: getattr(found, field) for field in optimising.NEED_FIELDS}
    values["start_month"] = f"{found.start_month:%Y-%m}"
    return values


@require_http_methods(["GET", "POST"])
def need_new(request: HttpRequest) -> HttpResponse:
    """Add a need for the person's organisation, or for a member of a partnership they oversee."""
    organisations = access.need_organisations(request.actor)
    if not organisations.exists():
        raise PermissionDenied
    form = NeedForm(posted(request), organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            added = optimising.create_need(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"The {added.standard_title} need is added.")
            return redirect("levy:need", pk=added.pk)
    context = {"form": form, "title": "Add an apprenticeship need", "button": "Add need"}
    return render(request, "levy/optimiser_need_form.html", context)


@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an open need's details."""
    found = access.get_need_for(request.actor, pk)
    if not access.may_manage_need(request.actor, found):
        raise PermissionDenied
    form = NeedForm(posted(request), initial=_need_values(found))
    if request.method == "POST" and form.is_valid():
        try:
            changed = optimising.update_need(actor=request.actor, need=found, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            done = "saved" if changed else "unchanged"
            messages.success(request, f"The {found.standard_title} need is {done}.")
            return redirect("levy:need", pk=found.pk)
    context = {
        "form": form,
        "need": found,
        "title": f"Change the {found.standard_title} need",
        "button": "Save changes",
    }
    return render(request, "levy/optimiser_need_form.html", context)


@require_http_methods(["GET", "POST"])
def need_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a need, after a confirmation page (later optimiser runs leave it out)."""
    found = access.get_need_for(request.actor, pk)
    if not access.may_manage_need(request.actor, found):
        raise PermissionDenied
    if request.method == "POST":
        try:
            optimising.withdraw_need(actor=request.actor, need=found)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"The {found.standard_title} need is withdrawn.")
        return redirect("levy:needs")
    return render(request, "levy/optimiser_need_withdraw.html", {"need": found})


# --- Optimiser runs and recommendations ------------------------------------------------------


@require_GET
def runs(request: HttpRequest) -> HttpResponse:
    """Past optimiser runs of the partnerships the person oversees, and a button for a new one."""
    if not access.oversees_levy(request.actor):
        raise PermissionDenied
    context = {
        "runs": access.visible_optimiser_runs(request.actor)
        .select_related("partnership", "run_by")
        .order_by("-run_at", "-pk")[:50],
        "partnerships": access.overseen_partnerships(request.actor).order_by("name", "pk"),
        "time_limit": optimising.TIME_LIMIT_SECONDS,
    }
    return render(request, "levy/optimiser_runs.html", context)


@require_POST
def run_new(request: HttpRequest) -> HttpResponse:
    """Run the optimiser for a partnership the person oversees; the result page follows."""
    overseen = access.overseen_partnerships(request.actor).order_by("name", "pk")
    chosen = request.POST.get("partnership", "")
    partnership = overseen.filter(pk=int(chosen)).first() if chosen.isdigit() else overseen.first()
    if partnership is None or not access.may_run_optimiser(request.actor, partnership):
        raise PermissionDenied
    try:
        run = optimising.run_optimiser(actor=request.actor, partnership=partnership)
    except optimising.OptimiserRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("levy:optimiser")
    return redirect("levy:optimiser-result", pk=run.pk)


@require_GET
def result(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's recommended transfers in words, compared with no transfers and the greedy plan."""
    run = access.get_optimiser_run_for(request.actor, pk)
    recommendations = run.recommendations.select_related(
        "need__organisation", "sender__organisation", "pledge"
    ).order_by("sender__organisation__name", "need__start_month", "pk")
    lines = comparison(run)
    context = {
        "run": run,
        "rows": [(item, optimising.in_words(item)) for item in recommendations],
        "lines": lines,
        "chart_height": len(lines) * BAR_ROW,
        "senders": len(run.inputs.get("senders", [])),
        "needs": len(run.inputs.get("needs", [])),
    }
    return render(request, "levy/optimiser_result.html", context)


@require_GET
def recommendations(request: HttpRequest) -> HttpResponse:
    """Recommended transfers the person sees, newest run first (for senders' levy officers)."""
    if not access.may_see_needs(request.actor):
        raise PermissionDenied
    found = (
        access.visible_recommendations(request.actor)
        .select_related("need__organisation", "sender__organisation", "optimiser_run", "pledge")
        .order_by("-optimiser_run__run_at", "-optimiser_run_id", "pk")[:100]
    )
    context = {"rows": [(item, optimising.in_words(item)) for item in found]}
    return render(request, "levy/optimiser_recommendations.html", context)


@require_GET
def recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    """One recommended transfer explained, with the action that makes it a pledge."""
    found = access.get_recommendation_for(request.actor, pk)
    context = {
        "item": found,
        "words": optimising.in_words(found),
        "saves": [
            (optimising.month_words(saving["month"]), Decimal(saving["amount"]))
            for saving in found.explanation
        ],
        "may_pledge": access.may_pledge_recommendation(request.actor, found),
        "sees_run": access.visible_optimiser_runs(request.actor)
        .filter(pk=found.optimiser_run_id)
        .exists(),
    }
    return render(request, "levy/optimiser_recommendation.html", context)


@require_POST
def recommendation_pledge(request: HttpRequest, pk: int) -> HttpResponse:
    """The sender's levy officer makes the recommendation a pledge in one action."""
    found = access.get_recommendation_for(request.actor, pk)
    if not access.may_pledge_recommendation(request.actor, found):
        raise PermissionDenied
    try:
        pledge = optimising.pledge_recommendation(actor=request.actor, recommendation=found)
    except PledgeRefused as refusal:
        messages.error(request, " ".join(refusal.reasons))
    else:
        messages.success(
            request, f"Pledge {pledge.pk} of {pounds(pledge.amount)} is made for this need."
        )
    return redirect("levy:recommendation", pk=found.pk)


urlpatterns = [
    path("needs/", needs, name="needs"),
    path("needs/new/", need_new, name="need-new"),
    path("needs/<int:pk>/", need, name="need"),
    path("needs/<int:pk>/edit/", need_edit, name="need-edit"),
    path("needs/<int:pk>/withdraw/", need_withdraw, name="need-withdraw"),
    path("optimiser/", runs, name="optimiser"),
    path("optimiser/run/", run_new, name="optimiser-run"),
    path("optimiser/<int:pk>/", result, name="optimiser-result"),
    path("recommendations/", recommendations, name="recommendations"),
    path("recommendations/<int:pk>/", recommendation, name="recommendation"),
    path("recommendations/<int:pk>/pledge/", recommendation_pledge, name="recommendation-pledge"),
]
