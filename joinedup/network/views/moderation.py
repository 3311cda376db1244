"""Moderation: the code of conduct, reporting a post, the moderators' queue of open reports, hiding
and restoring posts, locking and unlocking threads, dismissing reports, and a space's moderation
log. Every fetch goes through access.py; every write through moderation.py."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from joinedup.partnership.views.manage import posted, show_refusal

from .. import access, moderation
from ..models import ModerationAction, ModerationKind, Post, ReportStatus, Thread
from ..moderation_forms import REASON_FORMS, ReportForm

QUEUE_LIMIT = 500  # open reports read for the queue, oldest first
LOG_LIMIT = 200  # newest entries of a space's moderation log
BACK_TO_QUEUE = "queue"
# Each moderator's action: the page's heading and its button.
WORDS = {
    ModerationKind.HIDE: ("Hide a post", "Hide post"),
    ModerationKind.RESTORE: ("Restore a hidden post", "Restore post"),
    ModerationKind.LOCK: ("Lock a thread", "Lock thread"),
    ModerationKind.UNLOCK: ("Unlock a thread", "Unlock thread"),
    ModerationKind.DISMISS: ("Dismiss a report", "Dismiss report"),
}


def _post_url(post: Post) -> str:
    return reverse("network:thread", args=[post.thread_id]) + f"#post-{post.pk}"


@require_GET
def code_of_conduct(request: HttpRequest) -> HttpResponse:
    """How to take part, and how reporting and moderation work."""
    return render(request, "network/moderation/code_of_conduct.html")


@require_http_methods(["GET", "POST"])
def post_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a post to the space's moderators, with a reason."""
    actor = request.actor
    post = access.get_reportable_post(actor, pk)
    form = ReportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            moderation.report(actor=actor, post=post, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Thank you. The space's moderators will look at the post.")
            return redirect(_post_url(post))
    already = post.reports.filter(reporter=actor.person, status=ReportStatus.OPEN).first()
    context = {"form": form, "post": post, "already": already, "post_url": _post_url(post)}
    return render(request, "network/moderation/report.html", context)


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Open reports in the spaces the actor moderates, oldest first, grouped by post."""
    actor = request.actor
    if not access.may_moderate_any(actor):
        raise PermissionDenied
    reports = (
        access.moderated_reports(actor)
        .filter(status=ReportStatus.OPEN)
        .select_related(
            "post__thread",
            "post__space",
            "post__author",
            "post__author_organisation",
        )
        .order_by("created_at", "id")[:QUEUE_LIMIT]
    )
    posts: dict[int, dict] = {}
    for found in reports:
        entry = posts.setdefault(found.post_id, {"post": found.post, "reports": []})
        entry["reports"].append(found)
    context = {
        "entries": list(posts.values()),
        "limit": QUEUE_LIMIT,
        "spaces": list(access.moderated_spaces(actor).order_by("title", "pk")[:LOG_LIMIT]),
        "back": BACK_TO_QUEUE,
    }
    return render(request, "network/moderation/queue.html", context)


def _act(
    request: HttpRequest,
    *,
    kind: str,
    subject: dict,
    service: Callable[..., ModerationAction],
    done: str,
    back_to: str,
    settled: str = "",
) -> HttpResponse:
    """The reason form of one moderator's action; on a valid POST, the action, then back.
    `settled` says why there is nothing to do (a hidden post to hide); the page says so."""
    form = REASON_FORMS[kind](posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.actor, reason=form.cleaned_data["reason"], **subject)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, done)
            if request.POST.get("back") == BACK_TO_QUEUE:
                return redirect("network:moderation")
            return redirect(back_to)
    back = request.POST.get("back") if request.method == "POST" else request.GET.get("back")
    context = {
        "form": form,
        "kind": kind,
        "settled": settled,
        "title": WORDS[kind][0],
        "button": WORDS[kind][1],
        "back": BACK_TO_QUEUE if back == BACK_TO_QUEUE else "",
        "cancel_url": reverse("network:moderation") if back == BACK_TO_QUEUE else back_to,
        **subject,
    }
    return render(request, "network/moderation/action.html", context)


@require_http_methods(["GET", "POST"])
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide a post from everyone but the space's moderators, saying why."""
    post = access.get_moderated_post(request.actor, pk)
    return _act(
        request,
        kind=ModerationKind.HIDE,
        subject={"post": post},
        service=moderation.hide,
        done="The post is hidden and its author has been told why.",
        back_to=_post_url(post),
        settled="This post is already hidden." if post.hidden_at else "",
    )


@require_http_methods(["GET", "POST"])
def post_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a hidden post again, saying why."""
    post = access.get_moderated_post(request.actor, pk)
    return _act(
        request,
        kind=ModerationKind.RESTORE,
        subject={"post": post},
        service=moderation.restore,
        done="The post is shown again and its author has been told why.",
        back_to=_post_url(post),
        settled="" if post.hidden_at else "This post is not hidden.",
    )


def _thread_url(thread: Thread) -> str:
    return reverse("network:thread", args=[thread.pk])


@require_http_methods(["GET", "POST"])
def thread_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lock a thread so nobody replies, saying why."""
    thread = access.get_moderated_thread(request.actor, pk)
    return _act(
        request,
        kind=ModerationKind.LOCK,
        subject={"thread": thread},
        service=moderation.lock,
        done="The thread is locked and its author has been told why.",
        back_to=_thread_url(thread),
        settled="This thread is already locked." if thread.locked_at else "",
    )


@require_http_methods(["GET", "POST"])
def thread_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a locked thread to replies again, saying why."""
    thread = access.get_moderated_thread(request.actor, pk)
    return _act(
        request,
        kind=ModerationKind.UNLOCK,
        subject={"thread": thread},
        service=moderation.unlock,
        done="The thread is open to replies again and its author has been told.",
        back_to=_thread_url(thread),
        settled="" if thread.locked_at else "This thread is not locked.",
    )


@require_http_methods(["GET", "POST"])
def report_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """Decide that a report needs no action, saying why."""
    found = access.get_moderated_report(request.actor, pk)
    return _act(
        request,
        kind=ModerationKind.DISMISS,
        subject={"report": found},
        service=moderation.dismiss,
        done="The report is dismissed.",
        back_to=reverse("network:moderation"),
        settled=""
        if found.status == ReportStatus.OPEN
        else f"This report has already been decided: {found.get_status_display().lower()}.",
    )


@require_GET
def space_log(request: HttpRequest, pk: int) -> HttpResponse:
    """A space's moderation log, newest first: what was done, by whom and why."""
    space = access.get_moderated_space(request.actor, pk)
    actions = space.moderation_actions.select_related(
        "moderator", "acting_for", "thread", "post"
    ).order_by("-at", "-id")[:LOG_LIMIT]
    context = {"space": space, "actions": list(actions), "limit": LOG_LIMIT}
    return render(request, "network/moderation/log.html", context)
