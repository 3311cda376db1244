"""The working-day calendar through HTTP: the bank holiday pages, the closure day pages and the
working-days API (who may do what is the access matrix's; these check what each answers)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.apprenticeships import calendar_days
from joinedup.apprenticeships.models import BankHoliday, ClosureDay
from joinedup.partnership.tests.api_helpers import api_client, organisation_client

pytestmark = pytest.mark.django_db

D = dt.date
HOLIDAYS = "/apprenticeships/calendar/bank-holidays/"
NEW_HOLIDAY = "/apprenticeships/calendar/bank-holidays/new/"
CLOSURES = "/apprenticeships/calendar/closure-days/"
NEW_CLOSURE = "/apprenticeships/calendar/closure-days/new/"
API = "/api/v1/apprenticeships/working-days"
WARNING = "The bank holiday list ends on Tuesday 26 December 2028, within 12 months"


@pytest.fixture
def today(monkeypatch):
    """The calendar's today, fixed at Tuesday 1 December 2026."""
    monkeypatch.setattr(calendar_days, "today", lambda: D(2026, 12, 1))


def date_fields(day: dt.date) -> dict[str, str]:
    return {"on_day": str(day.day), "on_month": str(day.month), "on_year": str(day.year)}


def test_everyone_signed_in_sees_the_bank_holidays_in_a_constant_number_of_queries(
    world, client_for
):
    client = client_for("own_staff")
    client.get(HOLIDAYS)
    with CaptureQueriesContext(connection) as few:
        page = client.get(HOLIDAYS).content.decode()
    BankHoliday.objects.create(on=D(2029, 1, 1), title="New Year’s Day", added_by=world.own_admin)
    with CaptureQueriesContext(connection) as more:
        page = client.get(HOLIDAYS).content.decode()
    assert len(more) == len(few)
    assert "Friday 25 December 2026" in page and "Christmas Day" in page
    assert "Added by a partnership lead" in page  # names only to partnership leads
    assert "Add a bank holiday" not in page and WARNING not in page


def test_partnership_and_programme_leaders_see_the_warning_when_the_list_runs_out(
    client_for, monkeypatch
):
    monkeypatch.setattr(calendar_days, "today", lambda: D(2027, 12, 27))
    lead = client_for("partnership_lead").get(HOLIDAYS).content.decode()
    leader = client_for("programme_leader").get(HOLIDAYS).content.decode()
    staff = client_for("own_staff").get(HOLIDAYS).content.decode()
    assert WARNING in lead and "Ask a partnership lead" not in lead
    assert WARNING in leader and "Ask a partnership lead to add them." in leader
    assert WARNING not in staff


def test_the_deadline_dashboard_and_closure_days_warn_the_programme_leader_too(
    client_for, monkeypatch
):
    monkeypatch.setattr(calendar_days, "today", lambda: D(2027, 12, 27))
    leader = client_for("programme_leader")
    for url in (reverse("apprenticeships:deadlines"), CLOSURES):
        page = leader.get(url).content.decode()
        assert WARNING in page and 'id="calendar-warning"' in page, url
    monkeypatch.setattr(calendar_days, "today", lambda: D(2026, 12, 1))
    assert WARNING not in leader.get(reverse("apprenticeships:deadlines")).content.decode()


def test_a_partnership_lead_adds_a_bank_holiday_and_removes_it_again(world, client_for):
    client = client_for("partnership_lead")
    response = client.post(NEW_HOLIDAY, {**date_fields(D(2029, 1, 1)), "title": "New Year’s Day"})
    assert response.status_code == 302
    holiday = BankHoliday.objects.get(on=D(2029, 1, 1))
    assert holiday.added_by == world.partnership_lead
    page = client.get(HOLIDAYS).content.decode()
    assert f"Added by {world.partnership_lead.full_name}" in page
    client.post(f"/apprenticeships/calendar/bank-holidays/{holiday.pk}/remove/")
    assert not BankHoliday.objects.filter(on=D(2029, 1, 1)).exists()


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (D(2026, 12, 25), "Friday 25 December 2026 is already a bank holiday (Christmas Day)"),
        (D(2029, 1, 6), "Saturday 6 January 2029 is a Saturday: weekends are never working days"),
    ],
)
def test_a_duplicate_or_weekend_bank_holiday_is_shown_on_the_date_field(client_for, on, message):
    response = client_for("partnership_lead").post(
        NEW_HOLIDAY, {**date_fields(on), "title": "Extra"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_removing_a_govuk_bank_holiday_is_refused_with_the_reason(client_for):
    client = client_for("partnership_lead")
    christmas = BankHoliday.objects.get(on=D(2026, 12, 25))
    response = client.post(
        f"/apprenticeships/calendar/bank-holidays/{christmas.pk}/remove/", follow=True
    )
    assert "comes from GOV.UK&#x27;s list and cannot be removed" in response.content.decode()
    assert BankHoliday.objects.filter(pk=christmas.pk).exists()


def test_a_programme_leader_lists_adds_and_removes_their_closure_days(world, client_for, today):
    client = client_for("programme_leader")
    response = client.post(
        NEW_CLOSURE, {**date_fields(D(2026, 12, 29)), "reason": "Closed over Christmas"}
    )
    assert response.status_code == 302
    closure = ClosureDay.objects.get(provider=world.partner, on=D(2026, 12, 29))
    page = client.get(CLOSURES).content.decode()
    assert "Tuesday 29 December 2026" in page and "Closed over Christmas" in page
    again = client.post(NEW_CLOSURE, {**date_fields(D(2026, 12, 29)), "reason": "Again"})
    assert "You are already closed on Tuesday 29 December 2026" in again.content.decode()
    client.post(f"/apprenticeships/calendar/closure-days/{closure.pk}/remove/")
    assert not ClosureDay.objects.filter(pk=closure.pk).exists()


def test_a_past_closure_day_is_refused_on_the_date_field(client_for, today):
    response = client_for("programme_leader").post(
        NEW_CLOSURE, {**date_fields(D(2026, 11, 30)), "reason": "Snow"}
    )
    assert "Monday 30 November 2026 has passed" in response.content.decode()
    assert not ClosureDay.objects.exists()


# --- API ----------------------------------------------------------------------------------------


def test_the_api_lists_bank_holidays_with_their_source(world):
    BankHoliday.objects.create(on=D(2029, 1, 1), title="New Year’s Day", added_by=world.own_admin)
    body = organisation_client(world, "own_admin").get(f"{API}/bank-holidays?limit=200").json()
    by_day = {item["on"]: item for item in body["items"]}
    assert by_day["2026-12-25"]["source"] == "gov.uk"
    assert (by_day["2029-01-01"]["title"], by_day["2029-01-01"]["source"]) == (
        "New Year’s Day",
        "added",
    )


def test_the_api_adds_and_lists_a_providers_closure_days(world, today):
    url = f"{API}/providers/{world.partner.pk}/closure-days"
    created = api_client(world, "programme_leader").post(
        url, {"on": "2026-12-29", "reason": "Closed"}, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["on"] == "2026-12-29"
    listed = api_client(world, "own_staff").get(url).json()["items"]
    assert [(item["on"], item["reason"]) for item in listed] == [("2026-12-29", "Closed")]


@pytest.mark.parametrize(
    ("persona", "body", "status", "detail"),
    [
        ("partner_admin", {"on": "2026-12-29", "reason": "x"}, 403, "Only the provider's"),
        (
            "programme_leader",
            {"on": "2026-12-26", "reason": "x"},
            422,
            "on (body): Saturday 26 December 2026 is a Saturday",
        ),
    ],
)
def test_the_api_refuses_closure_days_from_others_and_on_weekends(
    world, today, persona, body, status, detail
):
    response = api_client(world, persona).post(
        f"{API}/providers/{world.partner.pk}/closure-days", body, content_type="application/json"
    )
    assert response.status_code == status
    assert response.json()["detail"].startswith(detail)


def test_the_api_answers_when_feedback_is_due_at_a_provider(world):
    ClosureDay.objects.create(
        provider=world.partner, on=D(2026, 12, 24), reason="Closed", added_by=world.own_admin
    )
    client = api_client(world, "own_staff")
    due = client.get(f"{API}/feedback-due?provider={world.partner.pk}&submitted_on=2026-12-18")
    assert due.json() == {
        "provider": world.partner.pk,
        "submitted_on": "2026-12-18",
        "working_days": 15,
        "feedback_due_on": "2027-01-14",
    }
    far = client.get(f"{API}/feedback-due?provider={world.partner.pk}&submitted_on=9999-12-31")
    assert far.status_code == 422
    assert far.json()["detail"].startswith("submitted_on (query)")
    outside = client.get(
        f"{API}/feedback-due?provider={world.outsider_org.pk}&submitted_on=2026-12-18"
    )
    assert outside.status_code == 404
