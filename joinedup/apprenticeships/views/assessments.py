"""End-point assessment pages: an enrolment's attempts, booking one (with a new external assessor
account if need be), one booking as its assessor sees it, the assessor's own list and the results
form. Everything is fetched through `access`; every change goes through `assessments`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, assessments
from ..assessment_forms import BookForm, ResultsForm
from ..models import EndPointAssessment, Enrolment, WorkplaceProject

MY_LIMIT = 200


def _project_title(enrolment: Enrolment) -> str:
    """The workplace project's title (what the assessor needs), or an empty string."""
    found = WorkplaceProject.objects.filter(enrolment=enrolment).values_list("title", flat=True)
    return found.first() or ""


@require_GET
def enrolment_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The enrolment's attempts and results, for whoever sees the enrolment."""
    actor = request.actor
    enrolment = access.get_enrolment_for(actor, pk)
    context = {
        "enrolment": enrolment,
        "attempts": access.enrolment_assessments(actor, enrolment),
        "may_book": access.may_book_assessment(actor, enrolment),
    }
    return render(request, "apprenticeships/assessments/enrolment.html", context)


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider's programme leader books the next attempt (or a resit)."""
    actor = request.actor
    enrolment = access.get_bookable_enrolment(actor, pk)
    form = BookForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # A new external assessor's account stays only if the booking is made.
            with transaction.atomic():
                booked = assessments.book(
                    actor=actor,
                    enrolment=enrolment,
                    assessor=_assessor(actor, data),
                    assessment_organisation=data["assessment_organisation"],
                    assessment_on=data["assessment_on"],
                )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, f"Attempt {booked.attempt} booked with {booked.assessor.full_name}"
            )
            return redirect("apprenticeships:enrolment_assessments", pk=enrolment.pk)
    context = {"form": form, "enrolment": enrolment}
    return render(request, "apprenticeships/assessments/book.html", context)


def _assessor(actor, data: dict):
    """The chosen assessor: an account with this e-mail, or a new external assessor account."""
    if data["new_external"]:
        return assessments.add_external_assessor(
            actor=actor,
            email=data["assessor_email"],
            given_name=data["given_name"],
            family_name=data["family_name"],
        )
    person = assessments.find_person(data["assessor_email"])
    if person is None:
        raise ValidationError(
            {
                "assessor_email": "No one has an account with this email address: tick "
                "'new external assessor' and give their name to make one"
            }
        )
    return person


def _booking_context(actor, assessment: EndPointAssessment) -> dict:
    enrolment = assessment.enrolment
    return {
        "assessment": assessment,
        "enrolment": enrolment,
        "project_title": _project_title(enrolment),
        "is_assessor": access.is_assessor_of(actor, assessment),
        "may_record": access.is_assessor_of(actor, assessment)
        and not assessment.overall_grade
        and assessment.assessment_on <= timezone.localdate(),
    }


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One booking: what the assessor needs (apprentice, programme, standard, date, project
    title) and the results; seen by its assessor and whoever sees the enrolment."""
    assessment = access.get_assessment_for(request.actor, pk)
    context = _booking_context(request.actor, assessment)
    return render(request, "apprenticeships/assessments/detail.html", context)


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The assessments the signed-in person is booked to assess, soonest first."""
    found = (
        access.my_assessments(request.actor)
        .select_related("enrolment__apprentice", "enrolment__cohort__programme__standard")
        .order_by("assessment_on", "id")[:MY_LIMIT]
    )
    return render(request, "apprenticeships/assessments/mine.html", {"assessments": found})


@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """The booked assessor records each method's result and the overall grade, once."""
    actor = request.actor
    assessment = access.get_assessment_to_record(actor, pk)
    form = ResultsForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessments.record_results(
                actor=actor,
                assessment=assessment,
                presentation_result=data["presentation_result"],
                discussion_result=data["discussion_result"],
                overall_grade=data["overall_grade"],
                note=data["result_note"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Results recorded")
            return redirect("apprenticeships:assessment", pk=assessment.pk)
    context = {**_booking_context(actor, assessment), "form": form}
    return render(request, "apprenticeships/assessments/record.html", context)
