"""Assignment pages: an enrolment's assignments with their deadlines, attempts, grades and feedback;
submitting an attempt; one attempt (with its file) and marking it; the deadline dashboard of
practice tutors and programme leaders. Everything is fetched through `access`; every change goes
through `submissions`; "today" is `submissions.today_in_london()`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.lib.keyset import KeysetPage
from joinedup.lib.uploads import attachment_response
from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, deadline_dashboard, submissions
from ..assignment_forms import MarkForm, SubmitForm
from ..models import Submission


@require_GET
def assignments(request: HttpRequest, pk: int) -> HttpResponse:
    """Each assignment of the programme with the cohort's deadline and every attempt."""
    actor = request.actor
    enrolment = access.get_enrolment_for(actor, pk)
    today = submissions.today_in_london()
    programme = submissions.assignments_of(enrolment, today=today)
    context = {
        "enrolment": enrolment,
        "rows": programme.rows,
        "results": programme.results,
        "today": today,
        "may_submit": access.may_submit(actor, enrolment),
        "may_mark": access.may_mark(actor, enrolment),
        "states": submissions.FEEDBACK_STATES,
    }
    return render(request, "apprenticeships/assignments/list.html", context)


def _chosen(request: HttpRequest) -> int | None:
    value = request.GET.get("assignment", "")
    return int(value) if value.isdigit() and len(value) < 18 else None


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The apprentice submits an attempt (text, a file or both) before the cohort's deadline."""
    actor = request.actor
    enrolment = access.get_enrolment_to_submit(actor, pk)
    today = submissions.today_in_london()
    rows = submissions.assignment_rows(enrolment, today=today)
    choices = [(row.assignment.pk, f"{row.module.order}. {row.assignment.title}") for row in rows]
    form = SubmitForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        assignments=choices,
        initial={"assignment": _chosen(request)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = next(
            (row.assignment for row in rows if row.assignment.pk == data["assignment"]), None
        )
        try:
            made = submissions.submit(
                actor=actor,
                enrolment=enrolment,
                assignment=chosen,
                text=data["text"],
                upload=data["file"],
                today=today,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                f"Submitted attempt {made.attempt} at {chosen.title}. Feedback is due by the end "
                f"of {submissions.day_text(made.feedback_due_on)}",
            )
            return redirect("apprenticeships:submission", pk=made.pk)
    context = {"enrolment": enrolment, "form": form, "rows": rows}
    return render(request, "apprenticeships/assignments/submit.html", context)


def _submission_page(
    request: HttpRequest, submission: Submission, form: MarkForm | None = None
) -> HttpResponse:
    actor = request.actor
    enrolment = submission.enrolment
    today = submissions.today_in_london()
    may_mark = access.may_mark(actor, enrolment)
    context = {
        "submission": submission,
        "enrolment": enrolment,
        "assignment": submission.assignment,
        "today": today,
        "state": submissions.feedback_state(submission, today),
        "states": submissions.FEEDBACK_STATES,
        "late": submissions.feedback_is_late(submission, today),
        "may_mark": may_mark and submission.marked_on is None,
        "form": form if form is not None else MarkForm(),
    }
    return render(request, "apprenticeships/assignments/submission.html", context)


@require_GET
def submission(request: HttpRequest, pk: int) -> HttpResponse:
    """One attempt: what was submitted, when feedback is due, and the grade and feedback."""
    return _submission_page(request, access.get_submission_for(request.actor, pk))


@require_GET
def submission_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The attempt's file, for whoever sees the attempt."""
    found = access.get_submission_for(request.actor, pk)
    if not found.storage_name:
        raise Http404("This attempt has no file")
    try:
        return attachment_response(
            found.storage_name, file_name=found.file_name, content_type=found.content_type
        )
    except (FileNotFoundError, ValueError):
        raise Http404("This file is missing") from None


@require_http_methods(["GET", "POST"])
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    """The practice tutor or a programme leader grades the attempt and gives feedback, once."""
    actor = request.actor
    found = access.get_submission_to_mark(actor, pk)
    form = MarkForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            submissions.mark(
                actor=actor,
                submission=found,
                grade=form.cleaned_data["grade"],
                feedback=form.cleaned_data["feedback"],
                today=submissions.today_in_london(),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, f"Marked attempt {found.attempt}: {found.get_grade_display().lower()}"
            )
            return redirect("apprenticeships:submission", pk=found.pk)
    return _submission_page(request, found, form)


SECTIONS = ("overdue", "soon", "submissions")


def _links(request: HttpRequest, name: str, page: KeysetPage) -> dict[str, str]:
    """Previous and next links of one section, keeping the other sections' cursors."""
    kept = {
        key: value
        for key, value in request.GET.items()
        if key not in (f"{name}_after", f"{name}_before")
    }
    links = {}
    if page.previous_cursor:
        links["previous"] = "?" + urlencode({**kept, f"{name}_before": page.previous_cursor})
    if page.next_cursor:
        links["next"] = "?" + urlencode({**kept, f"{name}_after": page.next_cursor})
    return links


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Feedback overdue and due soon, and submissions due soon, for tutors and leaders."""
    actor = request.actor
    if not access.may_see_deadlines(actor):
        raise PermissionDenied
    cursors = {
        name: (request.GET.get(f"{name}_after"), request.GET.get(f"{name}_before"))
        for name in SECTIONS
    }
    found = deadline_dashboard.dashboard(actor, submissions.today_in_london(), cursors=cursors)
    context = {
        "dashboard": found,
        "overdue_links": _links(request, "overdue", found.overdue),
        "soon_links": _links(request, "soon", found.due_soon),
        "submissions_links": _links(request, "submissions", found.submissions_soon),
    }
    return render(request, "apprenticeships/assignments/dashboard.html", context)
