"""Reporting a material, and the reports its owner's L&D leads and the partnership lead handle:
hiding a material with a reason, showing it again, dismissing a report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.partnership.views.manage import page_links, posted

from .. import access, pages, services
from ..forms import ConfirmForm, DismissForm, HideForm, ReportForm, show_refusal


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a material to its owner and the partnership lead."""
    found = access.get_reportable_material(request.actor, pk)
    form = ReportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_material(actor=request.actor, material=found, **form.cleaned_data)
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(
                request, "Thank you. Your report has gone to its owner and the partnership lead."
            )
            return redirect("materials:material", pk=found.pk)
    return render(request, "materials/report_form.html", {"form": form, "material": found})


@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    """Open reports (or those dealt with) on the materials the actor looks after or oversees."""
    if not access.may_handle_reports(request.actor):
        raise PermissionDenied
    show = "closed" if request.GET.get("show") == "closed" else "open"
    page = pages.reports_page(
        request.actor, show=show, after=request.GET.get("after"), before=request.GET.get("before")
    )
    context = {"reports": page.items, "show": show, "links": page_links(request, page)}
    return render(request, "materials/reports.html", context)


@require_http_methods(["GET", "POST"])
def hide(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide a material from everyone but its keepers and the partnership lead, with a reason."""
    found = access.get_hideable_material(request.actor, pk)
    form = HideForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_material(
                actor=request.actor, material=found, reason=form.cleaned_data["reason"]
            )
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"{found.title} is hidden.")
            return redirect("materials:material", pk=found.pk)
    return render(request, "materials/hide.html", {"form": form, "material": found})


@require_http_methods(["GET", "POST"])
def report_hide(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide the reported material, closing this report and any other open one about it."""
    found = access.get_report_for(request.actor, pk)
    form = HideForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_material(
                actor=request.actor,
                material=found.material,
                reason=form.cleaned_data["reason"],
                report=found,
            )
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"{found.material.title} is hidden.")
            return redirect("materials:reports")
    context = {"form": form, "material": found.material, "report": found}
    return render(request, "materials/hide.html", context)


@require_http_methods(["GET", "POST"])
def unhide(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a hidden material again."""
    found = access.get_hideable_material(request.actor, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.unhide_material(actor=request.actor, material=found)
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"{found.title} is shown again.")
            return redirect("materials:material", pk=found.pk)
    return render(request, "materials/unhide.html", {"form": form, "material": found})


@require_http_methods(["GET", "POST"])
def report_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a report that needs no action, saying why."""
    found = access.get_report_for(request.actor, pk)
    form = DismissForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.dismiss_report(actor=request.actor, report=found, **form.cleaned_data)
        except services.MaterialRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, "The report is dismissed.")
            return redirect("materials:reports")
    return render(request, "materials/dismiss.html", {"form": form, "report": found})
