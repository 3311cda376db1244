"""The learning API: programmes, runs, bookings, waiting lists, and the recharge statement."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.learning import access, services
from joinedup.learning.models import (
    Booking,
    BookingStatus,
    CatalogueTerm,
    DeliveryMode,
    ProgrammeKind,
    Run,
    Topic,
)
from joinedup.learning.models import SharingPolicy as Policy
from joinedup.learning.tests.factories import (
    ProgrammeFactory,
    RunFactory,
    SessionFactory,
    TopicFactory,
)
from joinedup.lib.keyset import encode_cursor
from joinedup.partnership.actor import Actor
from joinedup.partnership.services import post_recharge
from joinedup.partnership.tests.api_helpers import (
    API,
    api_client,
    api_queries,
    ids,
    organisation_client,
)
from joinedup.partnership.tests.factories import EmploymentFactory

LEARNING = f"{API}/learning"


def _run(host, *, days: int = 28, title: str = "Safeguarding adults", **fields):
    """A run of a new programme hosted by `host`, with one session `days` from today."""
    programme_fields = {
        key[len("programme__") :]: fields.pop(key)
        for key in list(fields)
        if key.startswith("programme__")
    }
    programme = ProgrammeFactory(host=host, title=title, **programme_fields)
    run = RunFactory(programme=programme, **fields)
    SessionFactory(run=run, date=timezone.localdate() + dt.timedelta(days=days))
    return run


def _book(world, persona: str, run) -> Booking:
    return services.book_place(actor=world.actor(persona), run=run, person=world.person(persona))


def _walk(client, url: str, params: dict | None = None) -> list[int]:
    """Every id of a list, following the `next` cursors."""
    seen, cursor = [], None
    for _ in range(50):
        response = client.get(url, {**(params or {}), **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.content
        seen += ids(response)
        cursor = response.json()["next"]
        if cursor is None:
            return seen
    raise AssertionError("the cursor never ran out")


# --- Programmes ------------------------------------------------------------------------------


def test_programmes_list_shows_own_and_partners_shared_programmes_not_outsiders(world):
    own = _run(world.own, title="Own course").programme
    partner = _run(world.partner, title="Partner course").programme
    kept = _run(world.partner, programme__sharing_policy=Policy.OWN_ONLY).programme
    outsider = _run(world.outsider_org, title="Outsider course").programme
    listed = _walk(api_client(world, "own_staff"), f"{LEARNING}/programmes")
    assert own.pk in listed
    assert partner.pk in listed
    assert kept.pk not in listed
    assert outsider.pk not in listed


def test_programmes_list_shows_each_runs_places_and_why(world):
    run = _run(world.own, capacity=5)
    items = api_client(world, "partner_staff").get(f"{LEARNING}/programmes").json()["items"]
    (listed,) = [item for item in items if item["id"] == run.programme.pk]
    (listed_run,) = listed["runs"]
    assert listed_run["id"] == run.pk
    assert listed_run["places"]["count"] == 0
    assert listed_run["places"]["reason"].startswith("Open to partners from")
    own_items = api_client(world, "own_staff").get(f"{LEARNING}/programmes").json()["items"]
    assert own_items[0]["runs"][0]["places"] == {
        "count": 5,
        "reason": f"Open to {world.own.name} staff.",
    }


def test_programmes_list_filters_by_words_kind_mode_host_and_topic(world):
    topic = TopicFactory(name="Mental health")
    wanted = _run(
        world.partner,
        title="Trauma-informed practice",
        programme__kind=ProgrammeKind.WORKSHOP,
        programme__delivery_mode=DeliveryMode.ONLINE,
        programme__topics=[topic],
    ).programme
    _run(world.partner, title="Trauma in teams", programme__kind=ProgrammeKind.COURSE)
    _run(world.own, title="Trauma-informed leadership", programme__kind=ProgrammeKind.WORKSHOP)
    client = api_client(world, "own_staff")
    params = {"q": "trauma", "kind": "workshop", "mode": "online", "host": world.partner.pk}
    assert ids(client.get(f"{LEARNING}/programmes", params)) == [wanted.pk]
    assert ids(client.get(f"{LEARNING}/programmes", {"topic": topic.pk})) == [wanted.pk]
    listed = client.get(f"{LEARNING}/programmes", {"topic": topic.pk}).json()["items"][0]
    assert listed["topics"] == [{"id": topic.pk, "name": "Mental health"}]


def test_programmes_list_filters_by_start_dates_and_shows_only_matching_runs(world):
    soon = _run(world.own, days=10, title="Soon")
    later_programme = soon.programme
    later = RunFactory(programme=later_programme)
    SessionFactory(run=later, date=timezone.localdate() + dt.timedelta(days=60))
    _run(world.own, days=90, title="Much later")
    today = timezone.localdate()
    response = api_client(world, "own_staff").get(
        f"{LEARNING}/programmes",
        {
            "starts_after": (today + dt.timedelta(days=30)).isoformat(),
            "starts_before": (today + dt.timedelta(days=70)).isoformat(),
        },
    )
    (item,) = response.json()["items"]
    assert item["id"] == later_programme.pk
    assert [run["id"] for run in item["runs"]] == [later.pk]


def test_programmes_with_places_are_those_the_caller_can_book_now(world):
    released = _run(world.own, title="Released", released_at=timezone.now())
    from_start = _run(
        world.own, title="From the start", programme__sharing_policy=Policy.PARTNERS_FROM_START
    )
    _run(world.own, title="Not yet released")
    _run(
        world.own,
        title="Full",
        capacity=1,
        places_taken=1,
        programme__sharing_policy=Policy.PARTNERS_FROM_START,
    )
    client = api_client(world, "partner_staff")
    listed = ids(client.get(f"{LEARNING}/programmes", {"has_places": "true"}))
    assert listed == [from_start.programme.pk, released.programme.pk]
    assert len(ids(client.get(f"{LEARNING}/programmes"))) == 4


def test_programmes_list_pages_by_title_with_a_cursor(world):
    made = [_run(world.own, title=f"Course {n:02}").programme.pk for n in range(7)]
    assert _walk(api_client(world, "own_staff"), f"{LEARNING}/programmes", {"limit": 3}) == made


def test_programmes_list_makes_the_same_number_of_queries_for_more_rows(world):
    client = api_client(world, "partner_staff")
    url = f"{LEARNING}/programmes?limit=50"
    _run(world.own, programme__sharing_policy=Policy.PARTNERS_FROM_START).programme.topics.add(
        TopicFactory()
    )
    few = api_queries(client, url)
    for n in range(6):
        run = _run(world.own, title=f"More {n}", released_at=timezone.now())
        run.programme.topics.add(TopicFactory())
        SessionFactory(run=run)
    assert api_queries(client, url) == few


# The searches and topics the list answered before it searched through the catalogue's terms.
SEARCHED = (
    ("Safeguarding adults", "Know the signs of abuse.", "Safeguarding"),
    ("Safeguarding children", "", "Safeguarding"),
    ("Guardianship and the law", "Court of Protection basics.", "Law"),
    ("Coaching skills", "For new managers: safe-guarding your team's time.", None),
    ("Trauma-informed practice", "Working with people who have experienced trauma.", None),
    ("Fire safety", "Annual refresher; SAFE exits.", "Law"),
)
SEARCHES = (
    "",
    "safeguarding",
    "SAFEGUARDING",
    "guard",
    "safe",
    "safeguarding adults",
    "trauma-informed",
    "manag",
    "protection basics.",
    "refresher; safe",
    "law",
    "nothing like it",
    "-",
    "s",
)


def _searched(world) -> dict[str | None, int]:
    """The programmes of `SEARCHED` (a partner's, shared from the start), and their topics' ids."""
    topics = {None: None}
    for title, summary, topic in SEARCHED:
        if topic not in topics:
            topics[topic] = TopicFactory(name=topic).pk
        _run(
            world.partner,
            title=title,
            programme__summary=summary,
            programme__sharing_policy=Policy.PARTNERS_FROM_START,
            programme__topics=[Topic.objects.get(pk=topics[topic])] if topic else [],
        )
    return topics


def _as_before(actor: Actor, search: str, topic: int | None) -> list[int]:
    """The programmes the list gave when it matched the text and the topics' own table."""
    found = access.visible_programmes(actor).filter(
        Q(title__icontains=search) | Q(summary__icontains=search)
    )
    if topic is not None:
        found = found.filter(topics=topic)
    return list(found.order_by("title", "id").values_list("pk", flat=True))


@pytest.mark.parametrize("topic", [None, "Safeguarding", "Law"])
@pytest.mark.parametrize("search", SEARCHES)
def test_programmes_list_finds_what_it_found_before_searching_the_terms(world, search, topic):
    topic_id = _searched(world)[topic]
    params = {"q": search, "limit": 2, **({"topic": topic_id} if topic_id else {})}
    listed = _walk(api_client(world, "own_staff"), f"{LEARNING}/programmes", params)
    assert listed == _as_before(world.actor("own_staff"), search, topic_id)


@pytest.mark.parametrize(("search", "topic"), [("safe", None), ("guard", "Law"), ("law", None)])
def test_runs_list_finds_the_runs_of_the_programmes_it_found_before(world, search, topic):
    topic_id = _searched(world)[topic]
    params = {"q": search, **({"topic": topic_id} if topic_id else {})}
    listed = _walk(api_client(world, "own_staff"), f"{LEARNING}/runs", params)
    before = _as_before(world.actor("own_staff"), search, topic_id)
    assert sorted(listed) == sorted(
        Run.objects.filter(programme__in=before).values_list("pk", flat=True)
    )
    assert listed


def test_programmes_list_walks_the_catalogue_terms_for_a_word_and_a_topic(world):
    topic = TopicFactory(name="Safeguarding")
    _run(world.own, title="Safeguarding adults", programme__topics=[topic])
    client = api_client(world, "own_staff")
    for params in ({"q": "safeguarding"}, {"topic": topic.pk}):
        url = f"{LEARNING}/programmes?{urlencode(params)}"
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert len(ids(client.get(url))) == 1
        sql = " ".join(query["sql"] for query in captured).lower()
        assert CatalogueTerm._meta.db_table in sql
        assert re.search(r'"summary"(::text)?\)? like', sql) is None
        assert re.search(r'"topic_id" = \d', sql) is None


@pytest.mark.parametrize(
    "params",
    [{"q": "safeguarding"}, {"q": "safe"}, {"q": "safeguarding adults"}, {"topic": "topic"}],
)
def test_a_searched_programmes_list_makes_the_same_number_of_queries_for_more_rows(world, params):
    topic = TopicFactory(name="Safeguarding")
    params = {**params, "limit": 50, **({"topic": topic.pk} if "topic" in params else {})}
    url = f"{LEARNING}/programmes?{urlencode(params)}"
    client = api_client(world, "partner_staff")
    shared = {"programme__sharing_policy": Policy.PARTNERS_FROM_START, "programme__topics": [topic]}
    _run(world.own, title="Safeguarding adults", **shared)
    few = api_queries(client, url)
    for n in range(6):
        SessionFactory(run=_run(world.own, title=f"Safeguarding adults {n}", **shared))
    assert api_queries(client, url) == few
    assert len(ids(client.get(url))) == 7


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "juggling"}, "kind (query)"),
        ({"mode": "telepathy"}, "mode (query)"),
        ({"host": "barnet"}, "host (query)"),
        ({"starts_after": "next week"}, "starts_after (query)"),
        ({"has_places": "perhaps"}, "has_places (query)"),
        ({"limit": "0"}, "limit (query)"),
        ({"cursor": "not-a-cursor"}, "cursor (query)"),
        ({"starts_after": "2026-06-02", "starts_before": "2026-06-01"}, "starts_before (query)"),
    ],
)
def test_bad_programme_filters_are_a_422_naming_the_field(world, params, field):
    response = api_client(world, "own_staff").get(f"{LEARNING}/programmes", params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(field)


def test_programme_detail_shows_the_programme_and_its_upcoming_runs(world):
    run = _run(world.own, capacity=8)
    past = RunFactory(programme=run.programme)
    SessionFactory(run=past, date=timezone.localdate() - dt.timedelta(days=3))
    response = api_client(world, "own_staff").get(f"{LEARNING}/programmes/{run.programme.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Safeguarding adults"
    assert body["host"] == {"id": world.own.pk, "name": world.own.name}
    assert body["partner_price"] == "150.00"
    assert [listed["id"] for listed in body["runs"]] == [run.pk]
    assert body["runs"][0]["sessions"][0]["venue"].startswith("Barnet House")


def test_another_partnerships_programme_is_a_404(world):
    run = _run(world.outsider_org)
    response = api_client(world, "own_staff").get(f"{LEARNING}/programmes/{run.programme.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such programme"}


# --- Runs ------------------------------------------------------------------------------------


def test_runs_list_shows_upcoming_runs_the_caller_can_see(world):
    own = _run(world.own, days=10)
    partner = _run(world.partner, days=20)
    _run(world.outsider_org)
    ended = _run(world.own, days=-5)
    client = api_client(world, "own_staff")
    assert _walk(client, f"{LEARNING}/runs", {"limit": 1}) == [own.pk, partner.pk]
    assert ended.pk in _walk(client, f"{LEARNING}/runs", {"ended": "true"})


def test_runs_list_filters_by_programme_and_places(world):
    run = _run(world.own, programme__sharing_policy=Policy.PARTNERS_FROM_START)
    other = RunFactory(programme=run.programme, capacity=1, places_taken=1)
    SessionFactory(run=other)
    _run(world.own)
    client = api_client(world, "partner_staff")
    params = {"programme": run.programme.pk}
    assert sorted(ids(client.get(f"{LEARNING}/runs", params))) == sorted([run.pk, other.pk])
    params["has_places"] = "true"
    assert ids(client.get(f"{LEARNING}/runs", params)) == [run.pk]
    item = client.get(f"{LEARNING}/runs", params).json()["items"][0]
    assert item["programme"]["id"] == run.programme.pk
    assert item["places"] == {"count": 10, "reason": "Open to partners."}


def test_runs_list_makes_the_same_number_of_queries_for_more_rows(world):
    client = api_client(world, "own_staff")
    url = f"{LEARNING}/runs?limit=50"
    _run(world.own)
    few = api_queries(client, url)
    for n in range(6):
        _run(world.partner, title=f"More {n}", released_at=timezone.now())
    assert api_queries(client, url) == few


def test_a_tampered_run_cursor_is_a_422_not_a_crash(world):
    for values in (["not a time", 1], ["2026-01-01 10:00:00", 1], [5, "x"]):
        response = api_client(world, "own_staff").get(
            f"{LEARNING}/runs", {"cursor": encode_cursor(values)}
        )
        assert response.status_code == 422, values
        assert response.json()["detail"].startswith("cursor (query)")


def test_run_detail_shows_places_and_the_number_waiting_to_partners(world):
    run = _run(world.own, capacity=1)
    _book(world, "own_staff", run)
    _book(world, "partner_staff", run)
    _book(world, "partner_admin", run)
    response = api_client(world, "partner_admin").get(f"{LEARNING}/runs/{run.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["places"]["count"] == 0
    assert body["waiting"] == {"count": 2, "by_organisation": None}
    assert body["my_booking"]["status"] == "waiting"
    assert body["my_booking"]["position"] == 2
    assert "Sam" not in response.content.decode()


def test_run_detail_shows_the_host_lead_waiting_counts_per_organisation(world):
    run = _run(world.own, capacity=1)
    _book(world, "own_line_manager", run)
    _book(world, "own_staff", run)
    _book(world, "partner_staff", run)
    _book(world, "partner_admin", run)
    body = api_client(world, "own_ld_lead").get(f"{LEARNING}/runs/{run.pk}").json()
    assert body["waiting"]["count"] == 3
    assert body["waiting"]["by_organisation"] == [
        {"organisation": {"id": world.own.pk, "name": world.own.name}, "count": 1},
        {"organisation": {"id": world.partner.pk, "name": world.partner.name}, "count": 2},
    ]
    assert body["my_booking"] is None


def test_another_partnerships_run_is_a_404(world):
    run = _run(world.outsider_org)
    response = api_client(world, "partner_staff").get(f"{LEARNING}/runs/{run.pk}")
    assert response.status_code == 404


def test_an_organisation_token_reads_runs_with_its_organisations_places(world):
    run = _run(world.own, programme__sharing_policy=Policy.PARTNERS_FROM_START, capacity=4)
    body = organisation_client(world, "partner_admin").get(f"{LEARNING}/runs/{run.pk}").json()
    assert body["places"] == {"count": 4, "reason": "Open to partners."}
    assert body["my_booking"] is None


# --- Bookings --------------------------------------------------------------------------------


def test_booking_yourself_confirms_a_free_place(world):
    run = _run(world.own, capacity=2)
    response = api_client(world, "own_staff").post(
        f"{LEARNING}/bookings",
        {"run": run.pk, "note": "Step-free access"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["position"] is None
    assert body["person"]["id"] == world.own_staff.pk
    assert body["organisation"]["id"] == world.own.pk
    booking = Booking.objects.get(pk=body["id"])
    assert booking.adjustments_note == "Step-free access"
    run.refresh_from_db()
    assert run.places_taken == 1


def test_booking_a_full_run_puts_you_on_the_waiting_list_with_your_position(world):
    run = _run(world.own, capacity=1)
    _book(world, "own_line_manager", run)
    _book(world, "own_admin", run)
    response = api_client(world, "own_staff").post(
        f"{LEARNING}/bookings", {"run": run.pk}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "waiting"
    assert response.json()["position"] == 2


def test_booking_where_approval_is_needed_is_requested(world):
    run = _run(world.own, programme__approval_required=True)
    response = api_client(world, "own_staff").post(
        f"{LEARNING}/bookings", {"run": run.pk}, content_type="application/json"
    )
    assert response.json()["status"] == "requested"


def test_a_line_manager_books_their_report(world):
    run = _run(world.own, programme__approval_required=True)
    response = api_client(world, "own_line_manager").post(
        f"{LEARNING}/bookings",
        {"run": run.pk, "person": world.own_staff.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["person"]["id"] == world.own_staff.pk
    assert response.json()["status"] == "confirmed"


def test_booking_a_colleague_who_is_not_your_report_is_a_403(world):
    run = _run(world.own)
    response = api_client(world, "own_staff").post(
        f"{LEARNING}/bookings",
        {"run": run.pk, "person": world.own_admin.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Booking.objects.exists()


def test_booking_someone_you_cannot_see_is_a_404(world):
    run = _run(world.own)
    response = api_client(world, "own_line_manager").post(
        f"{LEARNING}/bookings",
        {"run": run.pk, "person": world.outsider.pk},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_booking_another_partnerships_run_is_a_404(world):
    run = _run(world.outsider_org)
    response = api_client(world, "own_staff").post(
        f"{LEARNING}/bookings", {"run": run.pk}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not Booking.objects.exists()


def test_a_refused_booking_is_a_409_saying_why(world):
    run = _run(world.own)
    _book(world, "own_staff", run)
    response = api_client(world, "own_staff").post(
        f"{LEARNING}/bookings", {"run": run.pk}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "They already have a booking on this run."}


def test_booking_with_closed_bookings_is_a_409(world):
    run = _run(world.own, bookings_close_at=timezone.now() - dt.timedelta(hours=1))
    response = api_client(world, "own_staff").post(
        f"{LEARNING}/bookings", {"run": run.pk}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "Bookings for this run have closed."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "run (body)"),
        ({"run": "first"}, "run (body)"),
        ({"run": 0}, "run (body)"),
        ({"run": 1, "note": "x" * 2001}, "note (body)"),
        ({"run": 1, "note": "a\u0000b"}, "note (body)"),
        ({"run": 1, "person": -3}, "person (body)"),
    ],
)
def test_a_bad_booking_is_a_422_naming_the_field(world, body, field):
    response = api_client(world, "own_staff").post(
        f"{LEARNING}/bookings", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith(field)


def test_an_organisation_token_may_not_book(world):
    run = _run(world.own)
    response = organisation_client(world, "own_admin").post(
        f"{LEARNING}/bookings", {"run": run.pk}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "personal token" in response.json()["detail"]


def test_cancelling_a_confirmed_place_gives_it_to_the_next_waiting(world):
    run = _run(world.own, capacity=1)
    booking = _book(world, "own_staff", run)
    waiting = _book(world, "own_admin", run)
    response = api_client(world, "own_staff").post(f"{LEARNING}/bookings/{booking.pk}/cancel")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED


def test_cancelling_twice_is_a_409(world):
    booking = _book(world, "own_staff", _run(world.own))
    client = api_client(world, "own_staff")
    client.post(f"{LEARNING}/bookings/{booking.pk}/cancel")
    response = client.post(f"{LEARNING}/bookings/{booking.pk}/cancel")
    assert response.status_code == 409
    assert response.json()["detail"] == "This booking has changed; look at it again."


def test_cancelling_someone_elses_booking_is_a_404(world):
    booking = _book(world, "own_staff", _run(world.own))
    for persona in ("own_admin", "partner_staff", "outsider"):
        response = api_client(world, persona).post(f"{LEARNING}/bookings/{booking.pk}/cancel")
        assert response.status_code == 404, persona
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_my_bookings_lists_only_mine_newest_first_with_positions(world):
    first = _run(world.own, capacity=1, title="First")
    second = _run(world.partner, title="Second", programme__sharing_policy=Policy.OWN_ONLY)
    _book(world, "own_admin", first)
    mine_waiting = _book(world, "own_staff", first)
    _book(world, "partner_staff", second)
    later = _run(world.own, title="Third")
    mine_confirmed = _book(world, "own_staff", later)
    client = api_client(world, "own_staff")
    items = client.get(f"{LEARNING}/bookings/mine").json()["items"]
    assert [item["id"] for item in items] == [mine_confirmed.pk, mine_waiting.pk]
    assert items[1]["position"] == 1
    assert items[1]["run"]["programme"]["title"] == "First"
    waiting = client.get(f"{LEARNING}/bookings/mine", {"status": "waiting"})
    assert ids(waiting) == [mine_waiting.pk]


def test_my_bookings_pages_and_keeps_the_same_number_of_queries(world):
    client = api_client(world, "own_staff")
    _book(world, "own_staff", _run(world.own))
    few = api_queries(client, f"{LEARNING}/bookings/mine")
    made = [
        _book(world, "own_staff", _run(world.partner, capacity=0, title=f"R{n}")) for n in range(5)
    ]
    assert api_queries(client, f"{LEARNING}/bookings/mine") == few
    assert _walk(client, f"{LEARNING}/bookings/mine", {"limit": 2})[:5] == [
        booking.pk for booking in reversed(made)
    ]


def test_my_bookings_refuses_an_organisation_token(world):
    response = organisation_client(world, "own_admin").get(f"{LEARNING}/bookings/mine")
    assert response.status_code == 403


# --- A run's bookings, for hosts --------------------------------------------------------------


def test_the_host_lead_sees_names_organisations_status_and_adjustments(world):
    run = _run(world.own, capacity=1)
    services.book_place(
        actor=world.actor("own_staff"), run=run, person=world.own_staff, note="Hearing loop"
    )
    _book(world, "partner_staff", run)
    response = api_client(world, "own_ld_lead").get(f"{LEARNING}/runs/{run.pk}/bookings")
    assert response.status_code == 200
    first, second = response.json()["items"]
    assert first["person"]["given_name"] == "Sam"
    assert first["status"] == "confirmed"
    assert first["adjustments_note"] == "Hearing loop"
    assert second["organisation"]["id"] == world.partner.pk
    assert second["status"] == "waiting"
    assert second["position"] == 1


@pytest.mark.parametrize("persona", ["own_staff", "own_admin", "partner_ld_lead"])
def test_people_who_do_not_host_the_run_may_not_list_its_bookings(world, persona):
    run = _run(world.own)
    response = api_client(world, persona).get(f"{LEARNING}/runs/{run.pk}/bookings")
    assert response.status_code == 403


def test_an_outsider_listing_a_runs_bookings_gets_a_404(world):
    run = _run(world.own)
    response = api_client(world, "outsider").get(f"{LEARNING}/runs/{run.pk}/bookings")
    assert response.status_code == 404


def test_a_runs_bookings_page_and_keep_the_same_number_of_queries(world):
    run = _run(world.own, capacity=2)
    client = api_client(world, "own_ld_lead")
    url = f"{LEARNING}/runs/{run.pk}/bookings"
    _book(world, "own_staff", run)
    few = api_queries(client, url)
    for n in range(5):
        person = EmploymentFactory(organisation=world.own, person__email=f"p{n}@barnet.test").person
        actor = Actor(person=person, organisation=world.own)
        services.book_place(actor=actor, run=run, person=person)
    assert api_queries(client, url) == few
    statuses = [item["status"] for item in client.get(url).json()["items"]]
    assert statuses == ["confirmed", "confirmed"] + ["waiting"] * 4
    assert len(_walk(client, url, {"limit": 4})) == 6


# --- Recharge statement ----------------------------------------------------------------------


def _charge(payer, payee, amount: str, day: dt.date):
    return post_recharge(
        actor=None,
        payer=payer,
        payee=payee,
        amount=Decimal(amount),
        source_kind="run",
        source_id="1",
        source_label="Safeguarding adults",
        occurred_on=day,
    )


def test_the_statement_shows_owed_by_us_owed_to_us_and_net_per_partner(world):
    day = dt.date(2026, 6, 1)
    _charge(world.partner, world.own, "150.00", day)
    _charge(world.partner, world.own, "150.00", day)
    _charge(world.own, world.partner, "80.50", day)
    _charge(world.partner, world.own, "999.00", dt.date(2025, 6, 1))
    response = api_client(world, "own_ld_lead").get(
        f"{API}/recharges/statement", {"from": "2026-04-01", "to": "2027-03-31"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["from"] == "2026-04-01"
    assert body["to"] == "2027-03-31"
    assert body["rows"] == [
        {
            "partner": {"id": world.partner.pk, "name": world.partner.name},
            "owed_by_us": "80.50",
            "owed_to_us": "300.00",
            "net": "219.50",
        }
    ]
    assert (body["owed_by_us"], body["owed_to_us"], body["net"]) == ("80.50", "300.00", "219.50")
    partner_body = (
        api_client(world, "partner_admin")
        .get(f"{API}/recharges/statement", {"from": "2026-04-01", "to": "2027-03-31"})
        .json()
    )
    assert partner_body["net"] == "-219.50"


def test_the_statement_defaults_to_the_current_financial_year(world):
    body = api_client(world, "own_admin").get(f"{API}/recharges/statement").json()
    start = dt.date.fromisoformat(body["from"])
    assert (start.month, start.day) == (4, 1)
    assert dt.date.fromisoformat(body["to"]) == start.replace(year=start.year + 1, month=3, day=31)


@pytest.mark.parametrize("persona", ["own_staff", "own_line_manager", "partnership_lead"])
def test_people_who_do_not_read_recharges_get_a_403(world, persona):
    response = api_client(world, persona).get(f"{API}/recharges/statement")
    assert response.status_code == 403


def test_an_organisation_token_may_not_read_the_statement(world):
    response = organisation_client(world, "own_admin").get(f"{API}/recharges/statement")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "yesterday"}, "from (query)"),
        ({"to": "2026-13-01"}, "to (query)"),
        ({"from": "2026-05-01", "to": "2026-04-01"}, "to (query)"),
    ],
)
def test_a_bad_statement_period_is_a_422_naming_the_field(world, params, field):
    response = api_client(world, "own_admin").get(f"{API}/recharges/statement", params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(field)


# --- The OpenAPI document --------------------------------------------------------------------


def test_the_openapi_document_describes_every_learning_operation(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert set(paths["/api/v1/learning/bookings"]) == {"post"}
    for path in (
        "/api/v1/learning/programmes",
        "/api/v1/learning/programmes/{pk}",
        "/api/v1/learning/runs",
        "/api/v1/learning/runs/{pk}",
        "/api/v1/learning/runs/{pk}/bookings",
        "/api/v1/learning/bookings/mine",
        "/api/v1/recharges/statement",
    ):
        assert "get" in paths[path], path
    assert "post" in paths["/api/v1/learning/bookings/{pk}/cancel"]
