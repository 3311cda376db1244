"""After a run: the host's registers, outcomes and evaluation results; the learner's completion,
certificate and evaluation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, attendance, certificates
from ..forms import ConfirmForm, EvaluationForm, OutcomesForm, RegisterForm
from ..models import Outcome


@require_GET
def run_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The host's overview of a run's sessions: each register and how much of it is kept."""
    run = access.get_hosted_run(request.actor, pk)
    context = {
        "run": run,
        "sessions": attendance.run_sessions(run),
        "people": attendance.register(run).count(),
        "outcomes_open": attendance.may_record_outcomes(run),
    }
    return render(request, "learning/attendance.html", context)


@require_http_methods(["GET", "POST"])
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    """The register of one session: present or absent for each person with a confirmed place."""
    session = access.get_hosted_session(request.actor, pk)
    run = session.run
    people, marks = attendance.session_register(session)
    form = RegisterForm(posted(request), people=people, marks=marks)
    if request.method == "POST" and form.is_valid():
        try:
            attendance.record_attendance(actor=request.actor, session=session, present=form.marks())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Attendance at the session on {session} is saved.")
            return redirect("learning:run-attendance", pk=run.pk)
    context = {
        "run": run,
        "session": session,
        "form": form,
        "started": attendance.has_started(session),
    }
    return render(request, "learning/register.html", context)


def _hint(row: attendance.OutcomeRow, self_paced: bool) -> str:
    """What the host knows about the person: the register's count, or their word on completion."""
    booking = row.booking
    if self_paced:
        if booking.completion_reported_at:
            said = timezone.localdate(booking.completion_reported_at)
            return f"Said they completed it on {said:%-d %B %Y}"
        return "Has not said they completed it"
    where = booking.organisation.name
    if not row.recorded:
        return f"{where}. No attendance recorded"
    return f"{where}. Present at {row.present} of {row.recorded} sessions recorded"


@require_http_methods(["GET", "POST"])
def record_outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    """The outcome of each confirmed place: completed, attended but not completed, or no-show."""
    run = access.get_hosted_run(request.actor, pk)
    rows = attendance.outcome_rows(run)
    self_paced = attendance.is_self_paced(run)
    form = OutcomesForm(posted(request), rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            changed = attendance.record_outcomes(
                actor=request.actor, run=run, outcomes=form.outcomes()
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Outcomes saved: {len(changed)} changed.")
            return redirect("learning:run-attendance", pk=run.pk)
    context = {
        "run": run,
        "rows": [(form[f"outcome_{row.booking.pk}"], _hint(row, self_paced)) for row in rows],
        "form": form,
        "open": attendance.may_record_outcomes(run),
    }
    return render(request, "learning/outcomes.html", context)


@require_http_methods(["GET", "POST"])
def report_completion(request: HttpRequest, pk: int) -> HttpResponse:
    """The learner on a self-paced run says "I have completed this"."""
    booking = access.get_booking_for(request.actor, pk)
    if not access.is_own_booking(request.actor, booking):
        raise PermissionDenied
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            attendance.report_completion(actor=request.actor, booking=booking)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Thank you: the host will confirm your completion.")
            return redirect("learning:my-learning")
    context = {
        "booking": booking,
        "form": form,
        "title": "I have completed this",
        "button": "Confirm I have completed it",
    }
    return render(request, "learning/booking_confirm.html", context)


@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The completer's certificate of completion, as a PDF download."""
    booking = access.get_booking_for(request.actor, pk)
    if not access.may_get_certificate(request.actor, booking):
        raise PermissionDenied
    if booking.outcome != Outcome.COMPLETED:
        raise Http404("No certificate for this booking")
    response = HttpResponse(certificates.certificate_pdf(booking), content_type="application/pdf")
    name = f"certificate-{certificates.reference(booking)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendee's evaluation of the run, once, after it."""
    booking = access.get_booking_for(request.actor, pk)
    if not access.is_own_booking(request.actor, booking):
        raise PermissionDenied
    if hasattr(booking, "evaluation"):
        messages.info(request, "You have already evaluated this course. Thank you.")
        return redirect("learning:my-learning")
    if not attendance.may_be_evaluated(booking):
        raise Http404("Nothing to evaluate")
    form = EvaluationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            attendance.submit_evaluation(
                actor=request.actor,
                booking=booking,
                ratings={field: data[field] for field, _ in attendance.QUESTIONS},
                went_well=data["went_well"],
                to_improve=data["to_improve"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Thank you for evaluating this course.")
            return redirect("learning:my-learning")
    ratings = [form[field] for field, _ in attendance.QUESTIONS]
    context = {"booking": booking, "form": form, "ratings": ratings}
    return render(request, "learning/evaluate.html", context)


@require_GET
def evaluations(request: HttpRequest, pk: int) -> HttpResponse:
    """The host's results of a run's evaluations: counts, averages, distributions and words."""
    run = access.get_hosted_run(request.actor, pk)
    context = {"run": run, "results": attendance.evaluation_results(run)}
    return render(request, "learning/evaluations.html", context)
