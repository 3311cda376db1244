"""Pledges and applications: offering funds, browsing partners' pledges, applying and deciding.

Every pledge and application is fetched through `levy.access` (404 when the person may not see
it); the sender's levy officer creates pledges and decides on applications, the applicant's levy
officer applies and answers an approval (403 for others who see it). Every change goes through
`levy.pledges`, whose refusals are shown on the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.partnership.models import AuditEvent, Sector
from joinedup.partnership.views.manage import posted

from .. import access, pledges, services
from ..models import ApplicationStatus, LevyAccount, Pledge, PledgeApplication, PledgeStatus
from ..pledge_forms import ApplicationForm, PledgeForm, RejectForm
from ..queries import remaining_allowance

SECTOR_NAMES = dict(Sector.choices)


def _show_refusal(form, refusal: pledges.PledgeRefused) -> None:
    """Put each reason on the field it is about, or at the top of the form."""
    for reason in refusal.reasons:
        lowered = reason.lower()
        field = next(
            (name for name in ("amount", "levels") if name in lowered and name in form.fields),
            None,
        )
        form.add_error(field, reason)


def criteria(pledge: Pledge) -> list[tuple[str, str]]:
    """Each criterion as people read it; "Any" where the pledge accepts anything."""
    return [
        ("Sectors", ", ".join(SECTOR_NAMES.get(s, s) for s in pledge.sectors) or "Any"),
        ("Levels", ", ".join(str(level) for level in pledge.levels) or "Any"),
        ("Job roles", ", ".join(pledge.job_roles) or "Any"),
        ("Locations", ", ".join(pledge.locations) or "Any"),
    ]


def with_criteria(pledges_shown) -> list[Pledge]:
    """The pledges, each with its criteria in a line (`criteria_text`) for the tables."""
    shown = list(pledges_shown)
    for pledge in shown:
        met = [f"{name}: {value}" for name, value in criteria(pledge) if value != "Any"]
        pledge.criteria_text = "; ".join(met) or "Any apprenticeship"
    return shown


@require_GET
def pledge_list(request: HttpRequest) -> HttpResponse:
    """The acting organisation's pledges and applications, and the pledges others offer it."""
    actor = request.actor
    account = access.own_account(actor)
    visible = access.visible_pledges(actor).select_related("account__organisation")
    mine = visible.filter(account=account) if account else Pledge.objects.none()
    others = visible.exclude(account__organisation_id=actor.organisation_id)
    applications = (
        access.visible_applications(actor)
        .filter(account=account)
        .select_related("pledge__account__organisation")
        .order_by("-applied_at", "-id")
        if account
        else PledgeApplication.objects.none()
    )
    context = {
        "account": account,
        "mine": with_criteria(mine),
        "others": with_criteria(others),
        "applications": applications,
        "may_pledge": account is not None and access.may_manage_account(actor, account),
        "remaining": remaining_allowance(account, pledges.today()) if account else None,
    }
    return render(request, "levy/pledges_list.html", context)


@require_http_methods(["GET", "POST"])
def pledge_new(request: HttpRequest) -> HttpResponse:
    """A levy officer offers part of their organisation's transfer allowance."""
    actor = request.actor
    if not access.is_levy_officer(actor):
        raise PermissionDenied
    account = access.own_account(actor)
    remaining = remaining_allowance(account, pledges.today()) if account else None
    form = PledgeForm(posted(request))
    if account is not None and form.is_valid():
        try:
            pledge = pledges.create_pledge(actor=actor, account=account, **form.cleaned_data)
        except pledges.PledgeRefused as refusal:
            _show_refusal(form, refusal)
        else:
            messages.success(request, f"Pledge of £{pledge.amount:,.2f} made.")
            return redirect("levy:pledge", pk=pledge.pk)
    context = {"form": form, "account": account, "remaining": remaining}
    return render(request, "levy/pledges_new.html", context)


@require_GET
def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A pledge: its criteria and remaining amount, and the applications the person may see."""
    actor = request.actor
    pledge = access.get_pledge_for(actor, pk)
    applications = (
        access.visible_applications(actor)
        .filter(pledge=pledge)
        .select_related("account__organisation")
        .order_by("applied_at", "id")
    )
    context = {
        "pledge": pledge,
        "criteria": criteria(pledge),
        "applications": applications,
        "manages": access.may_manage_pledge(actor, pledge),
        "may_apply": access.may_apply_to(actor, pledge),
    }
    return render(request, "levy/pledges_detail.html", context)


def _applicant_account(request: HttpRequest) -> LevyAccount:
    """The acting organisation's account, opened now for an organisation receiving its first."""
    account = access.own_account(request.actor)
    if account is None:
        account = services.open_account(
            actor=request.actor, organisation=request.actor.organisation
        )
    return account


@require_http_methods(["GET", "POST"])
def pledge_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner's levy officer applies for part of a pledge."""
    actor = request.actor
    pledge = access.get_pledge_for(actor, pk)
    if not access.may_apply_to(actor, pledge):
        raise PermissionDenied
    form = ApplicationForm(posted(request), initial={"sector": actor.organisation.sector})
    if form.is_valid():
        try:
            application = pledges.apply_to_pledge(
                actor=actor, pledge=pledge, account=_applicant_account(request), **form.cleaned_data
            )
        except pledges.PledgeRefused as refusal:
            _show_refusal(form, refusal)
        else:
            messages.success(
                request,
                f"Application sent: a {application.match_score}% match, first-year cost "
                f"£{application.first_year_cost:,.2f}.",
            )
            return redirect("levy:pledge-application", pk=application.pk)
    context = {"form": form, "pledge": pledge, "criteria": criteria(pledge)}
    return render(request, "levy/pledges_apply.html", context)


def history(application: PledgeApplication) -> list[tuple[AuditEvent, str]]:
    """What happened to the application, oldest first, from the audit log, each in a word."""
    events = (
        AuditEvent.objects.filter(
            object_kind="levy.pledge_application", object_id=str(application.pk)
        )
        .select_related("actor", "acting_for")
        .order_by("at", "id")
    )
    return [(event, event.action.rsplit(".", 1)[-1].capitalize()) for event in events]


@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An application: what it asks for, its match and cost, its decisions, and what comes next."""
    actor = request.actor
    application = access.get_application_for(actor, pk)
    status = application.status
    decides = access.may_decide_application(actor, application)
    answers = access.may_answer_application(actor, application)
    context = {
        "application": application,
        "pledge": application.pledge,
        "history": history(application),
        "sector": SECTOR_NAMES.get(application.sector, application.sector),
        "may_decide": decides and status == ApplicationStatus.PENDING,
        "may_answer": answers and status == ApplicationStatus.APPROVED,
        "may_withdraw": answers and status == ApplicationStatus.PENDING,
        "pledge_open": application.pledge.status == PledgeStatus.OPEN,
    }
    return render(request, "levy/pledges_application.html", context)


def _act(request: HttpRequest, pk: int, *, deciding: bool, action, done: str) -> HttpResponse:
    """Fetch the application, check who may act, do the action, and go back to its page."""
    application = access.get_application_for(request.actor, pk)
    allowed = (
        access.may_decide_application(request.actor, application)
        if deciding
        else access.may_answer_application(request.actor, application)
    )
    if not allowed:
        raise PermissionDenied
    try:
        action(application)
    except pledges.PledgeRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done)
    return redirect("levy:pledge-application", pk=pk)


@require_POST
def application_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The sender's levy officer approves: the first-year cost comes off the pledge."""
    return _act(
        request,
        pk,
        deciding=True,
        action=lambda a: pledges.approve_application(actor=request.actor, application=a),
        done="Application approved: the applicant can now accept it.",
    )


@require_http_methods(["GET", "POST"])
def application_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """The sender's levy officer rejects an application, saying why."""
    actor = request.actor
    application = access.get_application_for(actor, pk)
    if not access.may_decide_application(actor, application):
        raise PermissionDenied
    form = RejectForm(posted(request))
    if form.is_valid():
        try:
            pledges.reject_application(
                actor=actor, application=application, reason=form.cleaned_data["reason"]
            )
        except pledges.PledgeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Application rejected.")
            return redirect("levy:pledge-application", pk=pk)
    context = {"form": form, "application": application}
    return render(request, "levy/pledges_reject.html", context)


@require_POST
def application_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's levy officer accepts an approval: the transfer is recorded."""
    return _act(
        request,
        pk,
        deciding=False,
        action=lambda a: pledges.accept_approval(actor=request.actor, application=a),
        done="Accepted: the transfer is recorded. Set it up in the apprenticeship service.",
    )


@require_POST
def application_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's levy officer declines an approval: the funds go back to the pledge."""
    return _act(
        request,
        pk,
        deciding=False,
        action=lambda a: pledges.decline_approval(actor=request.actor, application=a),
        done="Approval declined: the funds have gone back to the pledge.",
    )


@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's levy officer withdraws an application still waiting for a decision."""
    return _act(
        request,
        pk,
        deciding=False,
        action=lambda a: pledges.withdraw_application(actor=request.actor, application=a),
        done="Application withdrawn.",
    )


urlpatterns = [
    path("pledges/", pledge_list, name="pledges"),
    path("pledges/new/", pledge_new, name="pledge-new"),
    path("pledges/<int:pk>/", pledge_detail, name="pledge"),
    path("pledges/<int:pk>/apply/", pledge_apply, name="pledge-apply"),
    path("pledges/applications/<int:pk>/", application_detail, name="pledge-application"),
    path(
        "pledges/applications/<int:pk>/approve/",
        application_approve,
        name="pledge-application-approve",
    ),
    path(
        "pledges/applications/<int:pk>/reject/",
        application_reject,
        name="pledge-application-reject",
    ),
    path(
        "pledges/applications/<int:pk>/accept/",
        application_accept,
        name="pledge-application-accept",
    ),
    path(
        "pledges/applications/<int:pk>/decline/",
        application_decline,
        name="pledge-application-decline",
    ),
    path(
        "pledges/applications/<int:pk>/withdraw/",
        application_withdraw,
        name="pledge-application-withdraw",
    ),
]
