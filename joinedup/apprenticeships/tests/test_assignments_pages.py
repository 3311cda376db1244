"""The assignment pages and API: the apprentice submits through the page (a file they can download
again), the tutor marks it, the progress page's section, the deadline dashboard flagging late
feedback on the right day in a constant number of queries, and the API's submit, mark and
dashboard. "Today" is fixed by patching `submissions.today_in_london`."""

from __future__ import annotations

import datetime as dt
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.apprenticeships import deadline_dashboard, submissions
from joinedup.apprenticeships.models import (
    ClosureDay,
    EnrolmentStatus,
    Grade,
    Module,
    Submission,
)
from joinedup.apprenticeships.tests.factories import EnrolmentFactory
from joinedup.materials.tests.service_helpers import private_folder
from joinedup.partnership.actor import Actor
from joinedup.partnership.services import create_personal_token

from .statement_scene import build_scene

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 16)  # feedback on a submission today is due Monday 7 December
DUE = dt.date(2026, 12, 7)
API = "/api/v1/apprenticeships"


@pytest.fixture
def scene():
    return build_scene(status=EnrolmentStatus.ACTIVE)


@pytest.fixture
def on(monkeypatch):
    """Fix today's date for the pages and the API."""

    def fix(day: dt.date) -> None:
        monkeypatch.setattr(submissions, "today_in_london", lambda: day)

    fix(MONDAY)
    return fix


def _client(actor: Actor) -> Client:
    client = Client()
    client.force_login(actor.person, backend="joinedup.partnership.auth.EmailBackend")
    return client


def _api(actor: Actor) -> Client:
    _, raw = create_personal_token(actor=actor, name="Tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _essay(scene):
    return scene.enrolment.cohort.programme.modules.get(order=1).assignments.get()


def _submitted(scene) -> Submission:
    return submissions.submit(
        actor=scene.apprentice,
        enrolment=scene.enrolment,
        assignment=_essay(scene),
        text="My essay.",
        today=MONDAY,
    )


def test_the_apprentice_submits_a_file_and_the_tutor_marks_it(scene, on, settings, tmp_path):
    private_folder(settings, tmp_path)
    url = reverse("apprenticeships:assignment_submit", args=[scene.enrolment.pk])
    apprentice = _client(scene.apprentice)
    response = apprentice.post(
        url,
        {"assignment": _essay(scene).pk, "file": SimpleUploadedFile("essay.txt", b"My essay\n")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Submission.objects.get()
    assert response["Location"] == reverse("apprenticeships:submission", args=[made.pk])
    page = apprentice.get(response["Location"]).content.decode()
    assert "Monday 7 December 2026" in page
    download = apprentice.get(reverse("apprenticeships:submission_file", args=[made.pk]))
    assert b"".join(download.streaming_content) == b"My essay\n"
    assert download["Content-Disposition"].startswith("attachment")
    tutor = _client(scene.tutor)
    mark_url = reverse("apprenticeships:submission_mark", args=[made.pk])
    response = tutor.post(mark_url, {"grade": Grade.MERIT, "feedback": "Thoughtful."})
    assert response.status_code == 302
    listing = apprentice.get(reverse("apprenticeships:assignments", args=[scene.enrolment.pk]))
    text = listing.content.decode()
    assert "Merit" in text and "Thoughtful." in text
    again = tutor.post(mark_url, {"grade": Grade.FAIL, "feedback": "Second go"})
    assert again.status_code == 200
    assert Submission.objects.get().grade == Grade.MERIT


def test_the_submit_page_refuses_after_the_deadline_naming_the_date(scene, on):
    on(dt.date(2026, 11, 23))
    url = reverse("apprenticeships:assignment_submit", args=[scene.enrolment.pk])
    response = _client(scene.apprentice).post(url, {"assignment": _essay(scene).pk, "text": "x"})
    assert response.status_code == 200
    assert "Friday 20 November 2026" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_progress_page_shows_awaiting_feedback_and_grades(scene, on):
    _submitted(scene)
    page = _client(scene.line_manager).get(
        reverse("apprenticeships:progress", args=[scene.enrolment.pk])
    )
    text = page.content.decode()
    assert 'id="assignments"' in text
    assert "Reflective essay, attempt 1" in text
    assert "Strategy report: Friday 26 March 2027" in text


def test_the_dashboard_flags_late_feedback_from_the_day_after_it_was_due(scene, on):
    made = _submitted(scene)
    url = reverse("apprenticeships:deadlines")
    on(DUE)
    page = _client(scene.tutor).get(url).content.decode()
    assert "No feedback is overdue" in page
    assert reverse("apprenticeships:submission", args=[made.pk]) in page
    on(DUE + dt.timedelta(days=1))
    page = _client(scene.provider).get(url).content.decode()
    assert "1 working day late" in page
    assert "No feedback is due in the next 5 working days" in page


def test_the_dashboard_and_its_api_list_a_submission_due_with_the_apprentice_and_employer(
    scene, on
):
    enrolment = scene.enrolment
    page = _client(scene.tutor).get(reverse("apprenticeships:deadlines")).content.decode()
    due = page[page.index('id="submissions-due"') :]
    assert escape(enrolment.apprentice.full_name) in due and escape(enrolment.employer.name) in due
    assert "Reflective essay" in due
    body = _api(scene.tutor).get(f"{API}/deadlines").json()
    assert body["submissions_due_soon"]["items"][0] | {"due_on": None} == {
        "enrolment": enrolment.pk,
        "reference": enrolment.reference,
        "apprentice": {"id": enrolment.apprentice_id, "name": enrolment.apprentice.full_name},
        "employer": {"id": enrolment.employer_id, "name": enrolment.employer.name},
        "assignment": {"id": _essay(scene).pk, "name": "Reflective essay"},
        "due_on": None,
    }


def test_the_api_and_the_page_give_a_module_without_assignments_as_not_passed(scene, on):
    empty = Module.objects.create(
        programme=scene.enrolment.cohort.programme, order=99, title="Reflection", term="autumn"
    )
    why = "The module has no assignments to pass"
    url = f"{API}/enrolments/{scene.enrolment.pk}/assignments"
    results = _api(scene.apprentice).get(url).json()["module_results"]
    assert results[-1] == {
        "module": {"id": empty.pk, "name": "Reflection"},
        "passed": False,
        "why": why,
    }
    page = _client(scene.apprentice).get(
        reverse("apprenticeships:assignments", args=[scene.enrolment.pk])
    )
    assert why in page.content.decode()


def test_the_dashboard_is_refused_to_the_employer(scene, on):
    assert _client(scene.employer).get(reverse("apprenticeships:deadlines")).status_code == 403


def _queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_dashboard_makes_the_same_queries_for_more_apprentices(scene, on):
    client = _client(scene.provider)
    url = reverse("apprenticeships:deadlines")
    _submitted(scene)
    on(DUE + dt.timedelta(days=1))
    few = _queries(client, url)
    for _ in range(3):
        other = EnrolmentFactory(cohort=scene.enrolment.cohort, status=EnrolmentStatus.ACTIVE)
        Submission.objects.create(
            enrolment=other,
            provider=other.provider,
            assignment=_essay(scene),
            submitted_on=MONDAY,
            text="Essay",
            feedback_due_on=DUE,
            created_by=other.apprentice,
        )
    assert _queries(client, url) == few


def test_the_dashboard_makes_the_same_queries_with_nothing_overdue(scene, on):
    client = _client(scene.provider)
    url = reverse("apprenticeships:deadlines")
    on(DUE + dt.timedelta(days=1))
    empty = _queries(client, url)
    _submitted(scene)
    assert "1 working day late" in client.get(url).content.decode()
    assert _queries(client, url) == empty


def test_the_dashboard_horizon_reads_on_past_a_closure_of_weeks(scene):
    provider = scene.provider.organisation
    closed = [MONDAY + dt.timedelta(days=n) for n in range(1, 61)]  # to Friday 15 January 2027
    ClosureDay.objects.bulk_create(
        ClosureDay(provider=provider, on=day, reason="Closed", added_by=scene.provider.person)
        for day in closed
    )
    found = deadline_dashboard.dashboard(scene.provider, MONDAY)
    # Monday 18 to Friday 22 January: the five working days after the closure.
    assert found.horizon == dt.date(2027, 1, 22)


def test_the_api_takes_a_file_and_a_refused_file_names_the_field_and_stores_nothing(
    scene, on, settings, tmp_path
):
    private_folder(settings, tmp_path)
    url = f"{API}/enrolments/{scene.enrolment.pk}/submissions/file"
    essay = _essay(scene).pk
    refused = _api(scene.apprentice).post(
        url, {"assignment": essay, "file": SimpleUploadedFile("essay.png", b"My essay\n")}
    )
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("file (body): ")
    assert not Submission.objects.exists()
    not_theirs = _api(scene.tutor).post(
        url, {"assignment": essay, "file": SimpleUploadedFile("essay.txt", b"My essay\n")}
    )
    assert not_theirs.status_code == 403
    made = _api(scene.apprentice).post(
        url,
        {
            "assignment": essay,
            "text": "My essay is attached.",
            "file": SimpleUploadedFile("essay.txt", b"My essay\n"),
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["file_name"], body["size_bytes"], body["text"]) == (
        "essay.txt",
        9,
        "My essay is attached.",
    )
    assert body["feedback_due_on"] == "2026-12-07"


def test_the_api_submits_marks_and_shows_the_dashboard(scene, on):
    url = f"{API}/enrolments/{scene.enrolment.pk}/submissions"
    body = {"assignment": _essay(scene).pk, "text": "My essay."}
    refused = _api(scene.tutor).post(url, body, content_type="application/json")
    assert refused.status_code == 403
    made = _api(scene.apprentice).post(url, body, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["feedback_due_on"] == "2026-12-07"
    again = _api(scene.apprentice).post(url, body, content_type="application/json")
    assert again.status_code == 422
    assert "awaiting feedback" in again.json()["detail"]
    on(DUE + dt.timedelta(days=1))
    dashboard = _api(scene.provider).get(f"{API}/deadlines")
    assert dashboard.status_code == 200
    overdue = dashboard.json()["feedback_overdue"]["items"]
    assert [(row["submission"], row["working_days_late"]) for row in overdue] == [
        (made.json()["id"], 1)
    ]
    mark = f"{API}/submissions/{made.json()['id']}/mark"
    marked = _api(scene.tutor).post(
        mark, {"grade": "pass", "feedback": "Good."}, content_type="application/json"
    )
    assert marked.status_code == 200, marked.content
    assert marked.json()["feedback_state"] == "marked_late"
    twice = _api(scene.provider).post(
        mark, {"grade": "fail", "feedback": "No."}, content_type="application/json"
    )
    assert twice.status_code == 409
    listing = _api(scene.line_manager).get(f"{API}/enrolments/{scene.enrolment.pk}/assignments")
    assert listing.json()["module_results"][0]["passed"] is True
