"""The host's pages: programme management, adding and changing programmes and runs, a run's
host view, cancelling, releasing early and the release log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.learning import services
from joinedup.learning.models import (
    LONDON,
    Booking,
    BookingStatus,
    Programme,
    Release,
    Reservation,
    Run,
)
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory


def hosted_run(world, host=None, **fields) -> Run:
    run = RunFactory(programme=ProgrammeFactory(host=host or world.own), **fields)
    SessionFactory(run=run)
    return run


def book(world, persona: str, run: Run, note: str = "") -> Booking:
    return services.book_place(
        actor=world.actor(persona), run=run, person=world.person(persona), note=note
    )


def date_parts(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def run_post(day: dt.date, **extra) -> dict[str, str]:
    data = {
        **date_parts("session_1_date", day),
        "session_1_starts_at": "09:30",
        "session_1_ends_at": "16:30",
        "session_1_venue": "Barnet House",
        "capacity": "12",
        "charge_attended": "on",
        "release_mode": "confirm",
        "offer_window_hours": "48",
    }
    data.update(extra)
    return data


def as_posted(form) -> dict[str, str]:
    """What a browser would send back for the form as shown."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, dt.date):
            data.update(date_parts(name, value))
        elif isinstance(value, dt.time):
            data[name] = f"{value:%H:%M}"
        elif value not in (None, False):
            data[name] = value
    return data


# --- Programme management ---------------------------------------------------------------------


def test_the_ld_lead_sees_their_programmes_and_runs_but_not_a_partners(world, client_for):
    own = hosted_run(world)
    partners = hosted_run(world, host=world.partner)

    response = client_for("own_ld_lead").get(reverse("learning:manage"))

    page = response.content.decode()
    assert own.programme.title in page
    assert reverse("learning:run-manage", args=[own.pk]) in page
    assert partners.programme.title not in page


def test_staff_who_do_not_host_are_refused_programme_management(world, client_for):
    assert client_for("own_staff").get(reverse("learning:manage")).status_code == 403


def test_the_catalogue_links_to_management_only_for_hosts(world, client_for):
    manage = reverse("learning:manage")
    assert manage in client_for("own_ld_lead").get(reverse("learning:catalogue")).content.decode()
    assert manage not in client_for("own_staff").get(reverse("learning:catalogue")).content.decode()


def test_the_ld_lead_adds_a_programme_and_is_sent_to_add_its_first_run(world, client_for):
    response = client_for("own_ld_lead").post(
        reverse("learning:programme-new"),
        {
            "title": "Motivational interviewing",
            "kind": "course",
            "delivery_mode": "in_person",
            "seniority_min": "1",
            "seniority_max": "9",
            "topics": "Practice, Communication",
            "hours": "6",
            "cost_per_place": "120",
            "partner_price": "80.50",
            "sharing_policy": "own_then_partners",
        },
    )

    programme = Programme.objects.get(title="Motivational interviewing")
    assert response["Location"] == reverse("learning:run-new", args=[programme.pk])
    assert programme.host == world.own
    assert programme.partner_price == Decimal("80.50")
    assert sorted(programme.topics.values_list("name", flat=True)) == ["Communication", "Practice"]


def test_bad_programme_input_is_shown_on_its_fields_not_a_server_error(world, client_for):
    response = client_for("own_ld_lead").post(
        reverse("learning:programme-new"),
        {
            "title": "",
            "kind": "course",
            "delivery_mode": "online",
            "seniority_min": "7",
            "seniority_max": "3",
            "hours": "six",
            "cost_per_place": "1",
            "partner_price": "-1",
            "sharing_policy": "own_only",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter a title" in page
    assert not Programme.objects.exists()


def test_service_refusals_land_on_the_fields_they_name(world, client_for):
    response = client_for("own_ld_lead").post(
        reverse("learning:programme-new"),
        {
            "title": "Ok",
            "kind": "course",
            "delivery_mode": "online",
            "seniority_min": "7",
            "seniority_max": "3",
            "hours": "six",
            "cost_per_place": "1",
            "partner_price": "1",
            "sharing_policy": "own_only",
        },
    )

    form = response.context["form"]
    assert form.errors["hours"] == ["Hours must be a number, like 150 or 150.50"]
    assert "seniority_max" in form.errors


def test_the_ld_lead_changes_a_programme(world, client_for):
    programme = ProgrammeFactory(host=world.own, title="Old")
    client = client_for("own_ld_lead")
    form = client.get(reverse("learning:programme-edit", args=[programme.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(title="New", approval_required="")

    response = client.post(reverse("learning:programme-edit", args=[programme.pk]), data)

    assert response["Location"] == reverse("learning:manage")
    programme.refresh_from_db()
    assert programme.title == "New"


def test_a_partners_ld_lead_may_not_change_a_programme_and_an_outsider_cannot_find_it(
    world, client_for
):
    programme = ProgrammeFactory(host=world.own)
    url = reverse("learning:programme-edit", args=[programme.pk])
    assert client_for("partner_ld_lead").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404


# --- Adding and changing a run ----------------------------------------------------------------


def test_the_ld_lead_adds_a_run_with_the_default_cut_off(world, client_for):
    programme = ProgrammeFactory(host=world.own)
    day = timezone.localdate() + dt.timedelta(days=60)

    response = client_for("own_ld_lead").post(
        reverse("learning:run-new", args=[programme.pk]), run_post(day)
    )

    run = Run.objects.get(programme=programme)
    assert response["Location"] == reverse("learning:run-manage", args=[run.pk])
    assert run.capacity == 12
    assert run.partner_price == programme.partner_price
    assert run.cut_off_at.date() == day - dt.timedelta(days=21)
    assert run.sessions.get().venue == "Barnet House"


def test_a_run_with_a_half_filled_session_and_a_bad_time_shows_field_errors(world, client_for):
    programme = ProgrammeFactory(host=world.own)
    day = timezone.localdate() + dt.timedelta(days=60)

    response = client_for("own_ld_lead").post(
        reverse("learning:run-new", args=[programme.pk]),
        run_post(day, session_1_ends_at="half past four", session_2_starts_at="10:00"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "24-hour clock" in errors["session_1_ends_at"][0]
    assert errors["session_2_date"] == ["Session 2 needs a date"]
    assert not Run.objects.exists()


def test_a_run_with_no_session_is_refused_in_the_error_summary(world, client_for):
    programme = ProgrammeFactory(host=world.own)
    response = client_for("own_ld_lead").post(
        reverse("learning:run-new", args=[programme.pk]),
        {"capacity": "5", "release_mode": "confirm", "offer_window_hours": "48"},
    )
    assert response.status_code == 200
    assert "Add at least one session" in response.content.decode()


def test_the_ld_lead_changes_a_runs_capacity(world, client_for):
    run = hosted_run(world)
    client = client_for("own_ld_lead")
    url = reverse("learning:run-edit", args=[run.pk])
    data = as_posted(client.get(url).context["form"])
    data["capacity"] = "20"

    response = client.post(url, data)

    assert response["Location"] == reverse("learning:run-manage", args=[run.pk])
    assert Run.objects.get(pk=run.pk).capacity == 20


def test_lowering_capacity_below_places_taken_is_shown_on_the_field(world, client_for):
    run = hosted_run(world, capacity=2)
    book(world, "own_staff", run)
    book(world, "own_line_manager", run)
    client = client_for("own_ld_lead")
    url = reverse("learning:run-edit", args=[run.pk])
    data = as_posted(client.get(url).context["form"])
    data["capacity"] = "1"

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors["capacity"] == [
        "Capacity cannot be below the 2 places already taken"
    ]


# --- The host's view of a run -----------------------------------------------------------------


def test_the_host_sees_names_organisations_notes_waiting_counts_and_reservations(world, client_for):
    run = hosted_run(world, capacity=1)
    book(world, "own_staff", run, note="Hearing loop please")
    book(world, "partner_staff", run)
    book(world, "partner_admin", run)
    Reservation.objects.create(run=run, organisation=world.partner, places=2)

    response = client_for("own_ld_lead").get(reverse("learning:run-manage", args=[run.pk]))

    page = response.content.decode()
    assert "Sam Staff" in page
    assert "Hearing loop please" in page
    assert "Pat Staff" in page
    assert "Waiting by organisation" in page
    assert world.partner.name in page
    assert 'id="reservations"' in page and ">2</td>" in page


def test_the_host_page_shows_the_value_recovered_by_released_places(world, client_for):
    run = hosted_run(world)
    run.programme.cost_per_place = Decimal("250")
    run.programme.save()
    for persona in ("partner_staff", "partner_admin"):
        booking = book(world, persona, run)
        Booking.objects.filter(pk=booking.pk).update(
            status=BookingStatus.CONFIRMED, released_place=True
        )

    response = client_for("own_ld_lead").get(reverse("learning:run-manage", args=[run.pk]))

    assert response.context["page"].value_recovered == Decimal("500")
    assert "£500.00" in response.content.decode()


def test_staff_booked_on_a_run_do_not_see_the_host_view(world, client_for):
    run = hosted_run(world)
    book(world, "own_staff", run, note="Private")
    assert (
        client_for("own_staff").get(reverse("learning:run-manage", args=[run.pk])).status_code
        == 403
    )
    response = client_for("partner_ld_lead").get(reverse("learning:run-manage", args=[run.pk]))
    assert response.status_code == 403
    response = client_for("outsider").get(reverse("learning:run-manage", args=[run.pk]))
    assert response.status_code == 404


# --- Cancelling and releasing -----------------------------------------------------------------


def test_cancelling_a_run_needs_a_reason(world, client_for):
    run = hosted_run(world)
    response = client_for("own_ld_lead").post(reverse("learning:run-cancel", args=[run.pk]))
    assert response.status_code == 200
    assert "Enter a reason for cancelling the run" in response.content.decode()
    assert not Run.objects.get(pk=run.pk).is_cancelled()


def test_the_host_cancels_a_run_and_its_bookings(world, client_for):
    run = hosted_run(world)
    booking = book(world, "own_staff", run)
    client = client_for("own_ld_lead")

    response = client.post(reverse("learning:run-cancel", args=[run.pk]), {"reason": "Flood"})

    assert response["Location"] == reverse("learning:run-manage", args=[run.pk])
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    page = client.get(response["Location"]).content.decode()
    assert "This run was cancelled" in page and "Flood" in page
    again = client.post(reverse("learning:run-cancel", args=[run.pk]), {"reason": "Again"})
    assert "This run is already cancelled." in again.content.decode()


def test_a_cancelled_run_cannot_be_changed_and_the_page_says_why(world, client_for):
    run = hosted_run(world, capacity=10)
    services.cancel_run(actor=world.actor("own_ld_lead"), run=run, reason="Flood")
    day = timezone.localdate() + dt.timedelta(days=60)

    response = client_for("own_ld_lead").post(
        reverse("learning:run-edit", args=[run.pk]), run_post(day, capacity="30")
    )

    assert response.status_code == 200
    assert "cannot be changed" in response.content.decode()
    assert Run.objects.get(pk=run.pk).capacity == 10


def test_releasing_early_asks_for_confirmation_then_releases_once(world, client_for):
    run = hosted_run(world)
    waiting = book(world, "partner_staff", run)
    client = client_for("own_ld_lead")
    url = reverse("learning:run-release", args=[run.pk])

    assert "Release places now" in client.get(url).content.decode()
    response = client.post(url)

    assert response["Location"] == reverse("learning:run-manage", args=[run.pk])
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED
    release = Release.objects.get(run=run)
    assert release.released_by == world.person("own_ld_lead")
    again = client.post(url)
    assert "already released" in again.content.decode()


# --- The release log --------------------------------------------------------------------------


def released(world, host) -> Release:
    run = hosted_run(world, host=host)
    services.release_unfilled_places(actor=None, run=run)
    return Release.objects.get(run=run)


def test_the_release_log_shows_the_hosts_releases_only(world, client_for):
    own = released(world, world.own)
    partner = released(world, world.partner)

    rows = client_for("own_ld_lead").get(reverse("learning:release-log")).context["rows"]

    assert [row.release for row in rows] == [own]
    assert partner not in [row.release for row in rows]


def test_the_partnership_lead_sees_every_members_releases_but_not_another_partnerships(
    world, client_for
):
    own = released(world, world.own)
    partner = released(world, world.partner)
    released(world, world.outsider_org)

    response = client_for("partnership_lead").get(reverse("learning:release-log"))

    assert {row.release for row in response.context["rows"]} == {own, partner}
    assert "At the cut-off" in response.content.decode()


def test_staff_may_not_read_the_release_log(world, client_for):
    assert client_for("own_staff").get(reverse("learning:release-log")).status_code == 403
    assert client_for("outsider").get(reverse("learning:release-log")).status_code == 403


def test_the_release_log_pages_newest_first(world, client_for):
    releases = [released(world, world.own) for _ in range(27)]
    client = client_for("own_ld_lead")

    first = client.get(reverse("learning:release-log"))
    second = client.get(reverse("learning:release-log") + first.context["links"]["next"])

    shown = [row.release for row in first.context["rows"]] + [
        row.release for row in second.context["rows"]
    ]
    assert shown == sorted(releases, key=lambda r: (r.released_at, r.pk), reverse=True)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_run_page_links_the_host_to_the_host_view(world, client_for):
    run = hosted_run(world)
    manage = reverse("learning:run-manage", args=[run.pk])
    assert manage in client_for("own_ld_lead").get(reverse("learning:run", args=[run.pk])).text
    assert manage not in client_for("own_staff").get(reverse("learning:run", args=[run.pk])).text


def test_the_host_pages_make_the_same_queries_for_more_rows(world, client_for):
    client = client_for("own_ld_lead")
    released(world, world.own)
    run = hosted_run(world, capacity=1)
    book(world, "own_staff", run)
    urls = [
        reverse("learning:manage"),
        reverse("learning:release-log"),
        reverse("learning:run-manage", args=[run.pk]),
    ]
    before = [queries_for(client, url) for url in urls]

    for _ in range(4):
        released(world, world.own)
    for persona in ("own_line_manager", "partner_staff", "partner_admin", "partner_ld_lead"):
        book(world, persona, run)

    assert [queries_for(client, url) for url in urls] == before


def test_a_self_paced_run_takes_a_completion_deadline_and_a_cut_off_instead_of_sessions(
    world, client_for
):
    programme = ProgrammeFactory(host=world.own, delivery_mode="self_paced")
    url = reverse("learning:run-new", args=[programme.pk])
    client = client_for("own_ld_lead")
    assert "session_1_date" not in client.get(url).context["form"].fields
    day = timezone.localdate() + dt.timedelta(days=90)

    refused = client.post(
        url, {"capacity": "50", "release_mode": "confirm", "offer_window_hours": "48"}
    )
    assert "Enter a completion deadline" in refused.text
    response = client.post(
        url,
        {
            **date_parts("completion_deadline", day),
            **date_parts("cut_off_date", day - dt.timedelta(days=30)),
            "capacity": "50",
            "release_mode": "confirm",
            "offer_window_hours": "48",
        },
    )

    run = Run.objects.get(programme=programme)
    assert response["Location"] == reverse("learning:run-manage", args=[run.pk])
    assert run.completion_deadline == day
    assert run.cut_off_at.astimezone(LONDON).time() == dt.time(17, 0)


def test_a_far_off_year_or_an_overlong_link_is_a_field_error_not_a_server_error(world, client_for):
    programme = ProgrammeFactory(host=world.own)
    data = run_post(dt.date(1, 1, 22), session_1_online_link="https://example.com/" + "a" * 200)
    data["session_1_date_year"] = "0001"

    response = client_for("own_ld_lead").post(
        reverse("learning:run-new", args=[programme.pk]), data
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["session_1_date"] == ["Date must be between 2000 and 2100"]
    assert errors["session_1_online_link"] == ["Online link must be 200 characters or fewer"]
