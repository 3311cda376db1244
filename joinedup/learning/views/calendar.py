"""Calendar pages: a confirmed place's iCalendar file, and the person's private feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import access, calendar
from ..models import BookingStatus

CALENDAR_TYPE = "text/calendar; charset=utf-8"
NEW_FEED_KEY = "new_calendar_feed"  # noqa: S105 - a session key, not a secret


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def booking_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The iCalendar file of the person's own confirmed place: one event per session."""
    booking = access.get_booking_for(request.actor, pk)
    if not access.may_download_calendar(request.actor, booking):
        raise PermissionDenied
    if booking.status != BookingStatus.CONFIRMED:
        raise Http404("Only a confirmed place has a calendar file")
    return _ics(calendar.booking_calendar(booking), f"learning-{booking.pk}.ics")


@login_required
@require_GET
def calendar_feed_page(request: HttpRequest) -> HttpResponse:
    """Whether the person has a calendar feed; a new address is shown here once, just made."""
    raw = request.session.pop(NEW_FEED_KEY, None)
    context = {
        "has_feed": bool(request.actor.person.calendar_token),
        "feed_url": calendar.feed_url(raw) if raw else None,
    }
    return render(request, "learning/calendar_feed.html", context)


@login_required
@require_POST
def create_calendar_feed(request: HttpRequest) -> HttpResponse:
    """Make a new feed address; one made before stops working."""
    had_one = bool(request.actor.person.calendar_token)
    # The raw address is kept for the next page only: it is shown once and never stored.
    request.session[NEW_FEED_KEY] = calendar.create_calendar_feed(actor=request.actor)
    if had_one:
        messages.success(request, "You have a new feed address. The old one no longer works.")
    else:
        messages.success(request, "Your calendar feed is ready.")
    return redirect("learning:calendar-feed-page")


@login_required
@require_POST
def revoke_calendar_feed(request: HttpRequest) -> HttpResponse:
    """Turn the feed off: its address stops working at once."""
    request.session.pop(NEW_FEED_KEY, None)
    if calendar.revoke_calendar_feed(actor=request.actor):
        messages.success(request, "Your calendar feed is turned off. Its address no longer works.")
    return redirect("learning:calendar-feed-page")


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The public feed of one person's confirmed sessions; the secret address is the key."""
    person = calendar.person_for_feed(token)
    if person is None:
        raise Http404("No such calendar feed")
    response = HttpResponse(calendar.person_feed(person), content_type=CALENDAR_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response
