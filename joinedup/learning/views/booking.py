"""The person-facing learning pages: the catalogue, a programme, a run and booking a place."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.partnership.views.manage import page_links, posted

from .. import access, attendance, catalogue, interest, reservations, services
from ..forms import BookForm, CatalogueFilterForm, ConfirmForm
from ..models import Booking, BookingStatus
from .host import host_links
from .team import team_links

FILTERS = ("q", "kind", "mode", "host", "topic", "date_from", "date_to", "bookable")


@require_GET
def catalogue_list(request: HttpRequest) -> HttpResponse:
    """Programmes the actor may see, searched and filtered, with their upcoming runs."""
    choices = catalogue.filter_choices(request.actor)
    form = CatalogueFilterForm(request.GET, hosts=choices.hosts, topics=choices.topics)
    form.is_valid()
    filters = form.cleaned_data
    page, rows = catalogue.catalogue_page(
        request.actor,
        query=filters.get("q", ""),
        kind=filters.get("kind", ""),
        mode=filters.get("mode", ""),
        host_id=filters.get("host"),
        topic_id=filters.get("topic"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        bookable=filters.get("bookable", False),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    context = {
        "form": form,
        "rows": rows,
        "links": page_links(request, page),
        "filtered": any(filters.get(name) for name in FILTERS) or bool(form.errors),
        **team_links(request.actor),
        **host_links(request.actor),
    }
    return render(request, "learning/catalogue.html", context)


@require_GET
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    """One programme: what it is, who it is for, and its upcoming runs."""
    found = access.get_programme_for(request.actor, pk)
    runs = catalogue.programme_runs(request.actor, found)
    context = {
        "programme": found,
        "topics": list(found.topics.all()),
        "runs": runs,
        "offer_interest": interest.none_bookable([row.run for row in runs]),
        "registered": interest.has_registered(request.actor, found),
        "interest_count": (
            interest.interest_count(found)
            if access.may_host_programme(request.actor, found)
            else None
        ),
    }
    return render(request, "learning/programme.html", context)


@require_GET
def run(request: HttpRequest, pk: int) -> HttpResponse:
    """One run: its sessions, the places the actor can take, and their own booking."""
    found = access.get_run_for(request.actor, pk)
    context = {
        "page": catalogue.run_page(request.actor, found),
        "reserved": reservations.block_for(request.actor, found),
        "partner_blocks": reservations.blocks_on(request.actor, found),
        "manages_team": access.may_manage_team(request.actor),
        "hosts_run": access.may_host(request.actor, found),
    }
    return render(request, "learning/run.html", context)


BOOKED = {
    BookingStatus.CONFIRMED: "Your place is confirmed.",
    BookingStatus.WAITING: "There is no place free to you now, so you are on the waiting list.",
    BookingStatus.REQUESTED: "Your booking is waiting for your line manager's approval.",
}


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """Book a place on a run for oneself: confirmed, waiting, or awaiting approval."""
    found = access.get_run_for(request.actor, pk)
    form = BookForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.book_place(
                actor=request.actor,
                run=found,
                person=request.actor.person,
                note=form.cleaned_data["note"],
            )
        except (services.BookingRefused, ValidationError) as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, BOOKED[booking.status])
            return redirect("learning:run", pk=found.pk)
    page = catalogue.run_page(request.actor, found)
    return render(request, "learning/book.html", {"page": page, "form": form})


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _answer(
    request: HttpRequest,
    booking: Booking,
    *,
    allowed: bool,
    act: Callable[..., Booking],
    title: str,
    button: str,
    done: str,
) -> HttpResponse:
    """A confirmation page for one change to a booking; the change itself is the service's."""
    if not allowed:
        raise PermissionDenied
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            act(actor=request.actor, booking=booking)
        except (services.BookingRefused, ValidationError) as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, done)
            return redirect("learning:run", pk=booking.run_id)
    context = {"booking": booking, "form": form, "title": title, "button": button}
    return render(request, "learning/booking_confirm.html", context)


# Title, button and message for cancelling, by the booking's status and whose booking it is.
CANCEL_WORDS = {
    (BookingStatus.WAITING, True): (
        "Leave the waiting list",
        "Leave waiting list",
        "You have left the waiting list.",
    ),
    (BookingStatus.WAITING, False): (
        "Take them off the waiting list",
        "Take off waiting list",
        "They are no longer on the waiting list.",
    ),
    (BookingStatus.REQUESTED, True): (
        "Withdraw your booking request",
        "Withdraw request",
        "You withdrew your booking request.",
    ),
    (BookingStatus.REQUESTED, False): (
        "Withdraw this booking request",
        "Withdraw request",
        "The booking request is withdrawn.",
    ),
}
CANCEL_PLACE = ("Cancel this booking", "Cancel booking", "The booking is cancelled.")


@require_http_methods(["GET", "POST"])
def cancel_booking(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a booking or leave a waiting list; a place held is passed on."""
    booking = access.get_booking_for(request.actor, pk)
    title, button, done = _cancel_words(request, booking)
    return _answer(
        request,
        booking,
        allowed=access.may_cancel(request.actor, booking),
        act=services.cancel_booking,
        title=title,
        button=button,
        done=done,
    )


def _cancel_words(request: HttpRequest, booking: Booking) -> tuple[str, str, str]:
    own = access.is_own_booking(request.actor, booking)
    return CANCEL_WORDS.get((booking.status, own), CANCEL_PLACE)


@require_http_methods(["GET", "POST"])
def accept_offer(request: HttpRequest, pk: int) -> HttpResponse:
    """Take up an offered place before the offer lapses."""
    booking = access.get_booking_for(request.actor, pk)
    return _answer(
        request,
        booking,
        allowed=access.may_answer_offer(request.actor, booking),
        act=services.accept_offer,
        title="Accept this place",
        button="Accept place",
        done="You accepted the place: it is confirmed.",
    )


@require_http_methods(["GET", "POST"])
def decline_offer(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn an offered place down; it passes to the next person waiting."""
    booking = access.get_booking_for(request.actor, pk)
    return _answer(
        request,
        booking,
        allowed=access.may_answer_offer(request.actor, booking),
        act=services.decline_offer,
        title="Decline this place",
        button="Decline place",
        done="You declined the place.",
    )


@require_GET
def my_learning(request: HttpRequest) -> HttpResponse:
    """The signed-in person's learning: upcoming places, waiting lists, offers and history."""
    context = {
        "mine": catalogue.my_learning(request.actor),
        "follow_ups": attendance.my_follow_ups(request.actor),
        **team_links(request.actor),
    }
    return render(request, "learning/mine.html", context)
