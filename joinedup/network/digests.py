"""Daily and weekly digests: one e-mail per person covering every space they chose it for.

Each membership's `digest_sent_until` is the end of the last window sent (or, before the first,
when they joined). `send_digests(cutoff, frequency)` claims each due membership's window with one
conditional update (its `digest_sent_until` must still hold the value this worker read), so two
workers never send the same window; the posts of the claimed windows (written after the window's
start, up to the cutoff; not the person's own; neither hidden nor deleted, nor in a hidden
thread) go out in one e-mail once the claim commits. Each post is therefore in exactly one
digest. When nothing is new the window still moves on, and no e-mail goes.

The jobs run hourly and use a fixed cutoff: the latest 07:00 in London for daily digests, and the
latest Monday 07:00 for weekly ones, so digests arrive in the morning whenever the worker started
and a second run in the same period finds nothing due.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from joinedup.partnership.models import Person
from joinedup.partnership.notifications import notify

from . import notices
from .models import MemberStatus, Post, SpaceMember, Subscription

TEMPLATE = "network_digest"
FREQUENCIES: tuple[str, ...] = (Subscription.DAILY, Subscription.WEEKLY)
LONDON = ZoneInfo("Europe/London")
SEND_HOUR = 7
EXCERPT_CHARACTERS = 300


def digest_cutoff(now: dt.datetime, frequency: str) -> dt.datetime:
    """The latest 07:00 in London at or before `now` (for weekly digests, the latest Monday's)."""
    local = now.astimezone(LONDON)
    cutoff = local.replace(hour=SEND_HOUR, minute=0, second=0, microsecond=0)
    # Wall-clock arithmetic in London: the day before's 07:00 is 07:00 across a clock change.
    if cutoff > local:
        cutoff -= dt.timedelta(days=1)
    if frequency == Subscription.WEEKLY:
        cutoff -= dt.timedelta(days=cutoff.weekday())
    return cutoff.astimezone(dt.UTC)


@dataclass
class DigestThread:
    title: str
    url: str
    posts: list[dict[str, object]] = field(default_factory=list)


@dataclass
class DigestSpace:
    title: str
    subscription_url: str
    threads: list[DigestThread] = field(default_factory=list)


def send_digests(now: dt.datetime, frequency: str) -> int:
    """Send each person their `frequency` digest of posts up to `now`; return e-mails sent."""
    if frequency not in FREQUENCIES:
        raise ValueError(f"No digest for {frequency!r}")
    due = (
        SpaceMember.objects.filter(
            status=MemberStatus.ACTIVE,
            subscription=frequency,
            person__is_active=True,
        )
        .filter(Q(digest_sent_until__lt=now) | Q(digest_sent_until__isnull=True, joined_at__lt=now))
        .order_by("person_id", "pk")
        .values_list("person_id", "pk", "space_id", "digest_sent_until", "joined_at")
    )
    by_person: dict[int, list[tuple[int, int, dt.datetime | None, dt.datetime]]] = defaultdict(list)
    for person_id, pk, space_id, sent_until, joined_at in due:
        by_person[person_id].append((pk, space_id, sent_until, joined_at))
    sent = 0
    for person_id, windows in by_person.items():
        sent += _send_one(person_id, windows, now, frequency)
    return sent


def _send_one(
    person_id: int,
    windows: list[tuple[int, int, dt.datetime | None, dt.datetime]],
    now: dt.datetime,
    frequency: str,
) -> int:
    """Claim the person's windows and send their digest after the claim commits (1 if sent)."""
    with transaction.atomic():
        claimed = Q(pk__in=[])
        for pk, space_id, sent_until, joined_at in windows:
            won = SpaceMember.objects.filter(
                pk=pk,
                status=MemberStatus.ACTIVE,
                subscription=frequency,
                digest_sent_until=sent_until,
            ).update(digest_sent_until=now)
            if won:
                claimed |= Q(space_id=space_id, created_at__gt=sent_until or joined_at)
        posts = list(
            Post.objects.filter(claimed, created_at__lte=now)
            .filter(hidden_at__isnull=True, deleted_at__isnull=True, thread__hidden_at=None)
            .exclude(author_id=person_id)
            .select_related("thread", "space", "author", "author_organisation")
            .order_by(
                "space__title", "space_id", "thread__last_post_at", "thread_id", "created_at", "pk"
            )
        )
        if not posts:
            return 0
        person = Person.objects.get(pk=person_id)
        context = {
            "frequency": frequency,
            "spaces": _grouped(posts),
            "post_count": len(posts),
            "mine_url": settings.SITE_URL + reverse("network:mine"),
        }
        # robust: one person's failed e-mail is logged and the others still go.
        transaction.on_commit(lambda: notify(person, TEMPLATE, context, optional=True), robust=True)
    return 1


def _grouped(posts: list[Post]) -> list[DigestSpace]:
    """The posts grouped by space, then by thread, in the order given."""
    spaces: dict[int, DigestSpace] = {}
    threads: dict[int, DigestThread] = {}
    for post in posts:
        space = spaces.get(post.space_id)
        if space is None:
            space = spaces[post.space_id] = DigestSpace(
                title=post.space.title, subscription_url=notices.subscription_url(post.space_id)
            )
        thread = threads.get(post.thread_id)
        if thread is None:
            thread = threads[post.thread_id] = DigestThread(
                title=post.thread.title, url=notices.thread_url(post.thread_id)
            )
            space.threads.append(thread)
        thread.posts.append(
            {
                "author_name": post.author.full_name if post.author else "A former member",
                "author_organisation": post.author_organisation.name,
                "created_at": post.created_at,
                "excerpt": notices.excerpt(post.body, EXCERPT_CHARACTERS),
            }
        )
    return list(spaces.values())
