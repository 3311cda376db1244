"""The catalogue's topic, date range and "has places I can book" filters, for each viewer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.learning.catalogue import filter_choices
from joinedup.learning.models import RunOrganisationShare, SharingPolicy
from joinedup.learning.tests.factories import (
    ProgrammeFactory,
    RunFactory,
    SessionFactory,
    TopicFactory,
)

URL = reverse("learning:catalogue")
BOOKABLE = {"bookable": "on"}


def _run(host, title: str, *, on: dt.date | None = None, **fields) -> object:
    run = RunFactory(programme__host=host, programme__title=title, **fields)
    SessionFactory(run=run, date=on or timezone.localdate() + dt.timedelta(days=28))
    return run


def _dates(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _page(client, params: dict) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_topic_filter_lists_only_programmes_with_that_topic(world, client_for):
    safeguarding, finance = TopicFactory(name="Safeguarding"), TopicFactory(name="Finance")
    _run(world.own, "Safeguarding adults", programme__topics=[safeguarding])
    _run(world.own, "Budget basics", programme__topics=[finance])
    page = _page(client_for("own_staff"), {"topic": str(safeguarding.pk)})
    assert "Safeguarding adults" in page
    assert "Budget basics" not in page


def test_the_topic_filter_never_shows_an_outsider_another_partnerships_programme(world, client_for):
    topic = TopicFactory(name="Safeguarding")
    _run(world.own, "Safeguarding adults", programme__topics=[topic])
    page = _page(client_for("outsider"), {"topic": str(topic.pk)})
    assert "Safeguarding adults" not in page
    assert "No programmes match your search and filters." in page


def test_an_unknown_topic_is_named_in_the_error_summary(world, client_for):
    page = _page(client_for("own_staff"), {"topic": "999999"})
    assert "Choose a topic from the list" in page


def test_the_date_range_lists_runs_with_a_session_between_the_dates(world, client_for):
    today = timezone.localdate()
    march = _run(world.own, "Spring course", on=today + dt.timedelta(days=40))
    _run(world.own, "Summer course", on=today + dt.timedelta(days=120))
    later = RunFactory(programme=march.programme)
    SessionFactory(run=later, date=today + dt.timedelta(days=200))
    params = _dates("date_from", today + dt.timedelta(days=30)) | _dates(
        "date_to", today + dt.timedelta(days=50)
    )
    page = _page(client_for("own_staff"), params)
    assert "Spring course" in page
    assert "Summer course" not in page
    # Only the runs in the range are shown under the programme.
    assert reverse("learning:run", args=[march.pk]) in page
    assert reverse("learning:run", args=[later.pk]) not in page


def test_the_date_range_may_be_open_at_either_end(world, client_for):
    today = timezone.localdate()
    _run(world.own, "Soon course", on=today + dt.timedelta(days=10))
    _run(world.own, "Later course", on=today + dt.timedelta(days=100))
    client = client_for("own_staff")
    after = _page(client, _dates("date_from", today + dt.timedelta(days=50)))
    assert "Later course" in after
    assert "Soon course" not in after
    before = _page(client, _dates("date_to", today + dt.timedelta(days=50)))
    assert "Soon course" in before
    assert "Later course" not in before


def test_a_date_that_is_not_real_is_named_in_the_error_summary(world, client_for):
    page = _page(
        client_for("own_staff"),
        {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2027"},
    )
    assert "From date must be a real date" in page
    assert 'href="#id_date_from_0"' in page


def test_a_date_missing_a_part_says_which_part(world, client_for):
    page = _page(client_for("own_staff"), {"date_to_day": "3", "date_to_year": "2027"})
    assert "To date must include a month" in page


def test_a_from_date_after_the_to_date_is_an_error_on_the_to_date(world, client_for):
    _run(world.own, "Safeguarding adults")
    today = timezone.localdate()
    params = _dates("date_from", today + dt.timedelta(days=50)) | _dates(
        "date_to", today + dt.timedelta(days=10)
    )
    page = _page(client_for("own_staff"), params)
    assert "To date must be the same as or after the from date" in page
    assert 'href="#id_date_to_0"' in page


def test_the_date_range_never_shows_an_outsider_another_partnerships_programme(world, client_for):
    today = timezone.localdate()
    _run(world.own, "Safeguarding adults", on=today + dt.timedelta(days=20))
    params = _dates("date_from", today) | _dates("date_to", today + dt.timedelta(days=60))
    assert "Safeguarding adults" not in _page(client_for("outsider"), params)


def test_own_staff_can_book_any_free_place_on_their_organisations_runs(world, client_for):
    _run(world.own, "Free course", capacity=5, places_taken=4)
    _run(world.own, "Full course", capacity=5, places_taken=5)
    page = _page(client_for("own_staff"), BOOKABLE)
    assert "Free course" in page
    assert "Full course" not in page


def test_partners_have_places_only_once_released_or_from_the_start(world, client_for):
    _run(world.own, "Not yet released")
    _run(world.own, "Released course", released_at=timezone.now())
    _run(
        world.own,
        "Open from the start",
        programme__sharing_policy=SharingPolicy.PARTNERS_FROM_START,
    )
    page = _page(client_for("partner_staff"), BOOKABLE)
    assert "Released course" in page
    assert "Open from the start" in page
    assert "Not yet released" not in page
    # The host's own staff can book all three.
    own = _page(client_for("own_staff"), BOOKABLE)
    assert all(title in own for title in ("Not yet released", "Released course"))


def test_a_partner_at_its_cap_has_no_places_to_book(world, client_for):
    open_policy = SharingPolicy.PARTNERS_FROM_START
    capped = _run(
        world.own, "Capped course", partner_cap=2, places_taken=2,
        programme__sharing_policy=open_policy,
    )  # fmt: skip
    RunOrganisationShare.objects.create(
        run=capped, organisation=world.partner, cap=2, places_taken=2
    )
    _run(world.own, "Under the cap", partner_cap=2, programme__sharing_policy=open_policy)
    page = _page(client_for("partner_staff"), BOOKABLE)
    assert "Under the cap" in page
    assert "Capped course" not in page
    # Another partner's staff are not held back by this partner's share.
    assert "Capped course" in _page(client_for("own_staff"), BOOKABLE)


def test_runs_whose_bookings_closed_or_were_cancelled_have_no_places(world, client_for):
    now = timezone.now()
    _run(world.own, "Closed course", bookings_close_at=now - dt.timedelta(hours=1))
    _run(world.own, "Cancelled course", cancelled_at=now)
    _run(world.own, "Open course")
    page = _page(client_for("own_staff"), BOOKABLE)
    assert "Open course" in page
    assert "Closed course" not in page
    assert "Cancelled course" not in page


def test_an_outsider_has_no_places_on_another_partnerships_runs(world, client_for):
    _run(
        world.own,
        "Open from the start",
        programme__sharing_policy=SharingPolicy.PARTNERS_FROM_START,
    )
    assert "Open from the start" not in _page(client_for("outsider"), BOOKABLE)


def test_filters_are_kept_in_the_pagination_links(world, client_for):
    for number in range(21):
        _run(world.own, f"Course {number:03}")
    page = _page(client_for("own_staff"), BOOKABLE)
    assert "bookable=on" in page.split('rel="next"')[0].rsplit("href=", 1)[1]


@pytest.mark.parametrize("persona", ["own_staff", "partner_staff"])
def test_the_filtered_catalogue_takes_the_same_number_of_queries_however_many_rows(
    world, client_for, persona
):
    client = client_for(persona)
    topic = TopicFactory()
    today = timezone.localdate()
    params = (
        {"topic": str(topic.pk), **BOOKABLE}
        | _dates("date_from", today)
        | _dates("date_to", today + dt.timedelta(days=60))
    )

    def add(count: int) -> None:
        for _ in range(count):
            programme = ProgrammeFactory(
                host=world.own, sharing_policy=SharingPolicy.PARTNERS_FROM_START, topics=[topic]
            )
            for _ in range(2):
                run = RunFactory(programme=programme, partner_cap=3)
                SessionFactory(run=run)

    add(1)
    client.get(URL, params)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, params)
    add(6)
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL, params)
    assert response.content.decode().count('href="/learning/runs/') == 14
    assert len(large) == len(small)


def test_the_host_choices_are_the_own_and_partner_organisations_and_topics_are_all(world):
    finance, law = TopicFactory(name="Finance"), TopicFactory(name="Law")
    choices = filter_choices(world.actor("partner_staff"))
    assert choices.hosts == sorted(
        [(org.pk, org.name) for org in (world.own, world.partner, world.icb)],
        key=lambda choice: choice[1],
    )
    assert choices.topics == [(finance.pk, "Finance"), (law.pk, "Law")]
    outsider = filter_choices(world.actor("outsider"))
    assert outsider.hosts == [(world.outsider_org.pk, world.outsider_org.name)]
