"""iCalendar files of confirmed places, and each person's private, revocable calendar feed.

Session dates and times are Europe/London wall times; the files give them in UTC, so calendars
place them right on either side of a change between GMT and BST. Each event's UID is stable for
the session and the booking, so a calendar that imports the file again updates the event.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Person
from joinedup.partnership.services import hash_token

from .models import LONDON, Booking, BookingStatus, Session

PRODUCT_ID = "-//Joined Up//Learning//EN"
UID_DOMAIN = "joinedup.learning"
# How far back a feed keeps sessions that have happened.
FEED_HISTORY = dt.timedelta(days=90)
TOKEN_BYTES = 32
# token_urlsafe(32) gives 43 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 64


def session_start(session: Session) -> dt.datetime:
    """When the session starts, as an aware datetime in Europe/London."""
    return dt.datetime.combine(session.date, session.starts_at, tzinfo=LONDON)


def session_end(session: Session) -> dt.datetime:
    return dt.datetime.combine(session.date, session.ends_at, tzinfo=LONDON)


def _event(booking: Booking, session: Session, number: int, stamp: dt.datetime) -> Event:
    run = booking.run
    programme = run.programme
    event = Event()
    event.add("uid", f"session-{session.pk}-booking-{booking.pk}@{UID_DOMAIN}")
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", session_start(session).astimezone(dt.UTC))
    event.add("dtend", session_end(session).astimezone(dt.UTC))
    count = len(run.sessions.all())
    suffix = f" (session {number} of {count})" if count > 1 else ""
    event.add("summary", f"{programme.title}{suffix}")
    location = session.venue or session.online_link
    if location:
        event.add("location", location)
    run_url = settings.SITE_URL + reverse("learning:run", args=[run.pk])
    lines = [f"Hosted by {programme.host.name}."]
    if programme.summary:
        lines.append(programme.summary)
    if session.online_link:
        lines.append(f"Join online: {session.online_link}")
    if programme.joining_instructions:
        lines.append(f"Joining instructions:\n{programme.joining_instructions}")
    lines.append(f"Details: {run_url}")
    event.add("description", "\n\n".join(lines))
    event.add("url", run_url)
    return event


def _calendar(bookings: Iterable[Booking], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for booking in bookings:
        for number, session in enumerate(booking.run.sessions.all(), start=1):
            calendar.add_component(_event(booking, session, number, stamp))
    return calendar.to_ical()


def _with_sessions(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    return bookings.select_related("run__programme__host").prefetch_related("run__sessions")


def booking_calendar(booking: Booking) -> bytes:
    """The iCalendar file of one confirmed booking: one event per session."""
    found = _with_sessions(Booking.objects.filter(pk=booking.pk)).get()
    return _calendar([found], found.run.programme.title)


def person_feed(person: Person) -> bytes:
    """The person's feed: every session of their confirmed places on runs not cancelled."""
    since = timezone.localdate() - FEED_HISTORY
    bookings = _with_sessions(
        Booking.objects.filter(
            person=person,
            status=BookingStatus.CONFIRMED,
            run__cancelled_at__isnull=True,
            run__sessions__date__gte=since,
        )
        .distinct()
        .order_by("pk")
    )
    return _calendar(bookings, "My learning (Joined Up)")


# --- The private feed address ------------------------------------------------------------------
# `Person.calendar_token` holds only the SHA-256 of the secret in the address, like API tokens: the
# address is shown once when it is made, and a copy of the database opens no one's feed.


def feed_url(token: str) -> str:
    """The feed address for a raw token (shown to its person once, when it is made)."""
    return settings.SITE_URL + reverse("learning:calendar-feed", args=[token])


def person_for_feed(token: str) -> Person | None:
    """The person whose current feed address this is, or None (unknown, blank or revoked)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    digest = hash_token(token)
    person = Person.objects.filter(calendar_token=digest, is_active=True).first()
    if person is None or not secrets.compare_digest(person.calendar_token, digest):
        return None
    return person


def _record(actor: Actor, action: str) -> None:
    audit.record(
        actor=actor,
        action=action,
        kind="person",
        object_id=actor.person.pk,
        label=f"Calendar feed of {actor.person.full_name}",
        organisation=actor.organisation,
    )


@transaction.atomic
def create_calendar_feed(*, actor: Actor) -> str:
    """Give the actor a new private feed address, returning its raw token; an old one stops."""
    person = actor.person
    had_one = bool(Person.objects.filter(pk=person.pk).values_list("calendar_token", flat=True)[0])
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    person.calendar_token = hash_token(raw)
    Person.objects.filter(pk=person.pk).update(calendar_token=person.calendar_token)
    _record(actor, "calendar_feed.regenerated" if had_one else "calendar_feed.created")
    return raw


@transaction.atomic
def revoke_calendar_feed(*, actor: Actor) -> bool:
    """Stop the actor's feed address working; say whether there was one."""
    person = actor.person
    revoked = bool(
        Person.objects.filter(pk=person.pk).exclude(calendar_token="").update(calendar_token="")
    )
    person.calendar_token = ""
    if revoked:
        _record(actor, "calendar_feed.revoked")
    return revoked
