"""Organisation admin pages: people, employments, roles, the grade table and the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.lib.keyset import KeysetPage, keyset_page

from .. import access, services
from ..forms import (
    AddPersonForm,
    ChangeJobForm,
    ConfirmForm,
    GradeForm,
    GrantRoleForm,
    LeaverForm,
)
from ..models import AuditEvent, Grade, Invitation, Organisation, OrganisationRole

PAGE_SIZE = 50
STAFF_ORDER = ("person__family_name", "person__given_name", "id")
AUDIT_ORDER = ("-at", "-id")


def base_url(request: HttpRequest) -> str:
    """Scheme and host, so e-mailed links are absolute."""
    return request.build_absolute_uri("/")[:-1]


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data on a POST (even an empty one), so the form is bound; None on a GET."""
    return request.POST if request.method == "POST" else None


def show_refusal(
    form: Form, error: ValidationError, *, field_for: Mapping[str, str] | None = None
) -> None:
    """Put a service's refusal on the form: on its field when the form has one, else at the top;
    `field_for` names the form field of a service field the form spells differently."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        name = (field_for or {}).get(field, field)
        form.add_error(name if name in form.fields else None, errors)


def page_links(request: HttpRequest, page: KeysetPage) -> dict[str, str]:
    """Previous and next links that keep the page's other query parameters."""
    kept = {key: value for key, value in request.GET.items() if key not in ("after", "before")}
    links = {}
    if page.previous_cursor:
        links["previous"] = "?" + urlencode({**kept, "before": page.previous_cursor})
    if page.next_cursor:
        links["next"] = "?" + urlencode({**kept, "after": page.next_cursor})
    return links


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    action: str
    changes: str


def audit_page(request: HttpRequest, events: QuerySet[AuditEvent]) -> dict:
    """One keyset page of audit events, newest first, ready for `_audit_table.html`."""
    page = keyset_page(
        events.select_related("actor", "acting_for"),
        AUDIT_ORDER,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    rows = [
        AuditRow(
            event=event,
            action=event.action.replace(".", " ").replace("_", " ").capitalize(),
            changes=", ".join(f"{key}: {value}" for key, value in sorted(event.changes.items())),
        )
        for event in page.items
    ]
    return {"rows": rows, "links": page_links(request, page)}


@require_GET
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation admin's starting page."""
    organisation = access.get_administered_organisation(request.actor, pk)
    context = {
        "organisation": organisation,
        "staff_count": access.current_staff(organisation).count(),
        "leaver_count": access.leavers_of(organisation).count(),
    }
    return render(request, "partnership/manage/overview.html", context)


@require_GET
def people(request: HttpRequest, pk: int) -> HttpResponse:
    """Current staff, or leavers, one keyset page at a time, optionally searched."""
    organisation = access.get_administered_organisation(request.actor, pk)
    showing_leavers = request.GET.get("show") == "leavers"
    employments = (
        access.leavers_of(organisation) if showing_leavers else access.current_staff(organisation)
    )
    query = request.GET.get("q", "").strip()[:100]
    for word in query.split()[:5]:
        employments = employments.filter(
            Q(person__given_name__icontains=word)
            | Q(person__family_name__icontains=word)
            | Q(employee_number__iexact=word)
            | Q(work_email__iexact=word)
        )
    page = keyset_page(
        employments.select_related("person", "grade"),
        STAFF_ORDER,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    context = {
        "organisation": organisation,
        "employments": page.items,
        "links": page_links(request, page),
        "showing_leavers": showing_leavers,
        "query": query,
    }
    return render(request, "partnership/manage/people.html", context)


@require_http_methods(["GET", "POST"])
def add_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Add someone new, or invite someone who already has an account."""
    organisation = access.get_administered_organisation(request.actor, pk)
    form = AddPersonForm(posted(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_person(
                actor=request.actor, base_url=base_url(request), **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            if isinstance(added, Invitation):
                messages.success(
                    request,
                    f"{added.email} already has a Joined Up account. We have emailed them an "
                    "invitation; the job is added to their history when they accept it.",
                )
                return redirect("partnership:manage-people", pk=organisation.pk)
            messages.success(
                request,
                f"{added.person.full_name} has been added. We have emailed them a link to choose "
                "a password.",
            )
            return redirect("partnership:employment", pk=added.pk)
    return render(
        request, "partnership/manage/add_person.html", {"organisation": organisation, "form": form}
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The signed-in person sees what they are invited to and accepts it."""
    invitation = access.get_invitation_for(request.actor, token)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            employment = services.accept_invitation(person=request.actor.person, raw_token=token)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            when = "now" if employment.is_current() else f"from {employment.start_date:%-d %B %Y}"
            messages.success(
                request,
                f"You work at {invitation.organisation} too. You can choose it under "
                f"‘Act for’ {when} to work on its behalf.",
            )
            return redirect("partnership:home")
    return render(
        request,
        "partnership/manage/accept_invitation.html",
        {"invitation": invitation, "form": form},
    )


@require_GET
def employment(request: HttpRequest, pk: int) -> HttpResponse:
    """One employment as its organisation's admin sees it, with the actions they can take."""
    employment = access.get_managed_employment(request.actor, pk)
    return render(
        request,
        "partnership/manage/employment.html",
        {"employment": employment, "organisation": employment.organisation},
    )


@require_http_methods(["GET", "POST"])
def change_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A new job at the same organisation: the current employment ends, a new one starts."""
    employment = access.get_managed_employment(request.actor, pk)
    form = ChangeJobForm(posted(request), employment=employment)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.change_job(
                actor=request.actor, employment=employment, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{employment.person.full_name}'s new job has been recorded.")
            return redirect("partnership:employment", pk=new.pk)
    return render(
        request,
        "partnership/manage/change_job.html",
        {"employment": employment, "organisation": employment.organisation, "form": form},
    )


@require_http_methods(["GET", "POST"])
def record_leaver(request: HttpRequest, pk: int) -> HttpResponse:
    """End an employment with its leaving date, reason and destination."""
    employment = access.get_managed_employment(request.actor, pk)
    partners = access.partner_organisations(request.actor).exclude(pk=employment.organisation_id)
    form = LeaverForm(posted(request), partners=partners)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_leaver(actor=request.actor, employment=employment, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, f"{employment.person.full_name} has been recorded as leaving."
            )
            return redirect("partnership:employment", pk=employment.pk)
    return render(
        request,
        "partnership/manage/record_leaver.html",
        {"employment": employment, "organisation": employment.organisation, "form": form},
    )


@require_GET
def roles(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone holding a role at the organisation."""
    organisation = access.get_administered_organisation(request.actor, pk)
    grants = organisation.role_grants.select_related("person").order_by(
        "role", "person__family_name", "person__given_name", "id"
    )
    return render(
        request, "partnership/manage/roles.html", {"organisation": organisation, "grants": grants}
    )


@require_http_methods(["GET", "POST"])
def grant_role(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a role at the organisation to one of its current staff."""
    organisation = access.get_administered_organisation(request.actor, pk)
    form = GrantRoleForm(posted(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        person, role = form.cleaned_data["email"], form.cleaned_data["role"]
        try:
            services.grant_organisation_role(actor=request.actor, person=person, role=role)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            label = OrganisationRole(role).label
            messages.success(request, f"{person.full_name} is now {label.lower()}.")
            return redirect("partnership:manage-roles", pk=organisation.pk)
    return render(
        request, "partnership/manage/grant_role.html", {"organisation": organisation, "form": form}
    )


@require_http_methods(["GET", "POST"])
def remove_role(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    """Confirm, then remove a role; the organisation keeps at least one admin."""
    organisation = access.get_administered_organisation(request.actor, pk)
    grant = access.get_managed_role_grant(organisation, grant_pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_organisation_role(actor=request.actor, grant=grant)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                f"{grant.person.full_name} is no longer {grant.get_role_display().lower()}.",
            )
            if not access.can_administer(request.actor, organisation):
                return redirect("partnership:home")
            return redirect("partnership:manage-roles", pk=organisation.pk)
    return render(
        request,
        "partnership/manage/remove_role.html",
        {"organisation": organisation, "grant": grant, "form": form},
    )


@require_GET
def grades(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's grade table."""
    organisation = access.get_administered_organisation(request.actor, pk)
    return render(
        request,
        "partnership/manage/grades.html",
        {"organisation": organisation, "grades": organisation.grades.all()},
    )


@require_http_methods(["GET", "POST"])
def add_grade(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a row to the grade table."""
    organisation = access.get_administered_organisation(request.actor, pk)
    return _save_grade(request, organisation, grade=None)


@require_http_methods(["GET", "POST"])
def edit_grade(request: HttpRequest, pk: int, grade_pk: int) -> HttpResponse:
    """Change a row of the grade table; employments on that grade take its new seniority."""
    organisation = access.get_administered_organisation(request.actor, pk)
    grade = access.get_managed_grade(organisation, grade_pk)
    return _save_grade(request, organisation, grade=grade)


def _save_grade(
    request: HttpRequest, organisation: Organisation, *, grade: Grade | None
) -> HttpResponse:
    initial = {"name": grade.name, "seniority": grade.seniority} if grade else None
    form = GradeForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_grade(actor=request.actor, grade=grade, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Grade {saved.name} has been saved.")
            return redirect("partnership:manage-grades", pk=organisation.pk)
    return render(
        request,
        "partnership/manage/grade_form.html",
        {"organisation": organisation, "grade": grade, "form": form},
    )


@require_GET
def audit_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's audit log, newest first."""
    organisation = access.get_administered_organisation(request.actor, pk)
    events = access.audit_events_for(request.actor).filter(organisation=organisation)
    context = {"organisation": organisation, **audit_page(request, events)}
    return render(request, "partnership/manage/audit.html", context)
