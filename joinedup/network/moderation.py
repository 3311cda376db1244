"""Moderation: reporting a post, and what a space's moderators (or the partnership lead) do.

Each service is one transaction. Every moderator's act (hide, restore, lock, unlock, dismiss)
writes a `ModerationAction` (the space's moderation log, with the reason) and an audit event
(ids and non-personal values only: the reason stays in the log). A report writes an audit event;
the log has no kind for it, and its reporter is not shown to the space's readers.

The state change is a conditional update (`filter(hidden_at=None).update(...)`), so two
moderators acting at once cannot both hide a post; the second is told it is already hidden
(a ValidationError without a field), as is anyone hiding a hidden post or locking a locked thread.

E-mails go after the transaction commits: the post's author is always told why a post was
hidden or restored, or a thread locked or unlocked (it concerns their own writing); a space's
named moderators (or, when it names none, the partnership's leads) get an optional e-mail for
each report.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from joinedup.partnership import audit
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import PartnershipRole, PartnershipRoleGrant, Person
from joinedup.partnership.notifications import notify

from . import access
from .models import (
    MemberStatus,
    ModerationAction,
    ModerationKind,
    Post,
    Report,
    ReportReason,
    ReportStatus,
    SpaceMember,
    Thread,
)
from .text import clean_typed, plain_text

REASON_LIMIT = 2_000
DETAIL_LIMIT = 2_000
EXCERPT_LIMIT = 300

# What a moderator is asked for, by action (the form's label and the missing reason's message).
REASON_MISSING = {
    ModerationKind.HIDE: "Enter why you are hiding this post",
    ModerationKind.RESTORE: "Enter why you are restoring this post",
    ModerationKind.LOCK: "Enter why you are locking this thread",
    ModerationKind.UNLOCK: "Enter why you are unlocking this thread",
    ModerationKind.DISMISS: "Enter why this report needs no action",
}


def _reason(kind: str, reason: object) -> str:
    """The moderator's reason, cleaned; a ValidationError on "reason" when missing or too long."""
    text = clean_typed(str(reason or "")).strip()
    if not text:
        raise ValidationError({"reason": REASON_MISSING[kind]})
    if len(text) > REASON_LIMIT:
        raise ValidationError(
            {"reason": f"The reason must be {REASON_LIMIT:,} characters or fewer"}
        )
    return text


def _log(
    actor: Actor, kind: str, thread: Thread, reason: str, post: Post | None = None
) -> ModerationAction:
    return ModerationAction.objects.create(
        space_id=thread.space_id,
        thread=thread,
        post=post,
        kind=kind,
        reason=reason,
        moderator=actor.person,
        acting_for=actor.organisation,
    )


def _audit(actor: Actor, action: str, thread: Thread, changes: dict, post: Post | None = None):
    audit.record(
        actor=actor,
        action=action,
        kind="network_post" if post is not None else "network_thread",
        object_id=post.pk if post is not None else thread.pk,
        label=f"Post {post.pk}" if post is not None else f"Thread {thread.pk}",
        organisation=actor.organisation,
        partnership=thread.space.partnership,
        changes={"space": thread.space_id, "thread": thread.pk, **changes},
    )


def _require_moderator(actor: Actor, thread: Thread) -> None:
    if not access.may_moderate(actor, thread.space):
        raise PermissionDenied


def _tell_author(author_id: int | None, template: str, context: dict) -> None:
    """E-mail the author once the change commits (not optional: it is about their own post)."""
    if author_id is None:
        return

    def send() -> None:
        author = Person.objects.filter(pk=author_id, is_active=True).first()
        if author is not None:
            code = settings.SITE_URL + reverse("network:code-of-conduct")
            notify(author, template, {**context, "code_of_conduct_url": code})

    transaction.on_commit(send, robust=True)


# --- Reporting -----------------------------------------------------------------------------------


def report(*, actor: Actor, post: Post, reason: str, detail: str = "") -> Report:
    """Anyone who reads a post, but its author, reports it once (while their report is open) with
    a reason; the space's moderators are told by e-mail."""
    if not access.may_report(actor, post) or actor.organisation is None:
        raise PermissionDenied
    if not access.visible_posts(actor).filter(pk=post.pk).exists():
        raise PermissionDenied
    errors: dict[str, str] = {}
    detail = clean_typed(str(detail or "")).strip()
    if reason not in ReportReason.values:
        errors["reason"] = "Choose why you are reporting this post"
    if len(detail) > DETAIL_LIMIT:
        errors["detail"] = f"The details must be {DETAIL_LIMIT:,} characters or fewer"
    elif reason == ReportReason.OTHER and not detail:
        errors["detail"] = "Say what is wrong with the post"
    if errors:
        raise ValidationError(errors)
    if post.deleted_at is not None:
        raise ValidationError("Its author has deleted this post, so there is nothing to report.")
    if post.hidden_at is not None:
        raise ValidationError("A moderator has already hidden this post.")
    already = "You have already reported this post. A moderator will look at it soon."
    if Report.objects.filter(post=post, reporter=actor.person, status=ReportStatus.OPEN).exists():
        raise ValidationError(already)
    with transaction.atomic():
        made = Report(
            post=post,
            reporter=actor.person,
            reporter_organisation=actor.organisation,
            reason=reason,
            detail=detail,
        )
        # The unique constraint on open reports decides a race between two submissions.
        try:
            with transaction.atomic():
                made.save()
        except IntegrityError:
            raise ValidationError(already) from None
        _audit(
            actor,
            "network.post_reported",
            post.thread,
            {"report": made.pk, "reason": reason},
            post=post,
        )
        _tell_moderators(made)
    return made


def moderators_to_tell(report: Report) -> list[Person]:
    """The space's named moderators; when it names none, the leads of its partnership. Never the
    reporter."""
    space = report.post.space
    named = Person.objects.filter(
        pk__in=SpaceMember.objects.filter(
            space=space, is_moderator=True, status=MemberStatus.ACTIVE
        ).values("person")
    )
    if not named.exists():
        named = Person.objects.filter(
            pk__in=PartnershipRoleGrant.objects.filter(
                partnership_id=space.partnership_id, role=PartnershipRole.PARTNERSHIP_LEAD
            ).values("person")
        )
    return list(named.filter(is_active=True).exclude(pk=report.reporter_id).order_by("pk"))


def _tell_moderators(made: Report) -> None:
    report_id = made.pk

    def send() -> None:
        found = Report.objects.select_related("post__thread", "post__space").get(pk=report_id)
        context = {
            "report": found,
            "thread": found.post.thread,
            "space": found.post.space,
            "queue_url": settings.SITE_URL + reverse("network:moderation"),
        }
        for moderator in moderators_to_tell(found):
            notify(moderator, "network_post_reported", context, optional=True)

    transaction.on_commit(send, robust=True)


# --- Hiding and restoring posts ------------------------------------------------------------------


def hide(*, actor: Actor, post: Post, reason: str) -> ModerationAction:
    """A moderator hides a post, saying why: its text is kept for moderators, its open reports
    are upheld, and its author is told. Hiding an opening post hides its thread."""
    _require_moderator(actor, post.thread)
    reason = _reason(ModerationKind.HIDE, reason)
    if post.deleted_at is not None:
        raise ValidationError("Its author has deleted this post, so there is nothing to hide.")
    now = timezone.now()
    with transaction.atomic():
        hidden = Post.objects.filter(pk=post.pk, hidden_at=None).update(
            hidden_at=now, hidden_by=actor.person, hidden_reason=reason
        )
        if not hidden:
            raise ValidationError("This post is already hidden.")
        if post.is_opening:
            Thread.objects.filter(pk=post.thread_id).update(hidden_at=now)
        upheld = list(
            Report.objects.filter(post=post, status=ReportStatus.OPEN).values_list("pk", flat=True)
        )
        Report.objects.filter(pk__in=upheld).update(
            status=ReportStatus.UPHELD, decided_by=actor.person, decided_at=now
        )
        action = _log(actor, ModerationKind.HIDE, post.thread, reason, post=post)
        _audit(
            actor,
            "network.post_hidden",
            post.thread,
            {"moderation_action": action.pk, "opening": post.is_opening, "reports_upheld": upheld},
            post=post,
        )
        _tell_author(post.author_id, "network_post_hidden", _post_context(post, reason))
    post.hidden_at, post.hidden_by, post.hidden_reason = now, actor.person, reason
    if post.is_opening:
        post.thread.hidden_at = now
    return action


def restore(*, actor: Actor, post: Post, reason: str) -> ModerationAction:
    """A moderator shows a hidden post again, saying why; its author is told."""
    _require_moderator(actor, post.thread)
    reason = _reason(ModerationKind.RESTORE, reason)
    with transaction.atomic():
        shown = Post.objects.filter(pk=post.pk, hidden_at__isnull=False).update(
            hidden_at=None, hidden_by=None, hidden_reason=""
        )
        if not shown:
            raise ValidationError("This post is not hidden.")
        if post.is_opening:
            Thread.objects.filter(pk=post.thread_id).update(hidden_at=None)
        action = _log(actor, ModerationKind.RESTORE, post.thread, reason, post=post)
        _audit(
            actor,
            "network.post_restored",
            post.thread,
            {"moderation_action": action.pk, "opening": post.is_opening},
            post=post,
        )
        _tell_author(post.author_id, "network_post_restored", _post_context(post, reason))
    post.hidden_at, post.hidden_by, post.hidden_reason = None, None, ""
    if post.is_opening:
        post.thread.hidden_at = None
    return action


def _post_context(post: Post, reason: str) -> dict:
    excerpt = plain_text(post.body)
    if len(excerpt) > EXCERPT_LIMIT:
        excerpt = excerpt[: EXCERPT_LIMIT - 1].rstrip() + "…"
    return {
        "thread_title": post.thread.title,
        "space_title": post.space.title,
        "posted_at": post.created_at,
        "excerpt": excerpt,
        "reason": reason,
    }


# --- Locking threads -----------------------------------------------------------------------------


def lock(*, actor: Actor, thread: Thread, reason: str) -> ModerationAction:
    """A moderator locks a thread, saying why: nobody replies until it is unlocked; its author
    is told."""
    _require_moderator(actor, thread)
    reason = _reason(ModerationKind.LOCK, reason)
    now = timezone.now()
    with transaction.atomic():
        locked = Thread.objects.filter(pk=thread.pk, locked_at=None).update(
            locked_at=now, locked_by=actor.person, lock_reason=reason
        )
        if not locked:
            raise ValidationError("This thread is already locked.")
        action = _log(actor, ModerationKind.LOCK, thread, reason)
        _audit(actor, "network.thread_locked", thread, {"moderation_action": action.pk})
        _tell_author(thread.author_id, "network_thread_locked", _thread_context(thread, reason))
    thread.locked_at, thread.locked_by, thread.lock_reason = now, actor.person, reason
    return action


def unlock(*, actor: Actor, thread: Thread, reason: str) -> ModerationAction:
    """A moderator opens a locked thread to replies again, saying why; its author is told."""
    _require_moderator(actor, thread)
    reason = _reason(ModerationKind.UNLOCK, reason)
    with transaction.atomic():
        unlocked = Thread.objects.filter(pk=thread.pk, locked_at__isnull=False).update(
            locked_at=None, locked_by=None, lock_reason=""
        )
        if not unlocked:
            raise ValidationError("This thread is not locked.")
        action = _log(actor, ModerationKind.UNLOCK, thread, reason)
        _audit(actor, "network.thread_unlocked", thread, {"moderation_action": action.pk})
        _tell_author(thread.author_id, "network_thread_unlocked", _thread_context(thread, reason))
    thread.locked_at, thread.locked_by, thread.lock_reason = None, None, ""
    return action


def _thread_context(thread: Thread, reason: str) -> dict:
    return {
        "thread_title": thread.title,
        "space_title": thread.space.title,
        "reason": reason,
    }


# --- Dismissing reports -------------------------------------------------------------------------


def dismiss(*, actor: Actor, report: Report, reason: str) -> ModerationAction:
    """A moderator decides an open report needs no action, saying why (kept in the log)."""
    _require_moderator(actor, report.post.thread)
    reason = _reason(ModerationKind.DISMISS, reason)
    now = timezone.now()
    with transaction.atomic():
        decided = Report.objects.filter(pk=report.pk, status=ReportStatus.OPEN).update(
            status=ReportStatus.DISMISSED, decided_by=actor.person, decided_at=now
        )
        if not decided:
            raise ValidationError("This report has already been decided.")
        action = _log(actor, ModerationKind.DISMISS, report.post.thread, reason, post=report.post)
        _audit(
            actor,
            "network.report_dismissed",
            report.post.thread,
            {"moderation_action": action.pk, "report": report.pk},
            post=report.post,
        )
    report.status, report.decided_by, report.decided_at = ReportStatus.DISMISSED, actor.person, now
    return action
