"""Places given to and received from partners, and value recovered by releasing places."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.learning import queries
from joinedup.learning.models import Booking, BookingStatus, Outcome, Run
from joinedup.learning.tests.factories import RunFactory, SessionFactory
from joinedup.partnership.models import Organisation, OrganisationRole
from joinedup.partnership.tests.factories import EmploymentFactory, OrganisationRoleFactory

URL = reverse("learning:exchange")
DAY = dt.date(2026, 6, 10)
YEAR = {
    "start_day": "1",
    "start_month": "4",
    "start_year": "2026",
    "end_day": "31",
    "end_month": "3",
    "end_year": "2027",
}
START, END = dt.date(2026, 4, 1), dt.date(2027, 3, 31)


def _run(host: Organisation, *, cost: str = "250", day: dt.date = DAY, title: str = "") -> Run:
    run = RunFactory(
        programme__host=host,
        programme__cost_per_place=Decimal(cost),
        programme__title=title or f"Course at {host.name}",
        capacity=20,
    )
    SessionFactory(run=run, date=day)
    return run


def _book(
    run: Run,
    organisation: Organisation,
    status: str = BookingStatus.CONFIRMED,
    **fields,
) -> Booking:
    person = EmploymentFactory(organisation=organisation).person
    expires = timezone.now() + dt.timedelta(days=2)
    extra = {"offer_expires_at": expires} if status == BookingStatus.OFFERED else {}
    return Booking.objects.create(
        run=run, person=person, organisation=organisation, status=status, **extra, **fields
    )


def test_places_given_and_received_per_partner(world):
    ours, theirs = _run(world.own), _run(world.partner)
    _book(ours, world.partner)
    _book(ours, world.partner, BookingStatus.OFFERED)
    _book(ours, world.partner, BookingStatus.CANCELLED, outcome=Outcome.COMPLETED)
    _book(ours, world.partner, BookingStatus.WAITING)  # holds no place
    _book(ours, world.partner, BookingStatus.CANCELLED)  # gave it back
    _book(ours, world.own)  # our own staff on our own run
    _book(theirs, world.own)
    _book(_run(world.icb), world.own)
    rows = queries.places_given_and_received(world.own, START, END)
    assert [(row.partner_name, row.given, row.received) for row in rows] == [
        (world.partner.name, 3, 1),  # by name: "London North West ..." before "NHS West ..."
        (world.icb.name, 0, 1),
    ]


def test_runs_outside_the_period_do_not_count(world):
    _book(_run(world.own, day=dt.date(2026, 3, 31)), world.partner)
    _book(_run(world.own, day=dt.date(2027, 4, 1)), world.partner)
    assert queries.places_given_and_received(world.own, START, END) == []


def test_value_recovered_is_released_places_filled_times_cost_per_place(world):
    run = _run(world.own, cost="250.10", title="Leading teams")
    _book(run, world.partner, released_place=True)
    _book(run, world.partner, BookingStatus.OFFERED, released_place=True)
    _book(run, world.icb, BookingStatus.CANCELLED, released_place=True, outcome=Outcome.COMPLETED)
    _book(run, world.icb, BookingStatus.CANCELLED, released_place=True)  # not filled
    _book(run, world.partner)  # a partner's place, but not a released one
    other = _run(world.own, cost="99.99", title="Coaching")
    _book(other, world.partner, released_place=True)
    _book(_run(world.partner), world.own, released_place=True)  # the partner's value, not ours
    recovered = queries.value_recovered_by_run(world.own, START, END)
    assert {(row.label, row.places, row.value) for row in recovered.rows} == {
        ("Leading teams", 3, Decimal("750.30")),
        ("Coaching", 1, Decimal("99.99")),
    }
    assert (recovered.places, recovered.value) == (4, Decimal("850.29"))


def test_host_lead_sees_places_and_value_recovered_with_charts_and_tables(world, client_for):
    run = _run(world.own, cost="300", title="Safeguarding adults")
    _book(run, world.partner, released_place=True)
    _book(_run(world.partner), world.own)
    page = client_for("own_ld_lead").get(URL, YEAR).content.decode()
    assert 'id="places"' in page and 'id="recovered"' in page
    assert f"{world.partner.name}: 1 given, 1 received" in page
    assert '<strong id="recovered-total">£300.00</strong>' in page
    assert "Safeguarding adults" in page
    assert page.count('role="img"') == 2
    assert 'id="partnership-value-recovered"' not in page


def test_partner_sees_the_same_exchange_from_its_side(world, client_for):
    _book(_run(world.own), world.partner)
    page = client_for("partner_admin").get(URL, YEAR).content.decode()
    assert f"{world.own.name}: 0 given, 1 received" in page


def test_programme_leader_sees_the_exchange(world, client_for):
    OrganisationRoleFactory(
        person=world.person("own_staff"),
        organisation=world.own,
        role=OrganisationRole.PROGRAMME_LEADER,
    )
    page = client_for("own_staff").get(URL)
    assert page.status_code == 200
    assert 'id="value-recovered"' in page.content.decode()


def test_partnership_lead_sees_value_recovered_per_host(world, client_for):
    _book(_run(world.own, cost="200"), world.partner, released_place=True)
    _book(_run(world.partner, cost="80"), world.own, released_place=True)
    _book(_run(world.outsider_org, cost="999"), world.outsider_org, released_place=True)
    page = client_for("partnership_lead").get(URL, YEAR).content.decode()
    assert '<strong id="partnership-total">£280.00</strong>' in page
    assert f"{world.own.name}: £200.00" in page
    assert f"{world.partner.name}: £80.00" in page
    assert world.outsider_org.name not in page
    assert 'id="places"' not in page  # the ICB's own figures are not the lead's to see


def test_partnership_page_links_the_lead_to_value_recovered(world, client_for):
    page = client_for("partnership_lead").get(reverse("partnership:partnership-manage"))
    assert f'href="{URL}"' in page.content.decode()


def test_catalogue_links_hosts_to_the_exchange(world, client_for):
    page = client_for("own_ld_lead").get(reverse("learning:catalogue")).content.decode()
    assert f'href="{URL}"' in page


def test_outsider_sees_nothing_of_the_partnership(world, client_for):
    _book(_run(world.own), world.partner, released_place=True)
    page = client_for("outsider").get(URL, YEAR).content.decode()
    assert 'id="no-places"' in page
    assert world.own.name not in page and world.partner.name not in page


def test_levy_officer_sees_places_but_not_value_recovered(world, client_for):
    _book(_run(world.own), world.partner, released_place=True)
    page = client_for("own_levy_officer").get(URL, YEAR).content.decode()
    assert f"{world.partner.name}: 1 given, 0 received" in page
    assert 'id="value-recovered"' not in page


@pytest.mark.parametrize("persona", ["own_staff", "own_line_manager"])
def test_others_are_refused(world, client_for, persona):
    assert client_for(persona).get(URL).status_code == 403


def test_a_bad_period_is_named_in_the_error_summary(world, client_for):
    response = client_for("own_ld_lead").get(URL, {**YEAR, "start_year": "2028"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The ‘To’ date must be the same as or after the ‘From’ date" in page


def test_page_opens_on_the_current_financial_year(world, client_for):
    page = client_for("own_ld_lead").get(URL).content.decode()
    assert "1 April" in page and "31 March" in page


@pytest.mark.parametrize("persona", ["own_ld_lead", "partnership_lead"])
def test_the_page_costs_the_same_queries_for_few_and_many(world, client_for, persona):
    client = client_for(persona)
    _book(_run(world.own), world.partner, released_place=True)
    client.get(URL, YEAR)
    with CaptureQueriesContext(connection) as few:
        client.get(URL, YEAR)
    for _ in range(4):
        run = _run(world.own)
        _book(run, world.partner, released_place=True)
        _book(run, world.icb, released_place=True)
        _book(_run(world.icb), world.own)
        _book(_run(world.partner), world.own, released_place=True)
    with CaptureQueriesContext(connection) as many:
        client.get(URL, YEAR)
    assert len(many) == len(few)
