"""The posting rate limit under concurrency: one person's posts sent at the same moment are
counted exactly, so no more than POSTS_PER_WINDOW get through, whether their window is missing,
current or expired. Each thread calls the real service on its own database connection, so these
need two writers: a file-based SQLite test database or PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from joinedup.materials.tests.test_services_concurrency import all_at_once, needs_two_writers
from joinedup.network import posts
from joinedup.network.models import Post, PostingWindow, Thread

from .posts_data import community

pytestmark = pytest.mark.django_db(transaction=True)

TRIES = posts.POSTS_PER_WINDOW + 5


def _replies_at_once(world, thread) -> list[BaseException]:
    return all_at_once(
        [
            lambda n=n: posts.reply(
                world.actor("partner_staff"), Thread.objects.get(pk=thread.pk), f"Reply {n}"
            )
            for n in range(TRIES)
        ]
    )


def _check(world, thread, errors, allowed) -> None:
    assert len(errors) == TRIES - allowed, errors
    assert all(isinstance(error, posts.PostRefused) for error in errors), errors
    assert Post.objects.filter(author=world.partner_staff).count() == allowed
    assert Thread.objects.get(pk=thread.pk).reply_count == allowed
    assert PostingWindow.objects.get(person=world.partner_staff).posts == posts.POSTS_PER_WINDOW


def test_posts_sent_at_once_with_no_window_yet_are_limited(world):
    needs_two_writers()
    thread = posts.start_thread(world.actor("own_staff"), community(world), "Rotas", "Who?")
    errors = _replies_at_once(world, thread)
    _check(world, thread, errors, posts.POSTS_PER_WINDOW)


def test_posts_sent_at_once_into_an_expired_window_are_limited(world):
    needs_two_writers()
    thread = posts.start_thread(world.actor("own_staff"), community(world), "Rotas", "Who?")
    PostingWindow.objects.create(
        person=world.partner_staff,
        started_at=timezone.now() - posts.WINDOW - dt.timedelta(minutes=1),
        posts=posts.POSTS_PER_WINDOW,
    )
    errors = _replies_at_once(world, thread)
    _check(world, thread, errors, posts.POSTS_PER_WINDOW)


def test_posts_sent_at_once_into_a_busy_window_take_only_its_room(world):
    needs_two_writers()
    thread = posts.start_thread(world.actor("own_staff"), community(world), "Rotas", "Who?")
    PostingWindow.objects.create(person=world.partner_staff, started_at=timezone.now(), posts=7)
    errors = _replies_at_once(world, thread)
    _check(world, thread, errors, 3)
