"""Progress review pages and API through HTTP: the enrolment's list with each state, recording,
signing in turn with the refusal on the page, "Reviews due", the progress page's section, and
the API's list, record and sign."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.apprenticeships import reviews
from joinedup.apprenticeships.models import EnrolmentStatus, ProgressReview
from joinedup.partnership import services
from joinedup.partnership.actor import Actor
from joinedup.partnership.tests.api_helpers import bearer

from .statement_scene import Scene, build_scene

RECORD = {
    "held_on_day": "24",
    "held_on_month": "11",
    "held_on_year": "2026",
    "progress": "Module 1 passed",
    "actions": "Scope the project",
    "off_the_job_check": "On track: 40 hours logged",
}


@pytest.fixture
def scene(db) -> Scene:
    made = build_scene(status=EnrolmentStatus.ACTIVE)
    reviews.schedule(made.enrolment)
    return made


def client_of(actor: Actor) -> Client:
    client = Client()
    client.force_login(actor.person, backend="joinedup.partnership.auth.EmailBackend")
    return client


def first(scene: Scene) -> ProgressReview:
    return scene.enrolment.reviews.get(number=1)


def test_the_tutor_records_and_the_three_sign_in_turn_on_the_pages(scene):
    review = first(scene)
    url = reverse("apprenticeships:record_review", args=[review.pk])
    response = client_of(scene.tutor).post(url, {**RECORD, "off_the_job_check": ""})
    assert "Enter the off-the-job check" in response.content.decode()
    response = client_of(scene.tutor).post(url, RECORD)
    assert response.status_code == 302
    sign = reverse("apprenticeships:sign_review", args=[review.pk])
    early = client_of(scene.line_manager).post(sign, {"agree": "on"})
    assert "It is not your turn to sign review 1 yet: the apprentice signs next" in (
        early.content.decode()
    )
    for actor in (scene.apprentice, scene.line_manager, scene.tutor):
        assert client_of(actor).post(sign, {"agree": "on"}).status_code == 302
    page = client_of(scene.employer).get(reverse("apprenticeships:review", args=[review.pk]))
    assert "Signed by all three" in page.content.decode()


def test_the_list_shows_an_overdue_review_in_red_and_whose_turn_it_is(scene):
    reviews.record(
        actor=scene.tutor,
        review=first(scene),
        held_on=dt.date(2026, 11, 24),
        progress="p",
        actions="a",
        off_the_job_check="o",
    )
    ProgressReview.objects.filter(enrolment=scene.enrolment, number=2).update(
        due_on=reviews.today() - dt.timedelta(days=1)
    )
    url = reverse("apprenticeships:reviews", args=[scene.enrolment.pk])
    page = client_of(scene.line_manager).get(url).content.decode()
    assert "Recorded: waiting for the apprentice to sign" in page
    assert 'govuk-tag--red">Overdue' in page
    assert client_of(scene.outsider).get(url).status_code == 404


def test_reviews_due_and_the_progress_section_show_the_overdue_review(scene):
    ProgressReview.objects.filter(enrolment=scene.enrolment, number=1).update(
        due_on=reviews.today() - dt.timedelta(days=2)
    )
    due = client_of(scene.employer).get(reverse("apprenticeships:reviews_due")).content.decode()
    assert "Amara Okafor" in due and "Overdue" in due
    nobody = client_of(scene.outsider).get(reverse("apprenticeships:reviews_due"))
    assert "No reviews are due" in nobody.content.decode()
    progress = reverse("apprenticeships:progress", args=[scene.enrolment.pk])
    section = client_of(scene.tutor).get(progress).content.decode()
    assert "1 overdue" in section


def test_the_api_lists_records_and_signs_in_turn(scene):
    base = f"/api/v1/apprenticeships/enrolments/{scene.enrolment.pk}/reviews"

    def call(actor: Actor, method: str, path: str = "", body: dict | None = None):
        client = bearer(services.create_personal_token(actor=actor, name="Tests")[1])
        if method == "get":
            return client.get(base + path)
        return client.post(base + path, body or {}, content_type="application/json")

    listed = call(scene.apprentice, "get").json()["items"]
    assert [item["number"] for item in listed[:2]] == [1, 2]
    assert (
        call(
            scene.line_manager,
            "post",
            "/1/record",
            {"held_on": "2026-11-24", "progress": "p", "actions": "a", "off_the_job_check": "o"},
        ).status_code
        == 403
    )
    recorded = call(
        scene.tutor,
        "post",
        "/1/record",
        {"held_on": "2026-11-24", "progress": "p", "actions": "a", "off_the_job_check": "o"},
    )
    assert recorded.status_code == 200
    assert recorded.json()["next_to_sign"] == "apprentice"
    early = call(scene.tutor, "post", "/1/sign")
    assert early.status_code == 409
    assert "the apprentice signs next" in early.json()["detail"]
    assert call(scene.apprentice, "post", "/1/sign").json()["next_to_sign"] == "line_manager"


def test_the_api_lists_the_callers_reviews_due(scene):
    def due(actor: Actor) -> list[dict]:
        client = bearer(services.create_personal_token(actor=actor, name="Tests")[1])
        response = client.get("/api/v1/apprenticeships/reviews/due")
        assert response.status_code == 200, response.content
        return response.json()["items"]

    review = first(scene)
    assert review.due_on < reviews.today()  # the scene's first review is overdue
    for actor in (scene.tutor, scene.employer, scene.provider):
        [item] = due(actor)
        assert (item["enrolment"], item["number"], item["state"]) == (
            scene.enrolment.pk,
            1,
            "overdue",
        )
        assert item["apprentice"] == scene.enrolment.apprentice.full_name
        assert item["employer"] == scene.enrolment.employer.name
    for actor in (scene.line_manager, scene.apprentice, scene.outsider):
        assert due(actor) == []
