"""Writing in a discussion: threads, replies, edits, deletions, attachments and read markers.

Every write is one transaction with one audit entry (ids only, never the words), and keeps the
counters beside it (a thread's replies and last post, a space's threads and last post) with F()
expressions. Posting is limited to POSTS_PER_WINDOW posts in WINDOW per person, claimed with a
conditional update of the person's PostingWindow (DESIGN.md, "Claiming a limited thing").
Files go through the shared upload gate (`joinedup.lib.uploads`): checked and stored before the
transaction, removed again if it fails, and removed after it commits when their post is deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from joinedup.lib import uploads
from joinedup.partnership.actor import Actor
from joinedup.partnership.audit import record
from joinedup.partnership.models import Person

from . import access, notices
from .models import Attachment, Post, PostingWindow, Space, Thread, ThreadRead
from .text import clean_typed, render

TITLE_MAX = 200
BODY_MAX = 20_000
FILES_MAX = 3
POSTS_PER_WINDOW = 10
WINDOW = dt.timedelta(minutes=5)


class PostRefused(Exception):
    """A post that cannot be written as asked; `field` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class PostingTooFast(PostRefused):
    """The posting rate limit refused a post (the API answers 429)."""


# --- Checking what was typed ---------------------------------------------------------------------


def clean_title(title: str) -> str:
    """The title on one line without control characters; refused if empty or too long."""
    cleaned = " ".join(clean_typed(title or "").split())
    if not cleaned:
        raise PostRefused("title", "Enter a title")
    if len(cleaned) > TITLE_MAX:
        raise PostRefused(
            "title", f"Title must be {TITLE_MAX} characters or fewer (it has {len(cleaned):,})"
        )
    return cleaned


def clean_body(body: str) -> str:
    """The body without control characters; refused if nothing is left or it is too long."""
    cleaned = clean_typed(body or "").strip()
    if not cleaned:
        raise PostRefused("body", "Enter your post")
    if len(cleaned) > BODY_MAX:
        raise PostRefused(
            "body", f"Your post must be {BODY_MAX:,} characters or fewer (it has {len(cleaned):,})"
        )
    return cleaned


def check_files(files: Sequence) -> list[uploads.CheckedUpload]:
    """Each file through the upload gate; a refusal names the file and the reason."""
    if len(files) > FILES_MAX:
        raise PostRefused("files", f"Attach {FILES_MAX} files or fewer to a post")
    checked = []
    for upload in files:
        if isinstance(upload, uploads.CheckedUpload):
            checked.append(upload)
            continue
        try:
            checked.append(uploads.check_upload(upload))
        except uploads.UploadRefused as refusal:
            name = uploads.sanitise_file_name(getattr(upload, "name", "") or "") or "A file"
            raise PostRefused("files", f"{name}: {refusal.reason}") from refusal
    return checked


@contextmanager
def _stored(checked: list[uploads.CheckedUpload]) -> Iterator[list[str]]:
    """Store the checked files; delete them again if the block (the transaction) fails."""
    names: list[str] = []
    try:
        for upload in checked:
            names.append(uploads.store(upload))
        yield names
    except BaseException:
        for name in names:
            uploads.delete_stored(name)
        raise


def _attach(post: Post, checked: list[uploads.CheckedUpload], names: list[str]) -> None:
    Attachment.objects.bulk_create(
        Attachment(
            post=post,
            storage_name=name,
            file_name=upload.file_name,
            content_type=upload.content_type,
            size_bytes=upload.size_bytes,
            sha256=upload.sha256,
        )
        for upload, name in zip(checked, names, strict=True)
    )


# --- The rate limit ------------------------------------------------------------------------------


def _refused_for_rate() -> PostingTooFast:
    return PostingTooFast(
        "body",
        f"You have posted {POSTS_PER_WINDOW} times in 5 minutes. "
        "Wait a few minutes before posting again.",
    )


def claim_posting_slot(person: Person, now: dt.datetime) -> None:
    """Count one post in the person's current window, or refuse: check and claim in one
    conditional UPDATE each (a current window with room; an expired one restarted; a missing
    one created), never read-then-write."""
    current = PostingWindow.objects.filter(person=person, started_at__gt=now - WINDOW)

    def claim() -> bool:
        return bool(current.filter(posts__lt=POSTS_PER_WINDOW).update(posts=F("posts") + 1))

    if claim():
        return
    expired = PostingWindow.objects.filter(person=person, started_at__lte=now - WINDOW)
    if expired.update(started_at=now, posts=1):
        return
    if not PostingWindow.objects.filter(person=person).exists():
        try:
            with transaction.atomic():
                PostingWindow.objects.create(person=person, started_at=now, posts=1)
            return
        except IntegrityError:
            pass  # made at the same moment by another post of theirs: claim in it below
    # Another post may have just restarted or made the window this one found expired or missing.
    if claim():
        return
    raise _refused_for_rate()


# --- Writing -------------------------------------------------------------------------------------


def _shown_with(actor: Actor, space: Space):
    """The organisation the author is shown with in the space: their membership's."""
    membership = access.membership_of(actor, space)
    return membership.organisation if membership else actor.organisation


def _written(post: Post) -> None:
    transaction.on_commit(lambda: notices.post_written(post.pk))


def start_thread(actor: Actor, space: Space, title: str, body: str, files: Sequence = ()) -> Thread:
    """A new thread in the space with its opening post (and up to FILES_MAX files)."""
    if not access.may_post_in(actor, space):
        raise PermissionDenied
    title = clean_title(title)
    body = clean_body(body)
    checked = check_files(files)
    organisation = _shown_with(actor, space)
    with _stored(checked) as names, transaction.atomic():
        now = timezone.now()
        claim_posting_slot(actor.person, now)
        thread = Thread.objects.create(
            space=space,
            title=title,
            author=actor.person,
            author_organisation=organisation,
            created_at=now,
            last_post_at=now,
        )
        post = Post.objects.create(
            thread=thread,
            space=space,
            is_opening=True,
            author=actor.person,
            author_organisation=organisation,
            body=body,
            body_html=render(body),
            created_at=now,
        )
        _attach(post, checked, names)
        Space.objects.filter(pk=space.pk).update(
            thread_count=F("thread_count") + 1, last_post_at=now
        )
        record(
            actor=actor,
            action="network.thread_started",
            kind="network.thread",
            object_id=thread.pk,
            organisation=organisation,
            partnership=space.partnership,
            changes={"space": space.pk, "post": post.pk, "attachments": len(names)},
        )
        _written(post)
    return thread


def reply(actor: Actor, thread: Thread, body: str, files: Sequence = ()) -> Post:
    """A reply at the end of a thread that is neither locked nor hidden."""
    if not access.may_reply(actor, thread):
        raise PermissionDenied
    body = clean_body(body)
    checked = check_files(files)
    space = thread.space
    organisation = _shown_with(actor, space)
    with _stored(checked) as names, transaction.atomic():
        now = timezone.now()
        claim_posting_slot(actor.person, now)
        post = Post.objects.create(
            thread=thread,
            space=space,
            author=actor.person,
            author_organisation=organisation,
            body=body,
            body_html=render(body),
            created_at=now,
        )
        _attach(post, checked, names)
        Thread.objects.filter(pk=thread.pk).update(
            reply_count=F("reply_count") + 1, last_post_at=now
        )
        Space.objects.filter(pk=space.pk).update(last_post_at=now)
        record(
            actor=actor,
            action="network.post_written",
            kind="network.post",
            object_id=post.pk,
            organisation=organisation,
            partnership=space.partnership,
            changes={"space": space.pk, "thread": thread.pk, "attachments": len(names)},
        )
        _written(post)
    return post


def edit(actor: Actor, post: Post, body: str, title: str | None = None) -> Post:
    """The author's new words for their post (and the thread's title, with its opening post);
    shown as edited."""
    if not access.may_edit_post(actor, post):
        raise PermissionDenied
    body = clean_body(body)
    new_title = clean_title(title) if post.is_opening and title is not None else None
    with transaction.atomic():
        post.body = body
        post.body_html = render(body)
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "body_html", "edited_at"])
        if new_title is not None:
            Thread.objects.filter(pk=post.thread_id).update(title=new_title)
            post.thread.title = new_title
        record(
            actor=actor,
            action="network.post_edited",
            kind="network.post",
            object_id=post.pk,
            organisation=post.author_organisation,
            partnership=post.space.partnership,
            changes={"thread": post.thread_id, "title_changed": new_title is not None},
        )
    return post


def delete(actor: Actor, post: Post) -> Post:
    """The author takes their post down: its words and files go, its place in the thread stays
    with a placeholder."""
    if not access.may_edit_post(actor, post):
        raise PermissionDenied
    with transaction.atomic():
        names = list(post.attachments.values_list("storage_name", flat=True))
        post.attachments.all().delete()
        post.body = ""
        post.body_html = ""
        post.deleted_at = timezone.now()
        post.save(update_fields=["body", "body_html", "deleted_at"])
        record(
            actor=actor,
            action="network.post_deleted",
            kind="network.post",
            object_id=post.pk,
            organisation=post.author_organisation,
            partnership=post.space.partnership,
            changes={"thread": post.thread_id, "attachments": len(names)},
        )
        transaction.on_commit(lambda: _delete_files(names))
    return post


def _delete_files(names: list[str]) -> None:
    for name in names:
        uploads.delete_stored(name)


# --- Read markers --------------------------------------------------------------------------------


def mark_read(actor: Actor, thread: Thread, up_to: dt.datetime) -> None:
    """The person has read the thread up to `up_to` (never moved back): two statements, whatever
    came before."""
    if actor.person is None:
        return
    ThreadRead.objects.bulk_create(
        [ThreadRead(person=actor.person, thread=thread, read_at=up_to)], ignore_conflicts=True
    )
    ThreadRead.objects.filter(person=actor.person, thread=thread, read_at__lt=up_to).update(
        read_at=up_to
    )
