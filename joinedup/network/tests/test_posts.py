"""Posting services: threads, replies, edits, deletions, attachments, counters, the audit log,
the rate limit and read markers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from joinedup.network import notices, posts
from joinedup.network.models import (
    Attachment,
    Post,
    PostingWindow,
    Space,
    Thread,
    ThreadRead,
)
from joinedup.partnership.models import AuditEvent

from .posts_data import community, text_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(world):
    return community(world)


def _start(world, space, persona="own_staff", **kwargs):
    fields = {"title": "Group supervision", "body": "How do you run **group** supervision?"}
    return posts.start_thread(world.actor(persona), space, **(fields | kwargs))


def _files_stored() -> set[Path]:
    return {path for path in Path(settings.PRIVATE_FILES_ROOT).rglob("*") if path.is_file()}


def _stored(name: str) -> Path:
    return Path(settings.PRIVATE_FILES_ROOT) / name


def test_starting_a_thread_writes_its_opening_post_and_counts_it_in_the_space(world, space):
    thread = _start(world, space)

    opening = thread.posts.get()
    assert opening.is_opening and opening.author == world.own_staff
    assert opening.author_organisation == world.own
    assert opening.body_html == "<p>How do you run <strong>group</strong> supervision?</p>\n"
    space.refresh_from_db()
    assert space.thread_count == 1 and space.last_post_at == thread.last_post_at
    assert thread.reply_count == 0


def test_a_reply_counts_on_its_thread_and_moves_the_last_post_times(world, space):
    thread = _start(world, space)
    reply = posts.reply(world.actor("partner_staff"), thread, "We take turns.")

    thread.refresh_from_db()
    space.refresh_from_db()
    assert reply.author_organisation == world.partner and not reply.is_opening
    assert thread.reply_count == 1
    assert thread.last_post_at == reply.created_at == space.last_post_at
    assert space.thread_count == 1


def test_the_audit_log_holds_ids_and_never_the_words(world, space):
    thread = _start(world, space, title="Secret title words", body="Secret body words")
    reply = posts.reply(world.actor("partner_staff"), thread, "More secret words")
    posts.edit(world.actor("partner_staff"), reply, "Edited secret words")
    posts.delete(world.actor("partner_staff"), reply)

    events = AuditEvent.objects.filter(action__startswith="network.").order_by("id")
    assert [event.action for event in events] == [
        "network.thread_started",
        "network.post_written",
        "network.post_edited",
        "network.post_deleted",
    ]
    for event in events:
        assert "ecret" not in f"{event.object_label} {event.changes}"
    assert events[0].changes["post"] == thread.posts.get(is_opening=True).pk


def test_a_post_is_announced_only_after_its_transaction_commits(
    world, space, monkeypatch, django_capture_on_commit_callbacks
):
    written: list[int] = []
    monkeypatch.setattr(notices, "post_written", written.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        thread = _start(world, space)
    assert written == []
    for callback in callbacks:
        callback()
    assert written == [thread.posts.get().pk]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "  "}, "title", "Enter a title"),
        ({"title": "x" * 201}, "title", "Title must be 200 characters or fewer"),
        ({"body": ""}, "body", "Enter your post"),
        ({"body": "\x00\x01\u202e\u2066 \n"}, "body", "Enter your post"),
        ({"body": "a" * 20_001}, "body", "20,000 characters or fewer (it has 20,001)"),
    ],
)
def test_titles_and_bodies_out_of_bounds_are_refused_naming_the_field(
    world, space, fields, field, message
):
    with pytest.raises(posts.PostRefused) as refused:
        _start(world, space, **fields)
    assert refused.value.field == field and message in refused.value.message
    assert not Thread.objects.exists()
    assert Space.objects.get(pk=space.pk).thread_count == 0


def test_a_body_at_the_limit_after_cleaning_is_accepted(world, space):
    thread = _start(world, space, body="a" * 20_000 + "\x07" * 50)
    assert len(thread.posts.get().body) == 20_000


def test_a_title_loses_its_control_characters_and_line_breaks(world, space):
    thread = _start(world, space, title="Group\n supervision\u202e\x07")
    assert thread.title == "Group supervision"


def test_only_members_post_and_nobody_replies_to_a_locked_thread(world, space):
    with pytest.raises(PermissionDenied):
        _start(world, space, persona="own_admin")
    with pytest.raises(PermissionDenied):
        _start(world, space, persona="partnership_lead")
    thread = _start(world, space)
    Thread.objects.filter(pk=thread.pk).update(locked_at=timezone.now(), lock_reason="Done")
    thread.refresh_from_db()
    with pytest.raises(PermissionDenied):
        posts.reply(world.actor("partner_staff"), thread, "Late reply")
    assert Post.objects.filter(thread=thread).count() == 1


def test_editing_marks_the_post_edited_and_renders_it_again(world, space):
    thread = _start(world, space)
    opening = thread.posts.get()
    posts.edit(world.actor("own_staff"), opening, "Now *with* emphasis", title="New title")

    opening.refresh_from_db()
    thread.refresh_from_db()
    assert opening.edited_at is not None
    assert opening.body_html == "<p>Now <em>with</em> emphasis</p>\n"
    assert thread.title == "New title"


def test_a_reply_cannot_change_the_thread_title(world, space):
    thread = _start(world, space)
    reply = posts.reply(world.actor("own_staff"), thread, "A reply")
    posts.edit(world.actor("own_staff"), reply, "Changed", title="Hijacked")
    thread.refresh_from_db()
    assert thread.title == "Group supervision"


@pytest.mark.parametrize("persona", ["partner_staff", "space_moderator", "partnership_lead"])
def test_only_the_author_edits_or_deletes_a_post(world, space, persona):
    thread = _start(world, space)
    opening = thread.posts.get()
    with pytest.raises(PermissionDenied):
        posts.edit(world.actor(persona), opening, "Not mine")
    with pytest.raises(PermissionDenied):
        posts.delete(world.actor(persona), opening)
    opening.refresh_from_db()
    assert opening.body == "How do you run **group** supervision?" and opening.edited_at is None


def test_deleting_empties_the_post_keeps_its_place_and_removes_its_files_after_commit(
    world, space, django_capture_on_commit_callbacks
):
    thread = _start(world, space)
    reply = posts.reply(world.actor("partner_staff"), thread, "See the notes", files=[text_file()])
    stored = _stored(reply.attachments.get().storage_name)
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        posts.delete(world.actor("partner_staff"), reply)

    reply.refresh_from_db()
    assert reply.body == "" and reply.body_html == "" and reply.deleted_at is not None
    assert not Attachment.objects.filter(post=reply).exists()
    assert not stored.exists()
    assert list(thread.posts.values_list("pk", flat=True)) == [thread.posts.first().pk, reply.pk]
    assert Thread.objects.get(pk=thread.pk).reply_count == 1
    with pytest.raises(PermissionDenied):
        posts.edit(world.actor("partner_staff"), reply, "Back again")


def test_accepted_files_are_stored_with_their_checked_details(world, space):
    thread = _start(
        world, space, files=[text_file("agenda.txt"), text_file("minutes.csv", b"a,b\n1,2\n")]
    )
    files = list(thread.posts.get().attachments.order_by("file_name"))
    assert [(f.file_name, f.content_type) for f in files] == [
        ("agenda.txt", "text/plain; charset=utf-8"),
        ("minutes.csv", "text/csv; charset=utf-8"),
    ] or [f.file_name for f in files] == ["agenda.txt", "minutes.csv"]
    assert all(_stored(f.storage_name).exists() and len(f.sha256) == 64 for f in files)


def test_more_than_three_files_are_refused(world, space):
    with pytest.raises(posts.PostRefused) as refused:
        _start(world, space, files=[text_file(f"n{i}.txt") for i in range(4)])
    assert refused.value.field == "files" and "3 files or fewer" in refused.value.message
    assert not Thread.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("photo.png", b"Not a picture at all\n"),
        ("empty.txt", b""),
    ],
)
def test_a_refused_file_names_the_file_and_stores_nothing(world, space, name, content):
    before = _files_stored()
    with pytest.raises(posts.PostRefused) as refused:
        _start(world, space, files=[text_file("fine.txt"), text_file(name, content)])
    assert refused.value.field == "files"
    assert refused.value.message.startswith(f"{name}: ")
    assert not Thread.objects.exists()
    assert _files_stored() == before


def test_files_stored_for_a_post_that_fails_to_save_are_removed(world, space, monkeypatch):
    before = _files_stored()

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(posts, "record", broken)
    with pytest.raises(RuntimeError):
        _start(world, space, files=[text_file()])
    assert _files_stored() == before


def test_the_eleventh_post_in_five_minutes_is_refused(world, space):
    thread = _start(world, space)
    for n in range(posts.POSTS_PER_WINDOW - 1):
        posts.reply(world.actor("own_staff"), thread, f"Reply {n}")
    with pytest.raises(posts.PostRefused) as refused:
        posts.reply(world.actor("own_staff"), thread, "One too many")
    assert refused.value.message == (
        "You have posted 10 times in 5 minutes. Wait a few minutes before posting again."
    )
    assert Thread.objects.get(pk=thread.pk).reply_count == 9
    # Someone else still posts.
    posts.reply(world.actor("partner_staff"), thread, "My turn")


def test_a_refused_post_uses_no_slot_and_edits_use_none(world, space):
    thread = _start(world, space)
    opening = thread.posts.get()
    for _ in range(3):
        with pytest.raises(posts.PostRefused):
            posts.reply(world.actor("own_staff"), thread, "")
        posts.edit(world.actor("own_staff"), opening, "Edited")
    assert PostingWindow.objects.get(person=world.own_staff).posts == 1


def test_a_window_five_minutes_old_starts_again(world, space):
    thread = _start(world, space)
    for n in range(posts.POSTS_PER_WINDOW - 1):
        posts.reply(world.actor("own_staff"), thread, f"Reply {n}")
    PostingWindow.objects.filter(person=world.own_staff).update(
        started_at=timezone.now() - posts.WINDOW - dt.timedelta(seconds=1)
    )
    posts.reply(world.actor("own_staff"), thread, "After a pause")
    window = PostingWindow.objects.get(person=world.own_staff)
    assert window.posts == 1


def test_read_markers_only_move_forward(world, space):
    thread = _start(world, space)
    actor = world.actor("partner_staff")
    later = timezone.now() + dt.timedelta(hours=1)
    posts.mark_read(actor, thread, later)
    posts.mark_read(actor, thread, later - dt.timedelta(hours=2))
    assert ThreadRead.objects.get(person=world.partner_staff, thread=thread).read_at == later
    posts.mark_read(actor, thread, later + dt.timedelta(minutes=1))
    assert ThreadRead.objects.get().read_at == later + dt.timedelta(minutes=1)
