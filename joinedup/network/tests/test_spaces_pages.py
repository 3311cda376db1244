"""The space pages through HTTP: the list, a space's thread list, joining, members, requests,
moderators and the forms' errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from joinedup.network import spaces
from joinedup.network.models import MemberStatus, Space, SpaceMember, ThreadRead
from joinedup.network.tests.factories import ThreadFactory


@pytest.fixture
def community(world) -> Space:
    """own_staff's community, with partner_admin a plain member who joined a day ago."""
    space = spaces.start_community(
        actor=world.actor("own_staff"), title="Reflective supervision", description="Cases."
    )
    spaces.join(actor=world.actor("partner_admin"), space=space)
    SpaceMember.objects.filter(space=space).update(joined_at=timezone.now() - dt.timedelta(days=1))
    return space


def _threads(space, count: int, **fields) -> list:
    """`count` threads, the last the newest, an hour apart and ending now."""
    now = timezone.now()
    return [
        ThreadFactory(
            space=space,
            title=f"Topic {n:02d}",
            last_post_at=now - dt.timedelta(hours=count - n),
            **fields,
        )
        for n in range(count)
    ]


def test_the_list_shows_my_spaces_and_communities_i_may_join_searched_by_title(
    world, community, client_for
):
    spaces.start_community(actor=world.actor("own_staff"), title="Budgets")
    page = client_for("partner_admin").get(reverse("network:spaces")).content.decode()
    mine, join = page.split("Communities you can join")
    assert "Reflective supervision" in mine
    assert "Budgets" in join
    page = client_for("partner_admin").get(reverse("network:spaces"), {"q": "budg"})
    assert "Reflective supervision" not in page.content.decode()
    assert "Budgets" in page.content.decode()
    assert (
        "Reflective" not in client_for("outsider").get(reverse("network:spaces")).content.decode()
    )


def test_a_too_long_search_is_a_field_error(client_for, world):
    page = client_for("own_staff").get(reverse("network:spaces"), {"q": "x" * 201})
    assert page.status_code == 200
    assert "Search must be 200 characters or fewer" in page.content.decode()


def test_starting_a_community_needs_a_title(client_for, world):
    url = reverse("network:space-new")
    page = client_for("own_staff").post(url, {"title": "", "description": "x"})
    assert page.status_code == 200
    assert 'href="#id_title">Enter a title' in page.content.decode()
    response = client_for("own_staff").post(url, {"title": "Budgets", "join_approval": "on"})
    space = Space.objects.get(title="Budgets")
    assert response["Location"] == reverse("network:space", args=[space.pk])
    assert space.join_approval


def test_a_non_member_sees_the_description_and_a_join_button_but_no_threads(
    world, community, client_for
):
    _threads(community, 1)
    page = client_for("partner_staff").get(reverse("network:space", args=[community.pk]))
    text = page.content.decode()
    assert "Cases." in text and ">Join<" in text
    assert "Topic 00" not in text
    response = client_for("partner_staff").post(reverse("network:space-join", args=[community.pk]))
    assert response.status_code == 302
    text = client_for("partner_staff").get(reverse("network:space", args=[community.pk])).content
    assert "Topic 00" in text.decode()


def test_members_names_are_shown_to_members_and_the_lead_only(world, community, client_for):
    url = reverse("network:space-members", args=[community.pk])
    page = client_for("partner_admin").get(url).content.decode()
    assert world.own_staff.full_name in page and world.own.name in page
    assert world.partner_admin.full_name in page
    assert world.own_staff.full_name in client_for("partnership_lead").get(url).content.decode()
    assert client_for("partner_staff").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404
    space_page = client_for("partner_staff").get(reverse("network:space", args=[community.pk]))
    assert world.partner_admin.full_name not in space_page.content.decode()


def test_threads_are_newest_first_25_a_page(world, community, client_for):
    _threads(community, 30)
    url = reverse("network:space", args=[community.pk])
    first = client_for("partner_admin").get(url)
    titles = [thread.title for thread in first.context["page"].items]
    assert titles == [f"Topic {n:02d}" for n in range(29, 4, -1)]
    following = client_for("partner_admin").get(url + first.context["links"]["next"])
    assert [t.title for t in following.context["page"].items] == [
        f"Topic {n:02d}" for n in range(4, -1, -1)
    ]


def test_the_thread_list_asks_as_many_queries_for_30_threads_as_for_3(world, community, client_for):
    url = reverse("network:space", args=[community.pk])
    client = client_for("partner_admin")
    _threads(community, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _threads(community, 27)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_unread_follows_the_read_mark_or_else_the_joining_date(world, community, client_for):
    read, unread_since_mark, old, new = _threads(community, 4)
    member = world.partner_admin
    ThreadRead.objects.create(person=member, thread=read, read_at=timezone.now())
    ThreadRead.objects.create(
        person=member,
        thread=unread_since_mark,
        read_at=unread_since_mark.last_post_at - dt.timedelta(minutes=1),
    )
    old.last_post_at = timezone.now() - dt.timedelta(days=3)  # before they joined
    old.save()
    page = client_for("partner_admin").get(reverse("network:space", args=[community.pk]))
    unread = {thread.title for thread in page.context["page"].items if thread.unread}
    assert unread == {unread_since_mark.title, new.title}
    assert page.content.decode().count(">Unread<") == 2


def test_hidden_threads_are_listed_only_to_moderators(world, community, client_for):
    _threads(community, 1, hidden_at=timezone.now(), author=world.partner_admin)
    url = reverse("network:space", args=[community.pk])
    assert "Topic 00" not in client_for("partner_admin").get(url).content.decode()
    owner_page = client_for("own_staff").get(url).content.decode()
    assert "Topic 00" in owner_page and ">Hidden<" in owner_page
    assert ">Hidden<" in client_for("partnership_lead").get(url).content.decode()


def test_joining_with_approval_and_approving_through_the_pages(world, community, client_for):
    spaces.edit_space(
        actor=world.actor("own_staff"),
        space=community,
        title=community.title,
        description="",
        join_approval=True,
    )
    client_for("partner_staff").post(reverse("network:space-join", args=[community.pk]))
    member = SpaceMember.objects.get(space=community, person=world.partner_staff)
    assert member.status == MemberStatus.REQUESTED
    requests = client_for("own_staff").get(reverse("network:space-requests", args=[community.pk]))
    assert world.partner_staff.full_name in requests.content.decode()
    approve = reverse("network:space-request-approve", args=[community.pk, member.pk])
    assert client_for("partner_admin").post(approve).status_code == 403
    assert client_for("own_staff").post(approve).status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE
    assert client_for("own_staff").post(approve).status_code == 404


def test_naming_a_moderator_who_is_not_a_member_is_a_field_error(world, community, client_for):
    url = reverse("network:space-moderators", args=[community.pk])
    page = client_for("own_staff").post(url, {"person": world.outsider.pk})
    assert page.status_code == 200
    assert 'href="#id_person">Choose a member of this space' in page.content.decode()
    response = client_for("own_staff").post(url, {"person": world.partner_admin.pk})
    assert response.status_code == 302
    assert SpaceMember.objects.get(space=community, person=world.partner_admin).is_moderator
    client_for("own_staff").post(url, {"person": world.partner_admin.pk, "action": "remove"})
    assert not SpaceMember.objects.get(space=community, person=world.partner_admin).is_moderator


def test_the_owner_cannot_leave_but_a_member_can(world, community, client_for):
    url = reverse("network:space-leave", args=[community.pk])
    page = client_for("own_staff").post(url)
    assert page.status_code == 200
    assert "You own this space" in page.content.decode()
    assert client_for("partner_admin").post(url).status_code == 302
    assert not SpaceMember.objects.filter(space=community, person=world.partner_admin).exists()


def test_editing_and_archiving_through_the_pages(world, community, client_for):
    edit = reverse("network:space-edit", args=[community.pk])
    page = client_for("own_staff").post(edit, {"title": "x" * 201})
    assert "Title must be 200 characters or fewer" in page.content.decode()
    client_for("own_staff").post(edit, {"title": "Supervision", "description": "New"})
    community.refresh_from_db()
    assert (community.title, community.description) == ("Supervision", "New")
    client_for("partnership_lead").post(reverse("network:space-archive", args=[community.pk]))
    community.refresh_from_db()
    assert community.archived_at is not None
