"""E-mails for every post: to members who asked for them, never to the author or for hidden
posts."""

from __future__ import annotations

import pytest
from django.core import mail

from joinedup.network import notices, posts
from joinedup.network.models import MemberStatus, Post, SpaceMember, Subscription
from joinedup.network.tests.factories import PostFactory, SpaceMemberFactory, ThreadFactory
from joinedup.partnership.models import NotificationPreference

pytestmark = pytest.mark.django_db

EVERY_POST = Subscription.EVERY_POST


@pytest.fixture
def thread():
    made = ThreadFactory(title="Supervision in small teams", space__title="Practice educators")
    SpaceMemberFactory(space=made.space, person=made.author, subscription=EVERY_POST)
    return made


def written(post: Post, capture) -> None:
    with capture(execute=True):
        notices.post_written(post.pk)


def test_every_post_members_get_the_post_but_not_its_author(
    thread, django_capture_on_commit_callbacks
):
    follower = SpaceMemberFactory(space=thread.space, subscription=EVERY_POST).person
    SpaceMemberFactory(space=thread.space, subscription=Subscription.DAILY)
    SpaceMemberFactory(space=thread.space, subscription=Subscription.NONE)
    SpaceMemberFactory(space=thread.space, subscription=EVERY_POST, status=MemberStatus.REQUESTED)
    post = PostFactory(thread=thread, body="We use **peer** supervision [notes](https://x.test).")

    written(post, django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [[follower.email]]
    message = mail.outbox[0]
    assert message.subject == "Supervision in small teams (Practice educators)"
    assert thread.author.full_name in message.body
    assert "We use peer supervision notes." in message.body
    assert "**" not in message.body
    assert f"/network/threads/{thread.pk}/" in message.body
    assert f"/network/spaces/{thread.space_id}/subscription/" in message.body


def test_no_email_for_a_post_hidden_or_deleted_before_the_task_runs(
    thread, django_capture_on_commit_callbacks
):
    SpaceMemberFactory(space=thread.space, subscription=EVERY_POST)
    hidden = PostFactory(thread=thread, hidden_at=thread.created_at)
    deleted = PostFactory(thread=thread, deleted_at=thread.created_at)
    in_hidden_thread = PostFactory(
        thread=ThreadFactory(space=thread.space, hidden_at=thread.created_at)
    )

    for post in (hidden, deleted, in_hidden_thread):
        written(post, django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_a_long_post_is_cut_near_a_thousand_characters(thread, django_capture_on_commit_callbacks):
    SpaceMemberFactory(space=thread.space, subscription=EVERY_POST)
    post = PostFactory(thread=thread, body="word " * 400 + "ENDING")

    written(post, django_capture_on_commit_callbacks)

    body = mail.outbox[0].body
    assert "ENDING" not in body
    assert "word word …" in body


def test_a_person_who_turned_optional_emails_off_gets_no_post_email(
    thread, django_capture_on_commit_callbacks
):
    quiet = SpaceMemberFactory(space=thread.space, subscription=EVERY_POST).person
    NotificationPreference.objects.create(person=quiet, email_optional=False)

    written(PostFactory(thread=thread), django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_a_reply_through_the_posting_service_reaches_every_post_members(
    world, django_capture_on_commit_callbacks
):
    author = world.actor("own_staff")
    thread = ThreadFactory(author=author.person, space__partnership=world.partnership)
    space = thread.space
    SpaceMemberFactory(space=space, person=author.person, organisation=world.own)
    follower = SpaceMemberFactory(space=space, subscription=EVERY_POST).person
    SpaceMemberFactory(space=space, person=world.person("partner_staff"), subscription=EVERY_POST)
    SpaceMember.objects.filter(person=author.person).update(subscription=EVERY_POST)

    with django_capture_on_commit_callbacks(execute=True):
        posts.reply(author, thread, "Our team meets fortnightly.")

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [follower.email, world.person("partner_staff").email]
    )
    assert "Our team meets fortnightly." in mail.outbox[0].body
