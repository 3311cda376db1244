"""The off-the-job pages through HTTP: the apprentice logs, changes and deletes time with the
refusals on the form; the log shows the hours and the on-track tag with its rule to the line
manager too, in a constant number of queries; the tutor queries an entry from the list of entries
awaiting a check; the progress page's section; outsiders get a 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.apprenticeships import off_the_job
from joinedup.apprenticeships.models import (
    CheckState,
    EnrolmentStatus,
    Ksb,
    KsbKind,
    OffTheJobActivity,
    OffTheJobEntry,
)
from tests.access import apprenticeships_scene

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=100)


@pytest.fixture
def enrolment(world):
    """The own apprentice's active enrolment: 730 planned hours over 730 days, 100 days in, so
    100 hours are expected by now."""
    return apprenticeships_scene.enrolment(
        world,
        "own",
        status=EnrolmentStatus.ACTIVE,
        start_on=START,
        planned_end_on=START + dt.timedelta(days=730),
        planned_off_the_job_hours=730,
    )


def add(enrolment, hours="10", days_ago=5, state=CheckState.AWAITING) -> OffTheJobEntry:
    return OffTheJobEntry.objects.create(
        enrolment=enrolment,
        on=TODAY - dt.timedelta(days=days_ago),
        hours=Decimal(hours),
        activity=OffTheJobActivity.CAMPUS_DAY,
        reflection="Campus day on strategy",
        state=state,
        created_by=enrolment.apprentice,
    )


def log_url(enrolment) -> str:
    return reverse("apprenticeships:off_the_job_log", args=[enrolment.pk])


def test_the_apprentice_logs_time_and_a_future_date_is_refused_on_its_field(
    world, client_for, enrolment
):
    client = client_for("apprentice")
    url = reverse("apprenticeships:off_the_job_new", args=[enrolment.pk])
    day = TODAY + dt.timedelta(days=2)
    form = {
        "on_day": day.day,
        "on_month": day.month,
        "on_year": day.year,
        "hours": "7.5",
        "activity": "campus_day",
        "reflection": "Strategy workshop",
    }
    page = client.post(url, form).content.decode()
    assert "The date cannot be in the future" in page
    assert 'href="#id_on' in page
    yesterday = TODAY - dt.timedelta(days=1)
    form.update(on_day=yesterday.day, on_month=yesterday.month, on_year=yesterday.year)
    # A ticked KSB of the standard is accepted (the form has its choices before it is cleaned)
    ksb = Ksb.objects.create(
        standard=enrolment.cohort.programme.standard,
        code="K99",
        kind=KsbKind.KNOWLEDGE,
        number=99,
        description="Strategy",
    )
    response = client.post(url, {**form, "ksbs": [ksb.pk]})
    assert response.status_code == 302 and response["Location"] == log_url(enrolment)
    entry = OffTheJobEntry.objects.get(enrolment=enrolment)
    assert (entry.on, entry.hours, entry.state) == (yesterday, Decimal("7.5"), CheckState.AWAITING)
    assert list(entry.ksbs.all()) == [ksb]


def test_the_line_manager_sees_the_hours_and_the_status_with_its_rule(world, client_for, enrolment):
    for days_ago in (20, 30, 40):
        add(enrolment, "20", days_ago=days_ago, state=CheckState.ACCEPTED)
    add(enrolment, "24")
    add(enrolment, "1", days_ago=6)
    page = client_for("own_line_manager").get(log_url(enrolment)).content.decode()
    for text in (
        "Required",
        "400 hours",
        "730 hours",
        "85 hours",
        "60 hours",
        "Amber: Slightly behind",
        "100 of the plan&#x27;s 730 days have passed (13.7%), so 100 of the 730 planned hours",
        "15 more would put the apprentice on track.",
        "Green if the hours logged are at least the hours expected by now",
        "Campus day on strategy",
    ):
        assert text in page, text
    assert "Log off-the-job time" not in page


def test_the_log_page_costs_the_same_queries_for_few_and_many_entries(world, client_for, enrolment):
    client = client_for("practice_tutor")
    add(enrolment)
    client.get(log_url(enrolment))
    with CaptureQueriesContext(connection) as few:
        assert client.get(log_url(enrolment)).status_code == 200
    for days_ago in range(6, 16):
        add(enrolment, "1", days_ago=days_ago)
    with CaptureQueriesContext(connection) as many:
        assert client.get(log_url(enrolment)).status_code == 200
    assert len(many) == len(few)


def test_an_outsider_does_not_find_the_log(world, client_for, enrolment):
    assert client_for("outsider").get(log_url(enrolment)).status_code == 404
    assert client_for("partner_staff").get(log_url(enrolment)).status_code == 404


def test_the_apprentice_changes_a_queried_entry_and_deletes_one(world, client_for, enrolment):
    queried = add(enrolment, "3", state=CheckState.QUERIED)
    client = client_for("apprentice")
    edit = reverse("apprenticeships:off_the_job_edit", args=[queried.pk])
    on = queried.on
    response = client.post(
        edit,
        {
            "on_day": on.day,
            "on_month": on.month,
            "on_year": on.year,
            "hours": "4",
            "activity": "other",
        },
    )
    assert response.status_code == 302
    queried.refresh_from_db()
    assert (queried.hours, queried.state) == (Decimal(4), CheckState.AWAITING)
    response = client.post(reverse("apprenticeships:off_the_job_delete", args=[queried.pk]))
    assert response.status_code == 302
    assert not OffTheJobEntry.objects.filter(pk=queried.pk).exists()


def test_a_verified_entry_offers_no_change(world, client_for, enrolment):
    accepted = add(enrolment, state=CheckState.ACCEPTED)
    client = client_for("apprentice")
    page = client.get(reverse("apprenticeships:off_the_job_edit", args=[accepted.pk]))
    assert 'id="locked"' in page.content.decode()
    page = client.post(reverse("apprenticeships:off_the_job_delete", args=[accepted.pk]))
    assert "can no longer be deleted" in page.content.decode()
    assert OffTheJobEntry.objects.filter(pk=accepted.pk).exists()


def test_the_tutor_queries_an_entry_from_the_entries_awaiting_a_check(world, client_for, enrolment):
    mine = add(enrolment, "6")
    elsewhere = add(apprenticeships_scene.enrolment(world, "outsider"), "2")
    client = client_for("practice_tutor")
    queue = client.get(reverse("apprenticeships:off_the_job_to_check")).content.decode()
    assert reverse("apprenticeships:off_the_job_check", args=[mine.pk]) in queue
    assert reverse("apprenticeships:off_the_job_check", args=[elsewhere.pk]) not in queue
    url = reverse("apprenticeships:off_the_job_check", args=[mine.pk])
    page = client.post(url, {"decision": "query", "next": "queue"}).content.decode()
    assert "Say what the apprentice should change or explain" in page
    response = client.post(url, {"decision": "query", "note": "Which module?", "next": "queue"})
    assert response["Location"] == reverse("apprenticeships:off_the_job_to_check")
    mine.refresh_from_db()
    assert (mine.state, mine.tutor_note) == (CheckState.QUERIED, "Which module?")
    assert client_for("own_line_manager").post(url, {"decision": "accept"}).status_code == 403


def test_the_progress_page_shows_the_section_to_the_line_manager(world, client_for, enrolment):
    for days_ago in range(10, 16):
        add(enrolment, "20", days_ago=days_ago, state=CheckState.ACCEPTED)
    url = reverse("apprenticeships:progress", args=[enrolment.pk])
    page = client_for("own_line_manager").get(url).content.decode()
    assert 'id="off-the-job"' in page
    assert "Green: On track" in page
    assert log_url(enrolment) in page
    assert off_the_job.totals(enrolment).verified == Decimal(120)
