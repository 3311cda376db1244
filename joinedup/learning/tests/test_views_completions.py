"""The L&D lead's completions: what the acting organisation's current staff have completed."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.learning.models import LONDON, Booking, BookingStatus, Outcome
from joinedup.learning.tests.factories import RunFactory, SessionFactory
from joinedup.partnership.tests.factories import EmploymentFactory, PersonFactory

URL = reverse("learning:completions")


def _completed(person, organisation, host, title: str, on: dt.date, outcome=Outcome.COMPLETED):
    run = RunFactory(programme__host=host, programme__title=title, places_taken=1)
    SessionFactory(run=run, date=on)
    return Booking.objects.create(
        run=run,
        person=person,
        organisation=organisation,
        status=BookingStatus.CONFIRMED,
        outcome=outcome,
        outcome_recorded_at=dt.datetime.combine(on, dt.time(17), tzinfo=LONDON),
    )


DAY = dt.date(2026, 6, 15)


def test_the_ld_lead_sees_completions_of_their_staff_wherever_hosted(world, client_for):
    staff = world.person("own_staff")
    _completed(staff, world.own, world.own, "Safeguarding adults", DAY)
    _completed(staff, world.own, world.partner, "Infection control", DAY)
    _completed(staff, world.own, world.own, "Walked out", DAY, outcome=Outcome.NOT_COMPLETED)
    _completed(world.person("partner_staff"), world.partner, world.own, "Their nurse's", DAY)
    response = client_for("own_ld_lead").get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Safeguarding adults" in page
    assert "Infection control" in page
    assert "Walked out" not in page
    assert "Their nurse&#x27;s" not in page


def test_completions_follow_people_who_moved_here_and_leave_with_leavers(world, client_for):
    mover = PersonFactory(given_name="Mo", family_name="Mover")
    EmploymentFactory(person=mover, organisation=world.partner, end_date=DAY)
    EmploymentFactory(person=mover, organisation=world.own, start_date=DAY + dt.timedelta(days=1))
    _completed(mover, world.partner, world.partner, "Learnt at the trust", DAY)
    leaver = PersonFactory(given_name="Lea", family_name="Leaver")
    EmploymentFactory(person=leaver, organisation=world.own, end_date=DAY)
    _completed(leaver, world.own, world.own, "Learnt before leaving", DAY)
    own_page = client_for("own_ld_lead").get(URL).content.decode()
    assert "Learnt at the trust" in own_page
    assert "Learnt before leaving" not in own_page
    partner_page = client_for("partner_ld_lead").get(URL).content.decode()
    assert "Learnt at the trust" not in partner_page


def test_completions_filter_by_the_date_of_completion(world, client_for):
    staff = world.person("own_staff")
    _completed(staff, world.own, world.own, "Spring course", dt.date(2026, 3, 10))
    _completed(staff, world.own, world.own, "Summer course", dt.date(2026, 6, 30))
    _completed(staff, world.own, world.own, "Autumn course", dt.date(2026, 10, 1))
    query = {
        "completed_from_day": "10",
        "completed_from_month": "3",
        "completed_from_year": "2026",
        "completed_to_day": "30",
        "completed_to_month": "6",
        "completed_to_year": "2026",
    }
    page = client_for("own_ld_lead").get(URL, query).content.decode()
    assert "Spring course" in page
    assert "Summer course" in page
    assert "Autumn course" not in page


def test_a_wrong_date_gets_an_error_summary_not_a_failure(world, client_for):
    client = client_for("own_ld_lead")
    query = {"completed_from_day": "31", "completed_from_month": "2", "completed_from_year": "2026"}
    page = client.get(URL, query).content.decode()
    assert "govuk-error-summary" in page
    assert "Completed from must be a real date" in page
    query = {
        "completed_from_day": "2",
        "completed_from_month": "2",
        "completed_from_year": "2026",
        "completed_to_day": "1",
        "completed_to_month": "2",
        "completed_to_year": "2026",
    }
    page = client.get(URL, query).content.decode()
    assert "Completed to must be the same as or after completed from" in page


def test_only_ld_leads_see_completions(world, client_for):
    for persona in ("own_staff", "own_line_manager", "own_admin", "partnership_lead", "outsider"):
        assert client_for(persona).get(URL).status_code == 403


def test_completions_take_the_same_number_of_queries_however_many(world, client_for):
    client = client_for("own_ld_lead")

    def add(count: int) -> None:
        for number in range(count):
            person = EmploymentFactory(organisation=world.own).person
            _completed(person, world.own, world.partner, f"Course {number}", DAY)

    add(1)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    add(8)
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    assert len(large) == len(small)
