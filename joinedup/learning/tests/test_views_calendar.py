"""Calendar files of confirmed places and the private, revocable calendar feed (pages and files)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from joinedup.learning import calendar
from joinedup.learning.models import Booking, BookingStatus
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory
from joinedup.partnership.models import AuditEvent, Person

# Clocks go back on 31 October 2027: a session on the 29th is in BST, one on 1 November in GMT.
BST_DAY = dt.date(2027, 10, 29)
GMT_DAY = dt.date(2027, 11, 1)


def booked(world, persona: str = "own_staff", status=BookingStatus.CONFIRMED) -> Booking:
    """A two-session run, one session either side of the change from BST to GMT, with a place."""
    programme = ProgrammeFactory(
        host=world.own, title="Leading change", joining_instructions="Ask for Room 4."
    )
    run = RunFactory(programme=programme, places_taken=1)
    SessionFactory(
        run=run,
        date=BST_DAY,
        starts_at=dt.time(9, 30),
        ends_at=dt.time(12, 30),
        venue="Barnet House, 2 Bristol Avenue",
    )
    SessionFactory(
        run=run,
        date=GMT_DAY,
        starts_at=dt.time(9, 30),
        ends_at=dt.time(12, 30),
        venue="",
        online_link="https://meet.example.test/leading-change",
    )
    employment = world.employments[persona]
    return Booking.objects.create(
        run=run, person=employment.person, organisation=employment.organisation, status=status
    )


def events(body: bytes) -> list:
    return sorted(Calendar.from_ical(body).walk("VEVENT"), key=lambda event: event["dtstart"].dt)


# --- The file of one confirmed place -----------------------------------------------------------


def test_the_booked_person_downloads_one_event_per_session_at_the_right_times_across_bst_and_gmt(
    world, client_for
):
    booking = booked(world)

    response = client_for("own_staff").get(reverse("learning:booking-calendar", args=[booking.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    bst, gmt = events(response.content)
    # 09:30 in London is 08:30 UTC in BST and 09:30 UTC in GMT.
    assert bst["dtstart"].dt == dt.datetime(2027, 10, 29, 8, 30, tzinfo=dt.UTC)
    assert bst["dtend"].dt == dt.datetime(2027, 10, 29, 11, 30, tzinfo=dt.UTC)
    assert gmt["dtstart"].dt == dt.datetime(2027, 11, 1, 9, 30, tzinfo=dt.UTC)
    assert str(bst["location"]) == "Barnet House, 2 Bristol Avenue"
    assert str(gmt["location"]) == "https://meet.example.test/leading-change"
    assert str(bst["summary"]) == "Leading change (session 1 of 2)"
    assert "Ask for Room 4." in str(bst["description"])
    assert "London Borough of Barnet" in str(bst["description"])


def test_each_event_keeps_its_uid_when_the_file_is_downloaded_again(world, client_for):
    booking = booked(world)
    url = reverse("learning:booking-calendar", args=[booking.pk])
    client = client_for("own_staff")

    first = [str(event["uid"]) for event in events(client.get(url).content)]
    again = [str(event["uid"]) for event in events(client.get(url).content)]

    assert first == again
    assert len(set(first)) == 2
    assert all(f"booking-{booking.pk}@" in uid for uid in first)


def test_the_line_manager_and_host_see_the_booking_but_may_not_download_its_calendar(
    world, client_for
):
    booking = booked(world)
    url = reverse("learning:booking-calendar", args=[booking.pk])

    assert client_for("own_line_manager").get(url).status_code == 403
    assert client_for("own_ld_lead").get(url).status_code == 403
    assert client_for("partner_staff").get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 404


@pytest.mark.parametrize("status", [BookingStatus.WAITING, BookingStatus.CANCELLED])
def test_a_booking_without_a_confirmed_place_has_no_calendar_file(world, client_for, status):
    booking = booked(world, status=status)

    response = client_for("own_staff").get(reverse("learning:booking-calendar", args=[booking.pk]))

    assert response.status_code == 404


def test_my_learning_links_to_the_calendar_file_and_the_feed_page(world, client_for):
    booking = booked(world)

    page = client_for("own_staff").get(reverse("learning:my-learning")).content.decode()

    assert reverse("learning:booking-calendar", args=[booking.pk]) in page
    assert reverse("learning:calendar-feed-page") in page


# --- The private feed --------------------------------------------------------------------------


def feed_of(client) -> str:
    client.post(reverse("learning:create-calendar-feed"))
    return client.get(reverse("learning:calendar-feed-page")).context["feed_url"]


def test_a_person_makes_a_feed_and_anyone_with_the_address_gets_their_confirmed_sessions(
    world, client_for
):
    booking = booked(world)
    booked(world, status=BookingStatus.CANCELLED)
    booked(world, "partner_staff")
    url = feed_of(client_for("own_staff"))

    response = client_for("anonymous").get(url.removeprefix(settings.SITE_URL))

    assert response.status_code == 200
    uids = [str(event["uid"]) for event in events(response.content)]
    assert len(uids) == 2
    assert all(f"booking-{booking.pk}@" in uid for uid in uids)


def test_a_cancelled_place_drops_out_of_the_feed(world, client_for):
    booking = booked(world)
    token = calendar.create_calendar_feed(actor=world.actor("own_staff"))
    path = reverse("learning:calendar-feed", args=[token])
    assert len(events(client_for("anonymous").get(path).content)) == 2

    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)

    assert events(client_for("anonymous").get(path).content) == []


def test_revoking_the_feed_makes_its_address_a_404_and_is_audited(world, client_for):
    client = client_for("own_staff")
    url = feed_of(client)
    path = url.removeprefix(settings.SITE_URL)

    response = client.post(reverse("learning:revoke-calendar-feed"))

    assert response.status_code == 302
    assert client_for("anonymous").get(path).status_code == 404
    assert Person.objects.get(pk=world.own_staff.pk).calendar_token == ""
    actions = list(
        AuditEvent.objects.filter(object_kind="person", object_id=str(world.own_staff.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["calendar_feed.created", "calendar_feed.revoked"]
    page = client.get(reverse("learning:calendar-feed-page")).content.decode()
    assert "You do not have a calendar feed." in page


def test_a_new_address_replaces_the_old_one_which_stops_working(world, client_for):
    client = client_for("own_staff")
    old = feed_of(client).removeprefix(settings.SITE_URL)

    new = feed_of(client).removeprefix(settings.SITE_URL)

    assert new != old
    assert client_for("anonymous").get(old).status_code == 404
    assert client_for("anonymous").get(new).status_code == 200
    assert AuditEvent.objects.filter(action="calendar_feed.regenerated").count() == 1


@pytest.mark.parametrize("token", ["unknown-token", "x" * 65, "%20"])
def test_an_unknown_feed_address_is_a_404(world, client_for, token):
    response = client_for("anonymous").get(f"/learning/calendar/{token}.ics")

    assert response.status_code == 404


def test_a_person_without_a_feed_has_no_address_that_a_blank_token_could_open(world, client_for):
    assert Person.objects.filter(calendar_token="").exists()

    assert calendar.person_for_feed("") is None
    assert client_for("anonymous").get("/learning/calendar/.ics").status_code == 404


def test_the_feed_page_needs_signing_in_and_only_takes_posts_to_change(world, client_for):
    anonymous = client_for("anonymous")
    assert anonymous.get(reverse("learning:calendar-feed-page")).status_code == 302
    assert anonymous.post(reverse("learning:create-calendar-feed")).status_code == 302
    assert Person.objects.exclude(calendar_token="").count() == 0
    assert client_for("own_staff").get(reverse("learning:create-calendar-feed")).status_code == 405


def test_the_run_page_offers_the_calendar_file_only_for_a_confirmed_place(world, client_for):
    booking = booked(world)
    waiting = booked(world, "partner_staff", status=BookingStatus.WAITING)

    confirmed_page = client_for("own_staff").get(reverse("learning:run", args=[booking.run_id]))
    waiting_page = client_for("partner_staff").get(reverse("learning:run", args=[waiting.run_id]))

    link = reverse("learning:booking-calendar", args=[booking.pk])
    assert link in confirmed_page.content.decode()
    assert 'id="add-to-calendar"' not in waiting_page.content.decode()


def test_the_address_is_shown_once_and_only_its_hash_is_stored(world, client_for):
    client = client_for("own_staff")
    url = feed_of(client)
    token = url.removeprefix(f"{settings.SITE_URL}/learning/calendar/").removesuffix(".ics")

    again = client.get(reverse("learning:calendar-feed-page"))

    assert len(token) >= 43
    stored = Person.objects.get(pk=world.own_staff.pk).calendar_token
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert again.context["feed_url"] is None
    assert token not in again.content.decode()
    assert "You have a calendar feed." in again.content.decode()
    assert client_for("anonymous").get(f"/learning/calendar/{stored}.ics").status_code == 404
