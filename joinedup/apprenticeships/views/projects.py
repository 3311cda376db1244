"""Workplace project pages: the project with its 12-week plan and the actions of each role;
proposing (and changing the proposal while it awaits approval), approving the scope, marking a
milestone done, submitting, the sponsor's sign-off, and the submitted file. Everything is fetched
through `access`; every change goes through `projects`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.lib import uploads
from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, projects
from ..models import Enrolment, EnrolmentStatus, ProjectState, WorkplaceProject
from ..project_forms import ProposeForm, SignOffForm, SubmitForm


def _back(enrolment: Enrolment) -> HttpResponse:
    return redirect("apprenticeships:project", pk=enrolment.pk)


def _refused(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@require_GET
def page(request: HttpRequest, pk: int) -> HttpResponse:
    """The project: title, sponsor, state, scope, the plan's milestones and each role's actions."""
    actor = request.actor
    enrolment, project = access.get_project_page_for(actor, pk)
    state = project.state if project else None
    active = enrolment.status == EnrolmentStatus.ACTIVE
    apprentice = access.may_propose_project(actor, enrolment)
    context = {
        "enrolment": enrolment,
        "project": project,
        "milestones": list(project.milestones.all()) if project else [],
        "sponsor": project.sponsor if project else None,
        "approved_by": project.scope_approved_by if project else None,
        "sees_enrolment": access.visible_enrolments(actor).filter(pk=enrolment.pk).exists(),
        "may_propose": active and apprentice and state in (None, ProjectState.PROPOSED),
        "may_approve": active
        and state == ProjectState.PROPOSED
        and access.may_approve_project(actor, enrolment),
        "may_mark": active and apprentice and state == ProjectState.APPROVED,
        "may_submit": active and apprentice and state == ProjectState.APPROVED,
        "may_sign_off": active
        and state == ProjectState.SUBMITTED
        and access.may_sign_off_project(actor, project),
    }
    return render(request, "apprenticeships/projects/page.html", context)


def _initial(project: WorkplaceProject | None) -> dict:
    if project is None:
        return {}
    initial = {
        "title": project.title,
        "scope": project.scope,
        "starts_on": project.starts_on,
        "sponsor_email": _work_email(project),
    }
    for milestone in project.milestones.all():
        initial.setdefault(f"week_{milestone.week}", milestone.title)
    return initial


def _work_email(project: WorkplaceProject) -> str:
    job = (
        project.sponsor.employments.current()
        .filter(organisation=project.enrolment.employer_id)
        .exclude(work_email="")
        .first()
    )
    return job.work_email if job else project.sponsor.email


@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    """The apprentice proposes their project, or changes it while the scope awaits approval."""
    actor = request.actor
    enrolment, project = access.get_project_page_for(actor, pk)
    if not access.may_propose_project(actor, enrolment):
        raise PermissionDenied
    if project is not None and project.state != ProjectState.PROPOSED:
        messages.info(request, "The scope has been approved: the proposal no longer changes")
        return _back(enrolment)
    form = ProposeForm(posted(request), initial=_initial(project))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sponsor = projects.find_sponsor(enrolment, data["sponsor_email"])
            projects.propose(
                actor=actor,
                enrolment=enrolment,
                title=data["title"],
                scope=data["scope"],
                sponsor=sponsor,
                starts_on=data["starts_on"],
                milestones=form.milestones(),
            )
        except ValidationError as error:
            show_refusal(form, error, field_for={"milestones": "week_1"})
        else:
            done = "Proposal changed" if project else "Project proposed"
            messages.success(request, f"{done}: the practice tutor approves the scope next")
            return _back(enrolment)
    context = {"form": form, "enrolment": enrolment, "project": project}
    return render(request, "apprenticeships/projects/propose.html", context)


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The practice tutor or a provider's programme leader approves the scope."""
    actor = request.actor
    enrolment, project = access.get_project_page_for(actor, pk)
    if project is None:
        raise Http404("No project proposed yet")
    if not access.may_approve_project(actor, enrolment):
        raise PermissionDenied
    try:
        projects.approve(actor=actor, project=project)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, "Scope approved")
    return _back(enrolment)


@require_POST
def milestone_done(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    """The apprentice marks one milestone of their approved project done today."""
    actor = request.actor
    enrolment, project = access.get_project_page_for(actor, pk)
    if project is None:
        raise Http404("No project proposed yet")
    if not access.may_propose_project(actor, enrolment):
        raise PermissionDenied
    try:
        milestone = projects.mark_done(actor=actor, project=project, milestone_id=milestone_pk)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, f"Week {milestone.week} done: {milestone.title}")
    return _back(enrolment)


def _form_page(request, enrolment, project, form, title: str, button: str) -> HttpResponse:
    context = {
        "form": form,
        "enrolment": enrolment,
        "project": project,
        "title": title,
        "button": button,
    }
    return render(request, "apprenticeships/projects/form.html", context)


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The apprentice submits the approved project: a summary and optionally the file."""
    actor = request.actor
    enrolment, project = access.get_project_page_for(actor, pk)
    if project is None:
        raise Http404("No project proposed yet")
    if not access.may_propose_project(actor, enrolment):
        raise PermissionDenied
    form = SubmitForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            projects.submit(
                actor=actor,
                project=project,
                summary=form.cleaned_data["summary"],
                upload=form.cleaned_data.get("file"),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Project submitted: the sponsor signs it off next")
            return _back(enrolment)
    return _form_page(request, enrolment, project, form, "Submit the project", "Submit")


@require_http_methods(["GET", "POST"])
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    """The sponsor signs off the submitted project with a comment."""
    actor = request.actor
    enrolment, project = access.get_project_page_for(actor, pk)
    if project is None:
        raise Http404("No project proposed yet")
    if not access.may_sign_off_project(actor, project):
        raise PermissionDenied
    form = SignOffForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            projects.sign_off(actor=actor, project=project, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Project signed off")
            return _back(enrolment)
    return _form_page(request, enrolment, project, form, "Sign off the project", "Sign it off")


@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The submitted proposal's file, for whoever sees the project page."""
    _enrolment, project = access.get_project_page_for(request.actor, pk)
    if project is None or not project.storage_name:
        raise Http404("No file submitted")
    try:
        return uploads.attachment_response(
            project.storage_name, file_name=project.file_name, content_type=project.content_type
        )
    except FileNotFoundError as error:
        raise Http404("The file has gone") from error
