"""Enrolment pages: enrolling from a cohort, the employer's, the provider's and "my" lists, one
enrolment with its funding, history and statements, and the forms that change it. Everything is
fetched through `access`; every change goes through `enrolments`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.lib.keyset import keyset_page
from joinedup.partnership.access import partner_organisations
from joinedup.partnership.views.manage import page_links, posted, show_refusal

from .. import access, enrolments
from ..enrolment_forms import (
    EmployerChangeForm,
    EnrolForm,
    OffTheJobForm,
    StatusForm,
    TermsForm,
)
from ..models import Enrolment, EnrolmentStatus

ORDER = ("-start_on", "-id")
PAGE_SIZE = 50
MAX_COHORTS = 200
STATUS_CHOICES = [("", "Any status"), *EnrolmentStatus.choices]


def link(name: str, *args) -> str | None:
    """The address of a page another helper builds, or None while it is not there."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _chosen_int(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 18 else None


def _list_page(
    request: HttpRequest, found: QuerySet[Enrolment], template: str, extra: dict
) -> HttpResponse:
    """One page of a list of enrolments, newest start first, filtered by status and cohort."""
    status = request.GET.get("status", "")
    if status in EnrolmentStatus.values:
        found = found.filter(status=status)
    cohort = _chosen_int(request, "cohort")
    if cohort is not None:
        found = found.filter(cohort_id=cohort)
    found = found.select_related("apprentice", "employer", "cohort__programme")
    page = keyset_page(
        found,
        ORDER,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    cohorts = access.visible_cohorts(request.actor).select_related("programme").order_by("-id")
    context = {
        "page": page,
        "links": page_links(request, page),
        "statuses": STATUS_CHOICES,
        "status": status,
        "cohorts": [(c.pk, f"{c.programme.title}: {c.name}") for c in cohorts[:MAX_COHORTS]],
        "cohort": cohort,
        **extra,
    }
    return render(request, template, context)


@require_GET
def employer_list(request: HttpRequest) -> HttpResponse:
    """The acting organisation's apprentices' enrolments (its L&D leads and levy officers)."""
    actor = request.actor
    if not access.may_list_employer_enrolments(actor):
        raise PermissionDenied
    found = access.employer_enrolments(actor, actor.organisation)
    return _list_page(
        request,
        found,
        "apprenticeships/enrolments/employer_list.html",
        {"may_enrol": access.may_enrol(actor)},
    )


@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    """The enrolments on the acting organisation's programmes (its programme leaders)."""
    actor = request.actor
    if not access.may_list_provider_enrolments(actor):
        raise PermissionDenied
    found = access.provider_enrolments(actor)
    employer = _chosen_int(request, "employer")
    if employer is not None:
        found = found.filter(employer_id=employer)
    employers = [(o.pk, o.name) for o in partner_organisations(actor).order_by("name")]
    return _list_page(
        request,
        found,
        "apprenticeships/enrolments/provider_list.html",
        {"employers": employers, "employer": employer},
    )


@require_GET
def my_apprenticeship(request: HttpRequest) -> HttpResponse:
    """The enrolments the person is part of: their own, their reports', their tutees'."""
    found = access.my_enrolments(request.actor)
    return _list_page(request, found, "apprenticeships/enrolments/my_list.html", {})


def _schedule(enrolment: Enrolment) -> list | None:
    try:
        from .. import payments
    except ImportError:
        return None
    rows = getattr(payments, "schedule_rows", None)
    return rows(enrolment) if rows else None


def _decision(enrolment: Enrolment):
    try:
        return enrolments.decide(enrolment)
    except ValidationError:
        return None


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One enrolment: programme, dates, status and history, funding in plain words, the
    eligibility facts only for those who may see them, off-the-job plan, payments, statements."""
    actor = request.actor
    enrolment = access.get_enrolment_for(actor, pk)
    statements = [
        (statement, link("apprenticeships:statement", statement.pk))
        for statement in enrolment.commitment_statements.order_by("-version").prefetch_related(
            "signatures"
        )
    ]
    context = {
        "enrolment": enrolment,
        "history": enrolment.history.select_related("changed_by").order_by("changed_at", "id"),
        "moves": enrolment.employer_changes.select_related("previous_employer", "new_employer"),
        "decision": _decision(enrolment),
        "may_see_eligibility": access.may_see_eligibility(actor, enrolment),
        "may_manage": access.may_manage_enrolment(actor, enrolment),
        "statuses": enrolments.allowed_statuses(enrolment),
        "finished": enrolment.status in enrolments.FINISHED,
        "schedule": _schedule(enrolment),
        "statements": statements,
        "cohort_link": link("apprenticeships:cohort", enrolment.cohort_id),
        "programme_link": link("apprenticeships:programme", enrolment.cohort.programme_id),
    }
    return render(request, "apprenticeships/enrolments/detail.html", context)


def _form_page(request, enrolment, form, title: str, button: str) -> HttpResponse:
    context = {"form": form, "enrolment": enrolment, "title": title, "button": button}
    return render(request, "apprenticeships/enrolments/form.html", context)


def _done(request: HttpRequest, enrolment: Enrolment, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("apprenticeships:enrolment", pk=enrolment.pk)


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol a member of the acting organisation's staff on the cohort (its L&D lead)."""
    actor = request.actor
    cohort = access.get_cohort_for(actor, pk)
    if not access.may_enrol_on(actor, cohort):
        raise PermissionDenied
    initial = {"start_on": cohort.starts_on, "planned_end_on": cohort.ends_on}
    form = EnrolForm(posted(request), cohort=cohort, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            employment = enrolments.find_apprentice(actor, data["apprentice_email"])
            manager = None
            if data["line_manager_email"]:
                manager = enrolments.find_staff_at(
                    actor.organisation, data["line_manager_email"], "line_manager_email"
                ).person
            tutor = _tutor(cohort.programme, data["practice_tutor"])
            account = None
            if data.get("use_levy_account"):
                account = enrolments.employer_account(actor.organisation)
            transfer = None
            if data["transfer_from"]:
                transfer = (
                    enrolments.transfer_accounts(actor, actor.organisation)
                    .filter(pk=data["transfer_from"])
                    .first()
                )
            made = enrolments.enrol(
                actor=actor,
                cohort=cohort,
                employment=employment,
                line_manager=manager,
                practice_tutor=tutor,
                start_on=data["start_on"],
                planned_end_on=data["planned_end_on"],
                price=data["price"],
                hours_per_week=data["hours_per_week"],
                date_of_birth=data["date_of_birth"],
                care_leaver=data["care_leaver"],
                ehc_plan=data["ehc_plan"],
                levy_account=account,
                transfer_from=transfer,
                prior_learning_hours=data["prior_learning_hours"] or 0,
                prior_learning_note=data["prior_learning_note"],
            )
        except ValidationError as error:
            show_refusal(form, error, field_for={"start": "start_on"})
        else:
            return _done(
                request, made, f"Enrolled: the commitment statement {made.reference} is ready"
            )
    context = {"form": form, "cohort": cohort, "cohort_link": link("apprenticeships:cohort", pk)}
    return render(request, "apprenticeships/enrolments/enrol.html", context)


def _tutor(programme, chosen: str):
    """The chosen practice tutor, among those the programme names (None when none is chosen)."""
    if not chosen.isdigit():
        return None
    named = access.named_tutors(programme).filter(person_id=int(chosen)).select_related("person")
    found = named.first()
    return found.person if found else None


@require_http_methods(["GET", "POST"])
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the enrolment on: a break, a return, withdrawal, gateway, EPA or completion."""
    actor = request.actor
    enrolment = access.get_managed_enrolment(actor, pk)
    form = StatusForm(posted(request), enrolment=enrolment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enrolments.change_status(
                actor=actor,
                enrolment=enrolment,
                status=data["status"],
                effective_on=data["effective_on"],
                reason=data["reason"],
                planned_end_on=data["planned_end_on"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            return _done(request, enrolment, "Status changed")
    return _form_page(request, enrolment, form, "Change the status", "Change status")


@require_http_methods(["GET", "POST"])
def change_employer(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the apprentice's move to a partner organisation: the enrolment continues."""
    actor = request.actor
    enrolment = access.get_managed_enrolment(actor, pk)
    form = EmployerChangeForm(posted(request), enrolment=enrolment, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = partner_organisations(actor).get(pk=data["new_employer"])
            employment = enrolments.find_staff_at(
                organisation, data["new_employer_email"], "new_employer_email"
            )
            enrolments.change_employer(
                actor=actor,
                enrolment=enrolment,
                new_employment=employment,
                effective_on=data["effective_on"],
                reason=data["reason"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            return _done(request, enrolment, "Employer changed: a new statement is ready")
    return _form_page(request, enrolment, form, "Change of employer", "Record the move")


@require_http_methods(["GET", "POST"])
def off_the_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the planned off-the-job hours or the recognised prior learning."""
    actor = request.actor
    enrolment = access.get_managed_enrolment(actor, pk)
    initial = {
        "planned_hours": enrolment.planned_off_the_job_hours,
        "prior_learning_hours": enrolment.prior_learning_hours,
        "prior_learning_note": enrolment.prior_learning_note,
    }
    form = OffTheJobForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enrolments.plan_off_the_job(
                actor=actor,
                enrolment=enrolment,
                planned_hours=data["planned_hours"],
                prior_learning_hours=data["prior_learning_hours"] or 0,
                prior_learning_note=data["prior_learning_note"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            return _done(request, enrolment, "Off-the-job plan changed")
    return _form_page(request, enrolment, form, "Off-the-job plan", "Save the plan")


@require_http_methods(["GET", "POST"])
def change_terms(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the price, planned end, hours, tutor or line manager (a new statement version)."""
    actor = request.actor
    enrolment = access.get_managed_enrolment(actor, pk)
    initial = {
        "price": enrolment.price,
        "planned_end_on": enrolment.planned_end_on,
        "hours_per_week": enrolment.hours_per_week,
        "practice_tutor": str(enrolment.practice_tutor_id or ""),
        "line_manager_email": _work_email(enrolment),
    }
    form = TermsForm(posted(request), enrolment=enrolment, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            manager = None
            if data["line_manager_email"]:
                manager = enrolments.find_staff_at(
                    enrolment.employer, data["line_manager_email"], "line_manager_email"
                ).person
            enrolments.edit_terms(
                actor=actor,
                enrolment=enrolment,
                price=data["price"],
                planned_end_on=data["planned_end_on"],
                hours_per_week=data["hours_per_week"],
                practice_tutor=_tutor(enrolment.cohort.programme, data["practice_tutor"]),
                line_manager=manager,
                reason=data["reason"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            return _done(request, enrolment, "Terms changed: a new commitment statement is ready")
    return _form_page(request, enrolment, form, "Change the terms", "Save the terms")


def _work_email(enrolment: Enrolment) -> str:
    if enrolment.line_manager is None:
        return ""
    job = (
        enrolment.line_manager.employments.current()
        .filter(organisation=enrolment.employer)
        .exclude(work_email="")
        .first()
    )
    return job.work_email if job else enrolment.line_manager.email
