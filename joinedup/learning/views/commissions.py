"""Joint commissions: start one on a plan, join it, agree the split, and value for money."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.lib.charts import bar_chart
from joinedup.lib.money import pounds
from joinedup.lib.spreadsheet_cells import neutralise
from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, commissions
from ..commission_forms import PlacesForm, ProgrammeForm, StartForm, TermsForm
from ..commissions import CommissionRefused
from ..forms import ConfirmForm
from ..models import CommissionStatus, JointCommission


def _refused(form: Form, error: Exception) -> None:
    if isinstance(error, ValidationError):
        show_refusal(form, error)
    else:
        form.add_error(None, str(error))


def _commission(request: HttpRequest, pk: int) -> JointCommission:
    return access.get_commission_for(request.actor, pk)


def _led(request: HttpRequest, pk: int) -> JointCommission:
    """A visible commission the acting L&D lead leads: 404 when not visible, 403 when not theirs."""
    commission = _commission(request, pk)
    if not access.may_lead_commission(request.actor, commission):
        raise PermissionDenied
    return commission


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan's joint commission: a partner's L&D lead commits places; members go to its page."""
    plan = access.get_plan_for(request.actor, pk)
    commission = (
        access.visible_commissions(request.actor).filter(plan=plan).select_related("plan").first()
    )
    if commission is None:
        if access.may_start_commission(request.actor, plan):
            return redirect("learning:commission-start", pk=plan.pk)
        return render(request, "learning/commissions/not_started.html", {"plan": plan})
    if commissions.member_of(request.actor, commission) is not None:
        return redirect("learning:commission", pk=commission.pk)
    if not access.may_join_commission(request.actor, commission):
        raise PermissionDenied
    form = PlacesForm(posted(request), initial={"places": plan.expected_learners or None})
    if request.method == "POST" and form.is_valid():
        try:
            commissions.join_commission(
                actor=request.actor, commission=commission, places=form.cleaned_data["places"]
            )
        except (CommissionRefused, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, f"{request.actor.organisation.name} has joined.")
            return redirect("learning:commission", pk=commission.pk)
    context = {
        "plan": plan,
        "commission": commission,
        "summary": commissions.summarise(commission),
        "form": form,
        "forming": commission.status == CommissionStatus.FORMING,
    }
    return render(request, "learning/commissions/join.html", context)


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's L&D lead starts a joint commission on it, committing its own places."""
    plan = access.get_plan_for(request.actor, pk)
    if not access.may_start_commission(request.actor, plan):
        raise PermissionDenied
    existing = access.visible_commissions(request.actor).filter(plan=plan).first()
    if existing is not None:
        return redirect("learning:commission", pk=existing.pk)
    form = StartForm(
        posted(request),
        initial={"places": plan.expected_learners or None, "split_method": "places"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            commission = commissions.start_commission(
                actor=request.actor,
                plan=plan,
                places=form.cleaned_data["places"],
                split_method=form.cleaned_data["split_method"],
            )
        except (CommissionRefused, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, "Joint commission started: partners can now join it.")
            return redirect("learning:commission", pk=commission.pk)
    return render(request, "learning/commissions/start.html", {"plan": plan, "form": form})


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The commission's partners, places, shares and value for money, with the actions allowed."""
    commission = _commission(request, pk)
    summary = commissions.summarise(commission)
    member = commissions.member_of(request.actor, commission)
    forming = commission.status == CommissionStatus.FORMING
    leads = access.may_lead_commission(request.actor, commission)
    context = {
        "commission": commission,
        "summary": summary,
        "member": member,
        "forming": forming,
        "leads": leads,
        "may_join": forming
        and member is None
        and access.may_join_commission(request.actor, commission),
        "may_change": forming
        and member is not None
        and access.may_change_membership(request.actor, member),
        "may_leave": (
            forming
            and member is not None
            and member.organisation_id != commission.lead_organisation_id
            and access.may_change_membership(request.actor, member)
        ),
        "may_link": leads
        and commission.status == CommissionStatus.AGREED
        and not commission.programme_id,
        "chart": _value_chart(summary),
    }
    return render(request, "learning/commissions/detail.html", context)


def _value_chart(summary: commissions.Summary):
    return bar_chart(
        [
            (
                f"{row.member.organisation.name}: {pounds(row.separate_cost)} alone, "
                f"{pounds(row.share)} joint",
                [row.separate_cost, row.share],
            )
            for row in summary.rows
        ]
    )


def _membership(request: HttpRequest, commission: JointCommission):
    member = commissions.member_of(request.actor, commission)
    if member is None or not access.may_change_membership(request.actor, member):
        raise PermissionDenied
    member.commission = commission
    return member


@require_http_methods(["GET", "POST"])
def places(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner's L&D lead changes the places its organisation commits while forming."""
    commission = _commission(request, pk)
    member = _membership(request, commission)
    form = PlacesForm(posted(request), initial={"places": member.places})
    if request.method == "POST" and form.is_valid():
        try:
            commissions.change_places(
                actor=request.actor, member=member, places=form.cleaned_data["places"]
            )
        except (CommissionRefused, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, f"Your organisation commits {member.places} places.")
            return redirect("learning:commission", pk=commission.pk)
    context = {"commission": commission, "member": member, "form": form}
    return render(request, "learning/commissions/places.html", context)


@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner (not the lead) leaves a forming commission."""
    commission = _commission(request, pk)
    member = _membership(request, commission)
    if member.organisation_id == commission.lead_organisation_id:
        raise PermissionDenied
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            commissions.leave_commission(actor=request.actor, member=member)
        except (CommissionRefused, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, f"{member.organisation.name} has left the commission.")
            return redirect("learning:commission", pk=commission.pk)
    return render(
        request, "learning/commissions/leave.html", {"commission": commission, "form": form}
    )


@require_http_methods(["GET", "POST"])
def agree(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead previews the shares under a split method and total, saves them, or agrees."""
    commission = _led(request, pk)
    initial = {
        "split_method": commission.split_method,
        "total_cost": commission.total_cost if commission.total_cost > 0 else "",
    }
    data = posted(request) or (request.GET if "split_method" in request.GET else None)
    form = TermsForm(data, initial=initial)
    preview = None
    if data is not None and form.is_valid():
        method = form.cleaned_data["split_method"]
        total = form.cleaned_data["total_cost"]
        try:
            if request.method == "POST" and request.POST.get("action") == "agree":
                commissions.agree_commission(
                    actor=request.actor,
                    commission=commission,
                    split_method=method,
                    total_cost=total,
                )
                messages.success(request, "Agreed: each partner's share is on the recharge ledger.")
                return redirect("learning:commission", pk=commission.pk)
            if request.method == "POST":
                commissions.set_terms(
                    actor=request.actor,
                    commission=commission,
                    split_method=method,
                    total_cost=total,
                )
                messages.success(request, "Saved: partners see the shares these terms give.")
                return redirect("learning:commission", pk=commission.pk)
            preview = commissions.preview(commission, method, total)
        except (CommissionRefused, ValidationError) as error:
            _refused(form, error)
    preview_error = ""
    if preview is None and not form.errors:
        try:
            preview = commissions.preview(commission, commission.split_method, None)
        except ValidationError as error:
            preview_error = " ".join(error.messages)
    context = {
        "commission": commission,
        "form": form,
        "preview": preview,
        "preview_error": preview_error,
        "forming": commission.status == CommissionStatus.FORMING,
    }
    return render(request, "learning/commissions/agree.html", context)


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead cancels a commission before it is agreed."""
    commission = _led(request, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            commissions.cancel_commission(actor=request.actor, commission=commission)
        except (CommissionRefused, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, "The joint commission is cancelled.")
            return redirect("learning:commission", pk=commission.pk)
    return render(
        request, "learning/commissions/cancel.html", {"commission": commission, "form": form}
    )


@require_http_methods(["GET", "POST"])
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead links the programme the agreed commission produced; its runs reserve places."""
    commission = _led(request, pk)
    form = ProgrammeForm(posted(request), programmes=commissions.programme_choices(commission))
    if request.method == "POST" and form.is_valid():
        try:
            made = commissions.link_programme(
                actor=request.actor, commission=commission, programme=form.cleaned_data["programme"]
            )
        except (CommissionRefused, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                f"Linked. {len(made)} block{'s' if len(made) != 1 else ''} of places reserved "
                "for partners on its open runs.",
            )
            return redirect("learning:commission", pk=commission.pk)
    context = {
        "commission": commission,
        "form": form,
        "agreed": commission.status == CommissionStatus.AGREED,
    }
    return render(request, "learning/commissions/programme.html", context)


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The acting organisation's joint commissions, newest first."""
    rows = commissions.summaries(access.organisation_commissions(request.actor))
    context = {"summaries": rows, "organisation": request.actor.organisation}
    return render(request, "learning/commissions/mine.html", context)


def _report_rows(request: HttpRequest) -> list[commissions.Summary]:
    if not access.may_see_commission_report(request.actor):
        raise PermissionDenied
    reported = access.reported_commissions(request.actor).filter(commissions.not_cancelled())
    return commissions.summaries(reported)


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """Separate cost, joint cost and saving of each joint commission, with a chart and a table."""
    rows = _report_rows(request)
    separate = sum((row.value.separate_cost for row in rows), Decimal("0"))
    joint = sum((row.total for row in rows), Decimal("0"))
    chart = bar_chart(
        [
            (
                f"{row.commission.plan.title}: {pounds(row.value.separate_cost)} separately, "
                f"{pounds(row.total)} jointly",
                [row.value.separate_cost, row.total],
            )
            for row in rows
        ]
    )
    context = {
        "summaries": rows,
        "separate": separate,
        "joint": joint,
        "saving": separate - joint,
        "chart": chart,
    }
    return render(request, "learning/commissions/report.html", context)


CSV_HEADER = (
    "Commission",
    "Plan",
    "Lead organisation",
    "Status",
    "Partners",
    "Places",
    "Separate cost",
    "Joint cost",
    "Saving",
)


@require_GET
def report_csv(request: HttpRequest) -> HttpResponse:
    """The report as CSV, every text cell neutralised against formula injection."""
    rows = _report_rows(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in rows:
        commission = row.commission
        writer.writerow(
            [
                neutralise(commission.pk),
                neutralise(commission.plan.title),
                neutralise(commission.lead_organisation.name),
                neutralise(commission.get_status_display()),
                neutralise(len(row.rows)),
                neutralise(row.places),
                neutralise(row.value.separate_cost),
                neutralise(row.total),
                neutralise(row.value.saving),
            ]
        )
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="joint-commissions-value.csv"'
    return response
