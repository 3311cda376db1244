"""Daily and weekly digests: the right posts, once, to the right people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from joinedup.network.digests import _send_one, digest_cutoff, send_digests
from joinedup.network.models import MemberStatus, SpaceMember, Subscription
from joinedup.network.tests.factories import (
    PostFactory,
    SpaceFactory,
    SpaceMemberFactory,
    ThreadFactory,
)
from joinedup.partnership.models import NotificationPreference, SentNotification
from joinedup.partnership.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
DAILY = Subscription.DAILY
WEEKLY = Subscription.WEEKLY


def hours(n: float) -> dt.datetime:
    return START + dt.timedelta(hours=n)


@pytest.fixture
def scene(django_capture_on_commit_callbacks):
    """Reader belongs to two daily spaces and one weekly space since START; a writer posts."""
    reader = PersonFactory(given_name="Rita")
    writer = PersonFactory(given_name="Wes")
    spaces = {name: SpaceFactory(title=name) for name in ("Adoption", "Bereavement", "Carers")}
    for name, space in spaces.items():
        SpaceMemberFactory(
            space=space,
            person=reader,
            joined_at=START,
            subscription=WEEKLY if name == "Carers" else DAILY,
        )
        SpaceMemberFactory(space=space, person=writer, joined_at=START, subscription="none")
    threads = {
        name: ThreadFactory(space=space, author=writer, title=f"{name} thread")
        for name, space in spaces.items()
    }
    return reader, writer, spaces, threads


def write(thread, at, body, author=None, **fields):
    return PostFactory(
        thread=thread, author=author or thread.author, created_at=at, body=body, **fields
    )


def run(now, frequency, capture):
    with capture(execute=True):
        return send_digests(now, frequency)


def test_daily_digest_lists_each_new_post_of_every_daily_space_once(
    scene, django_capture_on_commit_callbacks
):
    reader, writer, spaces, threads = scene
    write(threads["Adoption"], hours(1), "First about adoption")
    write(threads["Bereavement"], hours(2), "First about bereavement")
    write(threads["Carers"], hours(2), "Weekly only about carers")

    assert run(hours(24), DAILY, django_capture_on_commit_callbacks) == 1

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == [reader.email]
    assert "2 new posts" in mail.outbox[0].subject
    assert "First about adoption" in body and "First about bereavement" in body
    assert "Weekly only about carers" not in body
    assert body.index("Adoption thread") < body.index("Bereavement thread")

    write(threads["Adoption"], hours(25), "Second about adoption")
    run(hours(48), DAILY, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 2
    second = mail.outbox[1].body
    assert "Second about adoption" in second
    assert "First about adoption" not in second


def test_a_post_at_the_cutoff_is_in_that_digest_and_not_the_next(
    scene, django_capture_on_commit_callbacks
):
    reader, writer, spaces, threads = scene
    write(threads["Adoption"], hours(24), "Right on the cutoff")

    run(hours(24), DAILY, django_capture_on_commit_callbacks)
    run(hours(48), DAILY, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    assert "Right on the cutoff" in mail.outbox[0].body


def test_running_twice_with_one_cutoff_sends_once(scene, django_capture_on_commit_callbacks):
    reader, writer, spaces, threads = scene
    write(threads["Adoption"], hours(1), "Only once")

    assert run(hours(24), DAILY, django_capture_on_commit_callbacks) == 1
    assert run(hours(24), DAILY, django_capture_on_commit_callbacks) == 0

    assert len(mail.outbox) == 1


def test_a_worker_that_read_the_windows_before_another_claimed_them_sends_nothing(
    scene, django_capture_on_commit_callbacks
):
    reader, writer, spaces, threads = scene
    write(threads["Adoption"], hours(1), "Raced for")
    stale = [
        (m.pk, m.space_id, m.digest_sent_until, m.joined_at)
        for m in SpaceMember.objects.filter(person=reader, subscription=DAILY)
    ]
    run(hours(24), DAILY, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        assert _send_one(reader.pk, stale, hours(24), DAILY) == 0

    assert len(mail.outbox) == 1


def test_own_hidden_deleted_and_hidden_thread_posts_are_left_out(
    scene, django_capture_on_commit_callbacks
):
    reader, writer, spaces, threads = scene
    write(threads["Adoption"], hours(1), "Shown to all")
    write(threads["Adoption"], hours(1), "Written by the reader", author=reader)
    write(threads["Adoption"], hours(1), "Hidden by a moderator", hidden_at=hours(2))
    write(threads["Adoption"], hours(1), "Deleted by its author", deleted_at=hours(2))
    hidden_thread = ThreadFactory(space=spaces["Adoption"], author=writer, hidden_at=hours(2))
    write(hidden_thread, hours(1), "In a hidden thread")

    run(hours(24), DAILY, django_capture_on_commit_callbacks)

    body = mail.outbox[0].body
    assert "Shown to all" in body
    for left_out in ("Written by the reader", "Hidden by", "Deleted by", "In a hidden thread"):
        assert left_out not in body
    assert "1 new post" in mail.outbox[0].subject


def test_nothing_new_sends_nothing_but_moves_the_window(scene, django_capture_on_commit_callbacks):
    reader, writer, spaces, threads = scene
    write(threads["Adoption"], hours(1), "My own news", author=reader)

    assert run(hours(24), DAILY, django_capture_on_commit_callbacks) == 0

    assert mail.outbox == []
    windows = SpaceMember.objects.filter(person=reader, subscription=DAILY)
    assert {m.digest_sent_until for m in windows} == {hours(24)}


def test_posts_before_joining_are_not_in_the_first_digest(
    scene, django_capture_on_commit_callbacks
):
    reader, writer, spaces, threads = scene
    newcomer = PersonFactory()
    SpaceMemberFactory(space=spaces["Adoption"], person=newcomer, joined_at=hours(10))
    write(threads["Adoption"], hours(5), "Before they joined")
    write(threads["Adoption"], hours(11), "After they joined")

    run(hours(24), DAILY, django_capture_on_commit_callbacks)

    theirs = [m for m in mail.outbox if m.to == [newcomer.email]]
    assert len(theirs) == 1
    assert "After they joined" in theirs[0].body
    assert "Before they joined" not in theirs[0].body


def test_weekly_digest_covers_only_weekly_spaces(scene, django_capture_on_commit_callbacks):
    reader, writer, spaces, threads = scene
    write(threads["Adoption"], hours(1), "Daily space news")
    write(threads["Carers"], hours(30), "Weekly space news")

    run(hours(24 * 7), WEEKLY, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    assert "weekly digest" in mail.outbox[0].subject
    assert "Weekly space news" in mail.outbox[0].body
    assert "Daily space news" not in mail.outbox[0].body
    daily = SpaceMember.objects.get(person=reader, space=spaces["Adoption"])
    assert daily.digest_sent_until is None


def test_members_on_every_post_none_or_only_asking_to_join_get_no_digest(
    scene, django_capture_on_commit_callbacks
):
    reader, writer, spaces, threads = scene
    for subscription in (Subscription.EVERY_POST, Subscription.NONE):
        SpaceMemberFactory(space=spaces["Adoption"], subscription=subscription, joined_at=START)
    SpaceMemberFactory(space=spaces["Adoption"], status=MemberStatus.REQUESTED, joined_at=START)
    write(threads["Adoption"], hours(1), "News")

    run(hours(24), DAILY, django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [[reader.email]]


def test_a_person_who_turned_optional_emails_off_gets_no_digest(
    scene, django_capture_on_commit_callbacks
):
    reader, writer, spaces, threads = scene
    NotificationPreference.objects.create(person=reader, email_optional=False)
    write(threads["Adoption"], hours(1), "News")

    run(hours(24), DAILY, django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert SentNotification.objects.filter(
        person=reader, template="network_digest", skipped=True
    ).exists()


def test_unknown_frequency_is_refused():
    with pytest.raises(ValueError):
        send_digests(START, Subscription.EVERY_POST)


@pytest.mark.parametrize(
    ("now", "frequency", "cutoff"),
    [
        # Winter: London is on UTC.
        ("2026-01-14T06:59", DAILY, "2026-01-13T07:00"),
        ("2026-01-14T07:00", DAILY, "2026-01-14T07:00"),
        # Summer: 07:00 in London is 06:00 UTC.
        ("2026-07-14T06:30", DAILY, "2026-07-14T06:00"),
        # Wednesday 14 January: the Monday before.
        ("2026-01-14T12:00", WEEKLY, "2026-01-12T07:00"),
        # Monday before 07:00: the Monday a week earlier.
        ("2026-01-12T06:00", WEEKLY, "2026-01-05T07:00"),
        # Across the clocks going forward (29 March 2026): still 07:00 London.
        ("2026-03-30T12:00", DAILY, "2026-03-30T06:00"),
        ("2026-04-01T12:00", WEEKLY, "2026-03-30T06:00"),
    ],
)
def test_digest_cutoff_is_the_latest_seven_in_the_morning_in_london(now, frequency, cutoff):
    at = dt.datetime.fromisoformat(now).replace(tzinfo=dt.UTC)
    assert digest_cutoff(at, frequency) == dt.datetime.fromisoformat(cutoff).replace(tzinfo=dt.UTC)
