"""Unread markers, "My discussions", subscriptions and marking a space read, through HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.network.models import MemberStatus, SpaceMember, Subscription, ThreadRead
from joinedup.network.reading import with_unread
from joinedup.network.tests.factories import SpaceFactory, SpaceMemberFactory, ThreadFactory
from joinedup.partnership.models import AuditEvent

pytestmark = pytest.mark.django_db

MINE = reverse("network:mine")
NOW = timezone.now()


def ago(hours: float) -> dt.datetime:
    return NOW - dt.timedelta(hours=hours)


@pytest.fixture
def staff(world):
    return world.person("own_staff")


def space_of(world, person, *, joined_hours_ago=100, **fields):
    space = SpaceFactory(partnership=world.partnership, owner_organisation=world.own, **fields)
    SpaceMemberFactory(
        space=space, person=person, organisation=world.own, joined_at=ago(joined_hours_ago)
    )
    return space


def titles(response) -> list[str]:
    return [thread.title for thread in response.context["page"].items]


# --- Unread markers ------------------------------------------------------------------------------


def test_a_thread_is_unread_after_new_activity_and_read_after_reading(world, staff):
    space = space_of(world, staff, joined_hours_ago=10)
    before_joining = ThreadFactory(space=space, last_post_at=ago(20))
    active = ThreadFactory(space=space, last_post_at=ago(1))
    ThreadRead.objects.create(person=staff, thread=before_joining, read_at=ago(30))

    def unread() -> dict[int, bool]:
        threads = with_unread(space.threads.all(), staff)
        return {thread.pk: thread.unread for thread in threads}

    # Read before joining is no matter: the mark (older than the last post) makes it unread.
    assert unread() == {before_joining.pk: True, active.pk: True}
    ThreadRead.objects.filter(thread=before_joining).delete()
    assert unread() == {before_joining.pk: False, active.pk: True}
    ThreadRead.objects.create(person=staff, thread=active, read_at=active.last_post_at)
    assert unread()[active.pk] is False
    active.last_post_at = ago(0)
    active.save()
    assert unread()[active.pk] is True


def test_marking_a_space_read_clears_every_unread_thread(world, staff, client_for):
    space = space_of(world, staff)
    threads = [ThreadFactory(space=space, last_post_at=ago(n)) for n in range(3)]
    ThreadRead.objects.create(person=staff, thread=threads[0], read_at=ago(5))

    response = client_for("own_staff").post(reverse("network:space-mark-read", args=[space.pk]))

    assert response.status_code == 302
    marks = dict(ThreadRead.objects.filter(person=staff).values_list("thread_id", "read_at"))
    assert marks == {thread.pk: thread.last_post_at for thread in threads}
    page = client_for("own_staff").get(MINE, {"unread": "1"})
    assert titles(page) == []


# --- My discussions ------------------------------------------------------------------------------


def test_my_discussions_lists_threads_of_my_spaces_newest_activity_first(world, staff, client_for):
    mine = space_of(world, staff, title="Adoption")
    other = space_of(world, staff, title="Carers")
    ThreadFactory(space=mine, title="Older", last_post_at=ago(3))
    ThreadFactory(space=other, title="Newest", last_post_at=ago(1))
    ThreadFactory(space=mine, title="Middle", last_post_at=ago(2), reply_count=4)
    not_joined = SpaceFactory(partnership=world.partnership, owner_organisation=world.own)
    ThreadFactory(space=not_joined, title="Not my space", last_post_at=ago(0))
    asked = SpaceFactory(partnership=world.partnership, owner_organisation=world.own)
    SpaceMemberFactory(space=asked, person=staff, status=MemberStatus.REQUESTED)
    ThreadFactory(space=asked, title="Only asked to join", last_post_at=ago(0))
    ThreadFactory(space=mine, title="Hidden", last_post_at=ago(0), hidden_at=ago(0))

    response = client_for("own_staff").get(MINE)

    assert response.status_code == 200
    assert titles(response) == ["Newest", "Middle", "Older"]
    content = response.content.decode()
    assert "Carers" in content and "Unread" in content
    assert reverse("network:thread", args=[response.context["page"].items[0].pk]) in content


def test_my_discussions_pages_by_25_and_keeps_the_unread_filter(world, staff, client_for):
    space = space_of(world, staff)
    threads = [ThreadFactory(space=space, title=f"T{n:02}", last_post_at=ago(n)) for n in range(30)]
    for thread in threads[::2]:
        ThreadRead.objects.create(person=staff, thread=thread, read_at=thread.last_post_at)
    client = client_for("own_staff")

    first = client.get(MINE)
    second = client.get(MINE, {"after": first.context["page"].next_cursor})

    assert titles(first) == [f"T{n:02}" for n in range(25)]
    assert titles(second) == [f"T{n:02}" for n in range(25, 30)]
    assert second.context["page"].next_cursor is None

    unread = client.get(MINE, {"unread": "1"})
    assert titles(unread) == [f"T{n:02}" for n in range(1, 30, 2)]
    assert all(thread.unread for thread in unread.context["page"].items)


@pytest.mark.parametrize("cursor", ["nonsense", "WyJub3QgYSB0aW1lIiwgMV0", "W10", "\x00"])
def test_a_mangled_cursor_gives_the_first_page(world, staff, client_for, cursor):
    space = space_of(world, staff)
    ThreadFactory(space=space, title="Only")

    response = client_for("own_staff").get(MINE, {"after": cursor, "before": cursor})

    assert response.status_code == 200
    assert titles(response) == ["Only"]


def test_my_discussions_takes_the_same_queries_for_many_spaces_as_for_few(world, staff, client_for):
    client = client_for("own_staff")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(MINE).status_code == 200
        return len(captured)

    for _ in range(2):
        ThreadFactory(space=space_of(world, staff))
    few = queries()
    for _ in range(30):
        ThreadFactory(space=space_of(world, staff))
    assert queries() == few


def test_someone_in_no_space_sees_an_empty_list(client_for):
    response = client_for("outsider").get(MINE)

    assert response.status_code == 200
    assert "There are no threads in your spaces yet" in response.content.decode()


# --- Subscriptions -------------------------------------------------------------------------------


def test_a_member_starts_on_the_daily_digest_and_changes_it(world, staff, client_for):
    space = space_of(world, staff)
    url = reverse("network:space-subscription", args=[space.pk])
    client = client_for("own_staff")

    page = client.get(url)
    assert page.context["form"]["subscription"].value() == Subscription.DAILY

    response = client.post(url, {"subscription": Subscription.EVERY_POST})

    assert response.status_code == 302
    membership = SpaceMember.objects.get(space=space, person=staff)
    assert membership.subscription == Subscription.EVERY_POST
    event = AuditEvent.objects.get(action="network.subscription_set", object_id=membership.pk)
    assert event.changes == {"from": "daily", "to": "every_post"}


@pytest.mark.parametrize("choice", [None, "", "hourly", "DAILY"])
def test_a_bad_choice_is_refused_on_its_field(world, staff, client_for, choice):
    space = space_of(world, staff)
    url = reverse("network:space-subscription", args=[space.pk])
    data = {} if choice is None else {"subscription": choice}

    response = client_for("own_staff").post(url, data)

    assert response.status_code == 200
    assert "how you want to hear about new posts" in response.content.decode()
    assert SpaceMember.objects.get(space=space, person=staff).subscription == Subscription.DAILY


def test_only_an_active_member_has_a_subscription(world, staff, client_for):
    space = space_of(world, staff)
    SpaceMemberFactory(space=space, person=world.person("partner_staff"), status="requested")
    url = reverse("network:space-subscription", args=[space.pk])

    assert client_for("partner_staff").post(url, {"subscription": "none"}).status_code == 403
    assert client_for("partnership_lead").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404


def test_the_space_page_marks_every_thread_read_and_comes_back(world, staff, client_for):
    space = space_of(world, staff)
    ThreadFactory(space=space, title="New here", last_post_at=ago(1))
    client = client_for("own_staff")
    page = client.get(reverse("network:space", args=[space.pk])).content.decode()
    assert reverse("network:space-mark-read", args=[space.pk]) in page
    assert "Unread" in page

    response = client.post(reverse("network:space-mark-read", args=[space.pk]))

    assert response.url == reverse("network:space", args=[space.pk])
    assert "Unread" not in client.get(response.url).content.decode()


def test_the_front_page_links_to_my_discussions(client_for):
    page = client_for("own_staff").get(reverse("network:home")).content.decode()

    assert f'href="{MINE}"' in page
