"""E-mails about discussions: every-post notices (digests are in digests.py).

The posting services call `post_written` once a post's transaction has committed; one
background task (`notice_tasks.send_post_notices`) then e-mails each active member of the space
who chose "an e-mail for every post", except the author, if the post is still shown to members
(neither hidden nor deleted, nor in a hidden thread) when the task runs. These e-mails are
optional: a person who turned optional e-mails off gets none.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from joinedup.partnership.notifications import notify

from .models import MemberStatus, Post, SpaceMember, Subscription
from .text import plain_text

TEMPLATE = "network_post"
EXCERPT_CHARACTERS = 1000


def post_written(post_id: int) -> None:
    """Queue the post's e-mails (after the surrounding transaction commits, if there is one)."""
    # Imported here: the task module imports this one.
    from .notice_tasks import send_post_notices

    transaction.on_commit(lambda: send_post_notices.enqueue(post_id=post_id))


def excerpt(body: str, limit: int = EXCERPT_CHARACTERS) -> str:
    """The post's words without markup, cut at a word near `limit` characters."""
    words = plain_text(body)
    if len(words) <= limit:
        return words
    return words[:limit].rsplit(None, 1)[0] + " …"


def thread_url(thread_id: int) -> str:
    """The thread's full address, for e-mails."""
    return settings.SITE_URL + reverse("network:thread", kwargs={"pk": thread_id})


def subscription_url(space_id: int) -> str:
    """The full address of the member's subscription page for a space."""
    return settings.SITE_URL + reverse("network:space-subscription", kwargs={"pk": space_id})


def send_post(post_id: int) -> int:
    """E-mail the post to each member who asked for every post; return how many went."""
    post = (
        Post.objects.filter(
            pk=post_id, hidden_at__isnull=True, deleted_at__isnull=True, thread__hidden_at=None
        )
        .select_related("thread", "space", "author", "author_organisation")
        .first()
    )
    if post is None:
        return 0
    members = (
        SpaceMember.objects.filter(
            space_id=post.space_id,
            status=MemberStatus.ACTIVE,
            subscription=Subscription.EVERY_POST,
            person__is_active=True,
        )
        .exclude(person_id=post.author_id)
        .select_related("person")
        .order_by("pk")
    )
    context = {
        "post": post,
        "thread": post.thread,
        "space": post.space,
        "author_name": post.author.full_name if post.author else "A former member",
        "author_organisation": post.author_organisation.name,
        "excerpt": excerpt(post.body),
        "thread_url": thread_url(post.thread_id),
        "subscription_url": subscription_url(post.space_id),
    }
    sent = 0
    for member in members.iterator(chunk_size=500):
        sent += notify(member.person, TEMPLATE, context, optional=True)
    return sent
