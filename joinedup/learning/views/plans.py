"""Design once: commissioning plans with their similar programmes and plans, and the partnership
lead's near-duplicate report."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.lib.spreadsheet_cells import neutralise
from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, near_duplicates, plans, similar
from ..forms import ConfirmForm
from ..models import CommissioningPlan, PlanStatus, ReportStatus
from ..plan_forms import PlanForm, ReportForm

LIST_LIMIT = 100
CSV_COLUMNS = (
    "First programme",
    "First host",
    "First cost per place",
    "Second programme",
    "Second host",
    "Second cost per place",
    "Score",
    "Shared terms",
    "Estimated saving",
)


def _plan_values(plan: CommissioningPlan) -> dict:
    values = {field: getattr(plan, field) for field in plans.PLAN_FIELDS}
    values["topics"] = ", ".join(plan.topics.order_by("name").values_list("name", flat=True))
    return values


def library_links(plan: CommissioningPlan) -> list[tuple[str, str]]:
    """The materials library filtered by each of the plan's topics (`topic`), or, for a plan
    without topics, searched for its title's words (`q`)."""
    library = reverse("materials:library")
    topics = list(plan.topics.order_by("name").values_list("pk", "name"))
    if not topics:
        return [(plan.title, library + "?" + urlencode({"q": plan.title}))]
    return [(name, library + "?" + urlencode({"topic": pk})) for pk, name in topics]


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """The acting organisation's plans, and partners' open plans (the partnership lead reaches
    the near-duplicate report from here)."""
    may_plan = access.may_plan(request.actor)
    sees_report = access.may_run_near_duplicate_report(request.actor)
    if not (may_plan or sees_report):
        raise PermissionDenied
    visible = access.visible_plans(request.actor).select_related("organisation")
    mine = visible.filter(organisation=request.actor.organisation)
    others = visible.exclude(organisation=request.actor.organisation).filter(status=PlanStatus.OPEN)
    context = {
        "mine": list(mine[:LIST_LIMIT]),
        "others": list(others[:LIST_LIMIT]),
        "limit": LIST_LIMIT,
        "may_plan": may_plan,
        "sees_report": sees_report,
        "sees_value_report": access.may_see_commission_report(request.actor),
    }
    return render(request, "learning/plans/list.html", context)


@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    """Record a plan; its page then shows the most similar programmes and plans."""
    if not access.may_plan(request.actor):
        raise PermissionDenied
    form = PlanForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            plan = plans.create_plan(actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{plan.title} is saved. Here is what is like it.")
            return redirect("learning:plan", pk=plan.pk)
    context = {"form": form, "title": "Record a commissioning plan", "button": "Save plan"}
    return render(request, "learning/plans/form.html", context)


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan with the programmes and other organisations' open plans most like it."""
    plan = access.get_plan_for(request.actor, pk)
    context = {
        "plan": plan,
        "topics": list(plan.topics.order_by("name").values_list("name", flat=True)),
        "similar": similar.similar_for_plan(plan, request.actor),
        "may_change": access.may_change_plan(request.actor, plan)
        and plan.status == PlanStatus.OPEN,
        "library_links": library_links(plan),
    }
    return render(request, "learning/plans/detail.html", context)


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an open plan's details."""
    plan = access.get_managed_plan(request.actor, pk)
    form = PlanForm(posted(request), initial=_plan_values(plan))
    if request.method == "POST" and form.is_valid():
        try:
            changed = plans.update_plan(actor=request.actor, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Plan saved." if changed else "Nothing was changed.")
            return redirect("learning:plan", pk=plan.pk)
    context = {"form": form, "title": f"Change {plan.title}", "button": "Save", "plan": plan}
    return render(request, "learning/plans/form.html", context)


@require_http_methods(["GET", "POST"])
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a plan: it is no longer offered to others as a similar plan."""
    plan = access.get_managed_plan(request.actor, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            plans.close_plan(actor=request.actor, plan=plan)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{plan.title} is closed.")
            return redirect("learning:plans")
    return render(request, "learning/plans/close.html", {"form": form, "plan": plan})


# --- The near-duplicate report ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    """The partnership lead's near-duplicate reports, and asking for a new one."""
    if not access.may_run_near_duplicate_report(request.actor):
        raise PermissionDenied
    form = ReportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            report = near_duplicates.request_report(
                actor=request.actor, threshold=form.cleaned_data["threshold"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            return redirect("learning:near-duplicate-report", pk=report.pk)
    reports = access.visible_near_duplicate_reports(request.actor).select_related("partnership")
    context = {"form": form, "reports": list(reports[:LIST_LIMIT])}
    return render(request, "learning/plans/reports.html", context)


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report's progress while it runs (htmx asks again every 2 seconds), then its pairs."""
    report = access.get_near_duplicate_report_for(request.actor, pk)
    in_progress = report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
    context = {"report": report, "in_progress": in_progress}
    if request.headers.get("HX-Request"):
        return render(request, "learning/plans/_report_progress.html", context)
    if report.status == ReportStatus.DONE:
        context["pairs"] = list(
            report.pairs.select_related("first__host", "second__host")[:LIST_LIMIT]
        )
        context["limit"] = LIST_LIMIT
    return render(request, "learning/plans/report.html", context)


@require_GET
def report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Every pair of a finished report as CSV, largest saving first."""
    report = access.get_near_duplicate_report_for(request.actor, pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    pairs = report.pairs.select_related("first__host", "second__host")
    for pair in pairs.iterator(chunk_size=1_000):
        row = (
            pair.first.title,
            pair.first.host.name,
            pair.first.cost_per_place,
            pair.second.title,
            pair.second.host.name,
            pair.second.cost_per_place,
            pair.score,
            pair.shared_terms,
            pair.estimated_saving,
        )
        writer.writerow([neutralise(cell) for cell in row])
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="near-duplicates-{report.pk}.csv"'
    return response
