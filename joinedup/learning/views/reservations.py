"""Partners' reserved blocks (reserve, name someone, remove them) and registering interest."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, interest, reservations, services
from ..forms import ConfirmForm, NameIntoBlockForm, ReserveForm


def _refused(form, error: Exception) -> None:
    if isinstance(error, ValidationError):
        show_refusal(form, error)
    else:
        form.add_error(None, str(error))


@require_http_methods(["GET", "POST"])
def reserve(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner's L&D lead reserves a block of places on a run, or changes its size."""
    run = access.get_run_for(request.actor, pk)
    if not access.may_reserve(request.actor, run):
        raise PermissionDenied
    block = reservations.block_for(request.actor, run)
    current = block.reservation
    form = ReserveForm(posted(request), initial={"places": current.places if current else None})
    if request.method == "POST" and form.is_valid():
        places = form.cleaned_data["places"]
        try:
            if current is None:
                reservations.reserve_places(actor=request.actor, run=run, places=places)
            else:
                reservations.resize_reservation(
                    actor=request.actor, reservation=current, places=places
                )
        except (services.BookingRefused, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, f"{request.actor.organisation.name} holds {places} places.")
            return redirect("learning:run", pk=run.pk)
    context = {
        "run": run,
        "reserved": block,
        "form": form,
        "organisation": request.actor.organisation,
    }
    return render(request, "learning/reserve.html", context)


@require_http_methods(["GET", "POST"])
def name_into_reservation(request: HttpRequest, pk: int) -> HttpResponse:
    """The partner's L&D lead names one of their current staff into the block."""
    reservation = access.get_reservation_for(request.actor, pk)
    if not access.may_manage_reservation(request.actor, reservation):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:100]
    staff = reservations.nameable_staff(request.actor, reservation, query)
    people = {employment.person_id: employment.person for employment in staff}
    choices = [
        (employment.person_id, f"{employment.person.full_name}, {employment.job_title}")
        for employment in staff
    ]
    form = NameIntoBlockForm(posted(request), staff=choices)
    if request.method == "POST" and form.is_valid():
        person = people[form.cleaned_data["person"]]
        try:
            reservations.name_into_reservation(
                actor=request.actor, reservation=reservation, person=person
            )
        except (services.BookingRefused, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, f"{person.full_name} has a place in your block.")
            return redirect("learning:run", pk=reservation.run_id)
    context = {"reservation": reservation, "run": reservation.run, "form": form, "query": query}
    return render(request, "learning/name_into_reservation.html", context)


@require_http_methods(["GET", "POST"])
def remove_named(request: HttpRequest, pk: int) -> HttpResponse:
    """The partner's L&D lead takes a named person out of the block; the place stays in it."""
    booking = access.get_named_booking_for(request.actor, pk)
    if not access.may_manage_reservation(request.actor, booking.reservation):
        raise PermissionDenied
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_booking(actor=request.actor, booking=booking)
        except (services.BookingRefused, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, f"{booking.person.full_name} is no longer named.")
            return redirect("learning:run", pk=booking.run_id)
    return render(request, "learning/remove_named.html", {"booking": booking, "form": form})


@require_POST
def register_interest(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to be told when the programme gets a new run."""
    programme = access.get_programme_for(request.actor, pk)
    interest.register_interest(actor=request.actor, programme=programme)
    messages.success(request, "We will e-mail you when a new run is added.")
    return redirect("learning:programme", pk=programme.pk)


@require_POST
def withdraw_interest(request: HttpRequest, pk: int) -> HttpResponse:
    """No longer be told when the programme gets a new run."""
    programme = access.get_programme_for(request.actor, pk)
    interest.withdraw_interest(actor=request.actor, programme=programme)
    messages.success(request, "You will not be e-mailed about new runs of this programme.")
    return redirect("learning:programme", pk=programme.pk)
