"""Threads and posts: starting a thread, reading one (marking it read), replying, editing and
deleting one's own post, and downloading an attachment. Every fetch goes through access.py;
every write through posts.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from joinedup.lib.keyset import keyset_page
from joinedup.lib.uploads import attachment_response

from .. import access, posts
from ..models import Post, Space, Thread
from ..post_forms import EditForm, ReplyForm, ThreadForm

PAGE_SIZE = 25
ORDERING = ("created_at", "id")


def _space_url(space: Space) -> str:
    return reverse("network:space", args=[space.pk])


def _thread_url(thread: Thread) -> str:
    return reverse("network:thread", args=[thread.pk])


def _post_url(post: Post) -> str:
    return f"{_thread_url(post.thread)}#post-{post.pk}"


@require_http_methods(["GET", "POST"])
def thread_new(request: HttpRequest, space_pk: int) -> HttpResponse:
    """A member starts a thread in a space."""
    actor = request.actor
    space = access.get_readable_space(actor, space_pk)
    if not access.may_post_in(actor, space):
        raise PermissionDenied
    posted = request.method == "POST"
    form = ThreadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            thread = posts.start_thread(
                actor,
                space,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except posts.PostRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, "Your thread has been started")
            return redirect("network:thread", pk=thread.pk)
    return render(
        request,
        "network/posts/thread_new.html",
        {"space": space, "form": form, "space_url": _space_url(space)},
    )


@require_GET
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread's posts in order, 50 a page, with a reply form at the end; marks them read."""
    actor = request.actor
    found = access.get_thread_for(actor, pk)
    page = keyset_page(
        access.thread_posts(actor, found)
        .select_related("author", "author_organisation")
        .prefetch_related("attachments"),
        ORDERING,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    editable = access.editable_posts(actor, found.space, page.items)
    shown = [
        {
            "post": post,
            "editable": post.pk in editable,
            "report_url": reverse("network:post-report", args=[post.pk])
            if access.may_report(actor, post) and not post.is_deleted()
            else None,
        }
        for post in page.items
    ]
    if page.items:
        posts.mark_read(actor, found, max(post.created_at for post in page.items))
    return render(
        request,
        "network/posts/thread.html",
        {
            "thread": found,
            "space": found.space,
            "space_url": _space_url(found.space),
            "shown": shown,
            "page": page,
            "may_reply": access.may_reply(actor, found),
            "moderates": access.may_moderate(actor, found.space),
            "form": ReplyForm(),
        },
    )


@require_POST
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's reply; the form again, with what was wrong, if it is refused."""
    actor = request.actor
    found = access.get_thread_for(actor, pk)
    if not access.may_reply(actor, found):
        raise PermissionDenied
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            post = posts.reply(
                actor, found, body=form.cleaned_data["body"], files=form.cleaned_data["files"]
            )
        except posts.PostRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, "Your reply has been posted")
            return redirect(_post_url(post))
    return render(
        request,
        "network/posts/reply.html",
        {"thread": found, "form": form, "space_url": _space_url(found.space)},
        status=200,
    )


@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author changes their post (and the thread's title, with its opening post)."""
    actor = request.actor
    post = access.get_own_post(actor, pk)
    initial = {"body": post.body, "title": post.thread.title}
    form = EditForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        opening=post.is_opening,
    )
    if request.method == "POST" and form.is_valid():
        try:
            posts.edit(
                actor, post, body=form.cleaned_data["body"], title=form.cleaned_data.get("title")
            )
        except posts.PostRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, "Your post has been changed")
            return redirect(_post_url(post))
    return render(
        request,
        "network/posts/edit.html",
        {"post": post, "thread": post.thread, "form": form, "thread_url": _post_url(post)},
    )


@require_http_methods(["GET", "POST"])
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """The author confirms, then deletes their post (a placeholder keeps its place)."""
    actor = request.actor
    post = access.get_own_post(actor, pk)
    if request.method == "POST":
        posts.delete(actor, post)
        messages.success(request, "Your post has been deleted")
        return redirect(_post_url(post))
    return render(
        request,
        "network/posts/delete.html",
        {"post": post, "thread": post.thread, "thread_url": _post_url(post)},
    )


@require_GET
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A file of a post the actor reads, as a download."""
    found = access.get_attachment_for(request.actor, pk)
    try:
        return attachment_response(
            found.storage_name, file_name=found.file_name, content_type=found.content_type
        )
    except (FileNotFoundError, ValueError):
        raise Http404("This file is missing") from None
