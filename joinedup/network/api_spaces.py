"""Discussion spaces at /api/v1/network/spaces: my spaces, a space, its threads, a thread and its
posts; starting a thread, replying, and editing or deleting one's own post.

Everything is fetched through `network.access`, so the API shows what the pages show: a space is
seen by everyone of its partnership when it is a community (by its members and the partnership
lead otherwise); its threads, posts and members' names are read by its active members and the
partnership lead; hidden threads and posts only by the space's moderators. Writes go through
`network.posts` (the safe text format, the rate limit, the audit log) and need a person: an
organisation token is refused (403), as it is for "my spaces". A post's `body` is what its author
typed (never to be shown as HTML); `body_html` is its sanitised rendering. A deleted post stays in
its thread as a placeholder with neither.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from joinedup.partnership.actor import Actor
from joinedup.partnership.api import (
    NOT_A_PERSON,
    Error,
    Id,
    OrganisationRef,
    Pagination,
    page_of,
    storable,
)
from joinedup.partnership.models import Person

from . import access, posts
from .models import Post, Space, Thread

router = Router(tags=["network"])

ERRORS = {frozenset({401, 403, 404, 409, 422, 429}): Error}
SPACE_ORDER = ("title", "id")
THREAD_ORDER = ("-last_post_at", "-id")
POST_ORDER = ("created_at", "id")
MEMBER_ORDER = ("person__family_name", "person__given_name", "id")
MEMBERS_SHOWN = 500
NOT_A_MEMBER = "Only the space's members write in it"
LOCKED = "This thread is locked: no more replies"
HIDDEN = "This thread is hidden by a moderator: no more replies"
RATE_LIMITED = 429


class ContextOut(Schema):
    kind: str = Field(description="What another app linked the space to, e.g. a module.")
    id: str
    label: str


class SpaceOut(Schema):
    id: int
    title: str
    kind: str = Field(description="community, run or context (a space another app keeps).")
    description: str
    organisation: OrganisationRef = Field(description="The organisation that runs the space.")
    context: ContextOut | None
    thread_count: int
    last_post_at: dt.datetime | None
    archived_at: dt.datetime | None


class SpacePage(Schema):
    items: list[SpaceOut]
    next: str | None


class MemberOut(Schema):
    name: str
    organisation: OrganisationRef
    is_moderator: bool


class SpaceDetail(SpaceOut):
    may_read: bool = Field(description="Whether the caller reads its threads and members.")
    may_post: bool = Field(description="Whether the caller starts threads in it.")
    member_count: int | None = Field(description="Active members; null for those who only see it.")
    members: list[MemberOut] | None = Field(
        description=f"Active members by family name (the first {MEMBERS_SHOWN}); only for those "
        "who read the space, null for anyone else."
    )


class AuthorOut(Schema):
    id: int
    name: str


class ThreadOut(Schema):
    id: int
    space: int
    title: str
    author: AuthorOut | None = Field(description="Null once the author's account is erased.")
    organisation: OrganisationRef = Field(description="The organisation the author wrote for.")
    created_at: dt.datetime
    last_post_at: dt.datetime
    reply_count: int
    locked: bool
    hidden: bool = Field(description="Hidden by a moderator (only moderators see such threads).")


class ThreadPage(Schema):
    items: list[ThreadOut]
    next: str | None


class ThreadDetail(ThreadOut):
    space_title: str
    may_reply: bool


class AttachmentOut(Schema):
    id: int
    file_name: str
    content_type: str
    size_bytes: int


class PostOut(Schema):
    id: int
    thread: int
    is_opening: bool
    author: AuthorOut | None
    organisation: OrganisationRef
    created_at: dt.datetime
    edited_at: dt.datetime | None = Field(description="When its author last changed it.")
    deleted: bool = Field(description="Deleted by its author: a placeholder with no body.")
    hidden: bool = Field(description="Hidden by a moderator (only moderators see such posts).")
    body: str | None = Field(description="The text as typed, in the safe text format.")
    body_html: str | None = Field(description="The text rendered and sanitised.")
    attachments: list[AttachmentOut]
    may_edit: bool = Field(description="Whether the caller may edit or delete it.")


class PostPage(Schema):
    items: list[PostOut]
    next: str | None


class ThreadIn(Schema):
    title: str = Field(max_length=posts.TITLE_MAX)
    body: str = Field(max_length=posts.BODY_MAX)

    @field_validator("title", "body")
    @classmethod
    def storable(cls, value: str) -> str:
        return storable(value)


class ReplyIn(Schema):
    body: str = Field(max_length=posts.BODY_MAX)

    _body_storable = field_validator("body")(storable)


class PostChange(Schema):
    body: str = Field(max_length=posts.BODY_MAX)
    title: str | None = Field(
        None, max_length=posts.TITLE_MAX, description="The thread's title (opening posts)."
    )

    @field_validator("body", "title")
    @classmethod
    def storable(cls, value: str | None) -> str | None:
        return None if value is None else storable(value)


def person(request: HttpRequest) -> Actor:
    """The caller, who must act as a person."""
    actor: Actor = request.auth
    if actor.person is None:
        raise HttpError(403, NOT_A_PERSON)
    return actor


def refused(refusal: posts.PostRefused) -> HttpError:
    """A post refused by the posting service: 429 for the rate limit, else 422 naming the
    field."""
    if isinstance(refusal, posts.PostingTooFast):
        return HttpError(RATE_LIMITED, refusal.message)
    return HttpError(422, f"{refusal.field} (body): {refusal.message}")


def _author(who: Person | None) -> dict | None:
    return None if who is None else {"id": who.pk, "name": who.full_name}


def space_out(space: Space) -> dict:
    """A space in the API's shape (its organisation selected)."""
    context = (
        {"kind": space.context_kind, "id": space.context_id, "label": space.context_label}
        if space.context_kind
        else None
    )
    return {
        "id": space.pk,
        "title": space.title,
        "kind": space.kind,
        "description": space.description,
        "organisation": space.owner_organisation,
        "context": context,
        "thread_count": space.thread_count,
        "last_post_at": space.last_post_at,
        "archived_at": space.archived_at,
    }


def thread_out(thread: Thread) -> dict:
    """A thread in the API's shape (its author and organisation selected)."""
    return {
        "id": thread.pk,
        "space": thread.space_id,
        "title": thread.title,
        "author": _author(thread.author),
        "organisation": thread.author_organisation,
        "created_at": thread.created_at,
        "last_post_at": thread.last_post_at,
        "reply_count": thread.reply_count,
        "locked": thread.locked_at is not None,
        "hidden": thread.hidden_at is not None,
    }


def _thread_detail(actor: Actor, thread: Thread) -> dict:
    return {
        **thread_out(thread),
        "space_title": thread.space.title,
        "may_reply": access.may_reply(actor, thread),
    }


def post_out(post: Post, *, may_edit: bool) -> dict:
    """A post in the API's shape: a deleted one as a placeholder without words or files."""
    deleted = post.deleted_at is not None
    return {
        "id": post.pk,
        "thread": post.thread_id,
        "is_opening": post.is_opening,
        "author": _author(post.author),
        "organisation": post.author_organisation,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "deleted": deleted,
        "hidden": post.hidden_at is not None,
        "body": None if deleted else post.body,
        "body_html": None if deleted else post.body_html,
        "attachments": [] if deleted else list(post.attachments.all()),
        "may_edit": may_edit,
    }


def _written_post(actor: Actor, pk: int) -> dict:
    """A post just written or changed, read back as its author sees it."""
    post = access.get_post_for(actor, pk)
    return post_out(post, may_edit=access.may_edit_post(actor, post))


def _thread_with_people(actor: Actor, pk: int) -> Thread:
    thread = access.get_thread_for(actor, pk)
    return (
        Thread.objects.filter(pk=thread.pk)
        .select_related("space", "author", "author_organisation")
        .get()
    )


# --- Spaces --------------------------------------------------------------------------------------


@router.get("", response={200: SpacePage, **ERRORS}, summary="My spaces")
def network_my_spaces(request: HttpRequest, page: Query[Pagination]) -> dict:
    """The spaces the caller actively belongs to, by title."""
    actor = person(request)
    found = access.member_spaces(actor).select_related("owner_organisation")
    result = page_of(found, SPACE_ORDER, (str, int), page)
    return {"items": [space_out(space) for space in result["items"]], "next": result["next"]}


@router.get("/{space_id}", response={200: SpaceDetail, **ERRORS}, summary="A space")
def network_space(request: HttpRequest, space_id: Id) -> dict:
    """A space the caller sees; its members' names and organisations only for those who read
    it (its members and the partnership lead)."""
    actor: Actor = request.auth
    space = access.get_space_for(actor, space_id)
    readable = access.may_read_space(actor, space)
    members = None
    count = None
    if readable:
        active = access.members_of(actor, space)
        count = active.count()
        members = [
            {
                "name": member.person.full_name,
                "organisation": member.organisation,
                "is_moderator": member.is_moderator,
            }
            for member in active.select_related("person", "organisation").order_by(*MEMBER_ORDER)[
                :MEMBERS_SHOWN
            ]
        ]
    return {
        **space_out(space),
        "may_read": readable,
        "may_post": access.may_post_in(actor, space),
        "member_count": count,
        "members": members,
    }


@router.get(
    "/{space_id}/threads", response={200: ThreadPage, **ERRORS}, summary="A space's threads"
)
def network_space_threads(request: HttpRequest, space_id: Id, page: Query[Pagination]) -> dict:
    """The space's threads, latest activity first (403 for a community the caller has not
    joined); hidden ones only for its moderators."""
    actor: Actor = request.auth
    space = access.get_readable_space(actor, space_id)
    found = access.space_threads(actor, space).select_related("author", "author_organisation")
    result = page_of(found, THREAD_ORDER, (dt.datetime, int), page)
    return {"items": [thread_out(thread) for thread in result["items"]], "next": result["next"]}


@router.post(
    "/{space_id}/threads", response={201: ThreadDetail, **ERRORS}, summary="Start a thread"
)
def network_start_thread(request: HttpRequest, space_id: Id, data: ThreadIn) -> Status:
    """A member starts a thread with its opening post (403 for anyone else who sees the space;
    429 when they have posted too often)."""
    actor = person(request)
    space = access.get_space_for(actor, space_id)
    try:
        thread = posts.start_thread(actor, space, title=data.title, body=data.body)
    except PermissionDenied as error:
        raise HttpError(403, NOT_A_MEMBER) from error
    except posts.PostRefused as refusal:
        raise refused(refusal) from refusal
    return Status(201, _thread_detail(actor, _thread_with_people(actor, thread.pk)))


# --- Threads and posts ---------------------------------------------------------------------------


@router.get("/threads/{thread_id}", response={200: ThreadDetail, **ERRORS}, summary="A thread")
def network_thread(request: HttpRequest, thread_id: Id) -> dict:
    """A thread the caller reads: its title, author, counts, and whether they may reply."""
    actor: Actor = request.auth
    return _thread_detail(actor, _thread_with_people(actor, thread_id))


@router.get(
    "/threads/{thread_id}/posts", response={200: PostPage, **ERRORS}, summary="A thread's posts"
)
def network_thread_posts(request: HttpRequest, thread_id: Id, page: Query[Pagination]) -> dict:
    """The thread's posts, oldest first; deleted ones as placeholders; hidden ones only for the
    space's moderators."""
    actor: Actor = request.auth
    thread = access.get_thread_for(actor, thread_id)
    found = (
        access.visible_posts(actor)
        .filter(thread=thread)
        .select_related("author", "author_organisation")
        .prefetch_related("attachments")
    )
    result = page_of(found, POST_ORDER, (dt.datetime, int), page)
    editable = access.editable_posts(actor, thread.space, result["items"])
    return {
        "items": [post_out(post, may_edit=post.pk in editable) for post in result["items"]],
        "next": result["next"],
    }


@router.post(
    "/threads/{thread_id}/posts", response={201: PostOut, **ERRORS}, summary="Reply to a thread"
)
def network_reply(request: HttpRequest, thread_id: Id, data: ReplyIn) -> Status:
    """A member of the space replies (403 for others who read it; 409 once the thread is locked
    or hidden; 429 when they have posted too often)."""
    actor = person(request)
    thread = access.get_thread_for(actor, thread_id)
    try:
        post = posts.reply(actor, thread, body=data.body)
    except PermissionDenied as error:
        if thread.locked_at is not None and access.may_post_in(actor, thread.space):
            raise HttpError(409, LOCKED) from error
        if thread.hidden_at is not None and access.may_post_in(actor, thread.space):
            raise HttpError(409, HIDDEN) from error
        raise HttpError(403, NOT_A_MEMBER) from error
    except posts.PostRefused as refusal:
        raise refused(refusal) from refusal
    return Status(201, _written_post(actor, post.pk))


@router.patch("/posts/{post_id}", response={200: PostOut, **ERRORS}, summary="Edit my post")
def network_edit_post(request: HttpRequest, post_id: Id, data: PostChange) -> dict:
    """Its author changes a post (and, with the opening post, the thread's title); it is shown as
    edited. 403 for someone else's post."""
    actor = person(request)
    post = access.get_own_post(actor, post_id)
    try:
        posts.edit(actor, post, body=data.body, title=data.title)
    except posts.PostRefused as refusal:
        raise refused(refusal) from refusal
    return _written_post(actor, post.pk)


@router.delete("/posts/{post_id}", response={200: PostOut, **ERRORS}, summary="Delete my post")
def network_delete_post(request: HttpRequest, post_id: Id) -> dict:
    """Its author deletes a post: its words and files go, a placeholder stays in the thread.
    403 for someone else's post."""
    actor = person(request)
    post = access.get_own_post(actor, post_id)
    posts.delete(actor, post)
    return _written_post(actor, post.pk)
