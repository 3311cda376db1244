"""A line manager's pages (approvals, my team, booking for a report) and the L&D lead's
completions page: thin views over `learning.team` reads and `learning.services` writes.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.partnership.actor import Actor
from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, catalogue, services, team
from ..forms import BookForReportForm, CompletionsFilterForm, DeclineRequestForm
from ..models import BookingStatus


def team_links(actor: Actor) -> dict[str, bool]:
    """Which of these pages the side navigation of the learning pages offers the actor."""
    return {
        "manages_team": access.may_manage_team(actor),
        "sees_completions": access.may_see_completions(actor),
    }


def _manager_only(actor: Actor) -> None:
    if not access.may_manage_team(actor):
        raise PermissionDenied


@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    """The reports' booking requests waiting for the line manager's decision."""
    _manager_only(request.actor)
    return render(request, "learning/approvals.html", {"requests": team.approvals(request.actor)})


APPROVED = {
    BookingStatus.CONFIRMED: "You approved {name}'s booking: their place is confirmed.",
    BookingStatus.WAITING: "You approved {name}'s booking. No place is free to them now, "
    "so they are on the waiting list.",
}


@require_POST
def approve_booking(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a report's request: confirmed if a place is free to them, otherwise waiting."""
    booking = access.get_booking_to_decide(request.actor, pk)
    try:
        services.approve_booking(actor=request.actor, booking=booking)
    except services.BookingRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, APPROVED[booking.status].format(name=booking.person))
    return redirect("learning:approvals")


@require_http_methods(["GET", "POST"])
def decline_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline a report's request, with a reason they will see."""
    booking = access.get_booking_to_decide(request.actor, pk)
    form = DeclineRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_booking(
                actor=request.actor, booking=booking, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        except services.BookingRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"You declined {booking.person}'s booking.")
            return redirect("learning:approvals")
    return render(request, "learning/decline_request.html", {"booking": booking, "form": form})


@require_GET
def my_team(request: HttpRequest) -> HttpResponse:
    """The reports' places, waiting lists and offers, approvals pending, and completions."""
    _manager_only(request.actor)
    return render(request, "learning/my_team.html", {"team": team.team_page(request.actor)})


BOOKED_FOR = {
    BookingStatus.CONFIRMED: "You booked a place for {name}: it is confirmed.",
    BookingStatus.WAITING: "There is no place free to {name} now, so they are on the waiting list.",
}
APPROVAL_GIVEN = " Because you booked it, it counts as your approval."


@require_http_methods(["GET", "POST"])
def book_for_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A line manager books a place on a run for one of their reports."""
    found = access.get_run_for(request.actor, pk)
    _manager_only(request.actor)
    reports = {
        employment.person_id: employment.person for employment in team.reports(request.actor)
    }
    form = BookForReportForm(
        posted(request), reports=[(key, str(person)) for key, person in reports.items()]
    )
    if request.method == "POST" and form.is_valid():
        person = reports[form.cleaned_data["person"]]
        try:
            booking = services.book_place(
                actor=request.actor, run=found, person=person, note=form.cleaned_data["note"]
            )
        except services.BookingRefused as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            show_refusal(form, error)
        else:
            done = BOOKED_FOR[booking.status].format(name=person)
            if booking.approved_by_id is not None:
                done += APPROVAL_GIVEN
            messages.success(request, done)
            return redirect("learning:my-team")
    page = catalogue.run_page(request.actor, found)
    return render(request, "learning/book_for_report.html", {"page": page, "form": form})


@require_GET
def completions(request: HttpRequest) -> HttpResponse:
    """The L&D lead's list of completions by the acting organisation's current staff."""
    if not access.may_see_completions(request.actor):
        raise PermissionDenied
    form = CompletionsFilterForm(request.GET or None)
    dates = form.cleaned_data if form.is_valid() else {}
    found = team.completions(
        request.actor,
        completed_from=dates.get("completed_from"),
        completed_to=dates.get("completed_to"),
    )
    context = {
        "form": form,
        "completions": found,
        "shown": team.COMPLETIONS_PAGE_SIZE,
        "organisation": request.actor.organisation,
    }
    return render(request, "learning/completions.html", context)
