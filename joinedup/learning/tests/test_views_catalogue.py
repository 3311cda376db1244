"""The catalogue page: what each persona sees, search and filters, places and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.learning.catalogue import PAGE_SIZE, RUNS_SHOWN
from joinedup.learning.models import DeliveryMode, ProgrammeKind, SharingPolicy
from joinedup.learning.tests.factories import ProgrammeFactory, RunFactory, SessionFactory

URL = reverse("learning:catalogue")


def _run(host, title: str, **programme) -> object:
    run = RunFactory(programme__host=host, programme__title=title, **programme)
    SessionFactory(run=run)
    return run


def test_own_staff_see_their_organisations_programmes_with_places_they_can_book(world, client_for):
    run = _run(world.own, "Safeguarding adults", capacity=12)
    response = client_for("own_staff").get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Safeguarding adults" in page
    assert f"Open to {world.own.name} staff." in page
    assert reverse("learning:run", args=[run.pk]) in page


def test_partner_staff_are_told_when_places_open_to_partners(world, client_for):
    run = _run(world.own, "Safeguarding adults")
    response = client_for("partner_staff").get(URL)
    opens = f"{timezone.localtime(run.cut_off_at):%-d %B %Y}"
    assert f"Open to partners from {opens}" in response.content.decode()


def test_programmes_kept_for_own_staff_are_not_listed_for_partners(world, client_for):
    _run(world.own, "Internal induction", programme__sharing_policy=SharingPolicy.OWN_ONLY)
    assert "Internal induction" not in client_for("partner_staff").get(URL).content.decode()
    assert "Internal induction" in client_for("own_staff").get(URL).content.decode()


def test_an_outsider_never_sees_another_partnerships_programmes(world, client_for):
    _run(world.own, "Safeguarding adults")
    assert "Safeguarding adults" not in client_for("outsider").get(URL).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(world, client_for):
    response = client_for("anonymous").get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_search_matches_words_in_the_title_or_summary(world, client_for):
    ProgrammeFactory(host=world.own, title="Coaching skills", summary="For new managers")
    ProgrammeFactory(host=world.own, title="Fire safety", summary="Annual refresher")
    page = client_for("own_staff").get(URL, {"q": "managers"}).content.decode()
    assert "Coaching skills" in page
    assert "Fire safety" not in page


def test_filters_narrow_by_kind_mode_and_host(world, client_for):
    ProgrammeFactory(
        host=world.own,
        title="Online workshop",
        kind=ProgrammeKind.WORKSHOP,
        delivery_mode=DeliveryMode.ONLINE,
    )
    ProgrammeFactory(
        host=world.partner,
        title="Partner workshop",
        kind=ProgrammeKind.WORKSHOP,
        delivery_mode=DeliveryMode.ONLINE,
    )
    ProgrammeFactory(host=world.own, title="Classroom course")
    filters = {"kind": "workshop", "mode": "online", "host": str(world.own.pk)}
    page = client_for("own_staff").get(URL, filters).content.decode()
    assert "Online workshop" in page
    assert "Partner workshop" not in page
    assert "Classroom course" not in page


def test_a_bad_filter_is_named_in_the_error_summary_not_a_server_error(world, client_for):
    response = client_for("own_staff").get(URL, {"kind": "juggling", "host": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a kind of programme from the list" in page
    assert "Choose a host organisation from the list" in page


def test_past_runs_are_not_shown_as_upcoming(world, client_for):
    run = RunFactory(programme__host=world.own, programme__title="Old course")
    SessionFactory(run=run, date=timezone.localdate() - dt.timedelta(days=3))
    page = client_for("own_staff").get(URL).content.decode()
    assert "Old course" in page
    assert reverse("learning:run", args=[run.pk]) not in page


def test_the_catalogue_shows_the_next_runs_and_links_to_the_programme_for_the_rest(
    world, client_for
):
    programme = ProgrammeFactory(host=world.own, title="Busy course")
    runs = []
    for week in range(RUNS_SHOWN + 1):
        run = RunFactory(
            programme=programme, cut_off_at=timezone.now() + dt.timedelta(weeks=week + 1)
        )
        SessionFactory(run=run, date=timezone.localdate() + dt.timedelta(weeks=week + 2))
        runs.append(run)
    page = client_for("own_staff").get(URL).content.decode()
    for run in runs[:RUNS_SHOWN]:
        assert reverse("learning:run", args=[run.pk]) in page
    assert reverse("learning:run", args=[runs[-1].pk]) not in page
    first_day = timezone.localdate() + dt.timedelta(weeks=2)
    assert f"{first_day:%-d %B %Y}" in page
    assert 'See all upcoming runs<span class="govuk-visually-hidden"> of Busy course' in page
    assert f'href="{reverse("learning:programme", args=[programme.pk])}"' in page


def test_a_programme_with_few_runs_has_no_link_to_see_them_all(world, client_for):
    _run(world.own, "Quiet course")
    assert "See all upcoming runs" not in client_for("own_staff").get(URL).content.decode()


def test_the_catalogue_is_paginated(world, client_for):
    for number in range(PAGE_SIZE + 1):
        ProgrammeFactory(host=world.own, title=f"Course {number:03}")
    client = client_for("own_staff")
    first = client.get(URL).content.decode()
    assert "Course 000" in first
    assert f"Course {PAGE_SIZE:03}" not in first
    assert 'rel="next"' in first


@pytest.mark.parametrize("persona", ["own_staff", "partner_staff"])
def test_the_catalogue_takes_the_same_number_of_queries_however_many_rows(
    world, client_for, persona
):
    client = client_for(persona)

    def add(count: int) -> None:
        for _ in range(count):
            programme = ProgrammeFactory(
                host=world.own, sharing_policy=SharingPolicy.PARTNERS_FROM_START
            )
            for _ in range(2):
                run = RunFactory(programme=programme, partner_cap=3)
                SessionFactory(run=run)

    add(1)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    add(6)
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL)
    assert response.content.decode().count('href="/learning/runs/') == 14
    assert len(large) == len(small)
