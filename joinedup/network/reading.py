"""Unread markers and "my discussions".

A thread is unread for a person when its last post is later than their reading mark
(`ThreadRead.read_at`, the last post they were shown), or, with no mark, later than when they
joined its space. Marks only move forwards.
"""

from __future__ import annotations

from django.db.models import BooleanField, Case, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.dateparse import parse_datetime

from joinedup.lib.keyset import KeysetPage, decode_cursor, keyset_page
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import Person

from . import access
from .models import Space, SpaceMember, Thread, ThreadRead

MINE_ORDER = ("-last_post_at", "-id")
MINE_PAGE_SIZE = 25
BATCH = 1000


def with_unread(threads: QuerySet[Thread], person: Person | None) -> QuerySet[Thread]:
    """The threads, each with `unread`: activity since the person's mark (or since they joined
    its space, when they have no mark; with neither, never unread)."""
    if person is None:
        return threads.annotate(unread=Value(False, output_field=BooleanField()))
    read_at = ThreadRead.objects.filter(person=person, thread=OuterRef("pk")).values("read_at")
    joined_at = (
        SpaceMember.objects.filter(person=person, space=OuterRef("space_id"))
        .order_by()
        .values("joined_at")
    )
    # The mark when there is one, else the joining (looked up only when there is no mark).
    seen_until = Coalesce(Subquery(read_at[:1]), Subquery(joined_at[:1]))
    return threads.annotate(
        unread=Case(
            When(last_post_at__gt=seen_until, then=True),
            default=False,
            output_field=BooleanField(),
        )
    )


def mark_all_read(actor: Actor, space: Space) -> int:
    """Mark every thread of the space the actor sees as read up to its last post; return how
    many threads were unread."""
    if actor.person is None:
        return 0
    person = actor.person
    unread = list(
        with_unread(access.visible_threads(actor).filter(space=space), person)
        .filter(unread=True)
        .order_by()
        .values_list("pk", "last_post_at")
    )
    last_post_at = Thread.objects.filter(pk=OuterRef("thread_id")).values("last_post_at")
    for start in range(0, len(unread), BATCH):
        batch = unread[start : start + BATCH]
        ThreadRead.objects.bulk_create(
            [ThreadRead(person=person, thread_id=pk, read_at=at) for pk, at in batch],
            ignore_conflicts=True,
        )
        ThreadRead.objects.filter(person=person, thread_id__in=[pk for pk, _ in batch]).update(
            read_at=Subquery(last_post_at[:1])
        )
    return len(unread)


def my_discussions(
    actor: Actor, *, unread_only: bool = False, after: str | None = None, before: str | None = None
) -> KeysetPage:
    """One page of the threads of the person's spaces, newest activity first, with `unread`."""
    threads = with_unread(access.member_threads(actor), actor.person).select_related("space")
    if unread_only:
        threads = threads.filter(unread=True)
    return keyset_page(
        threads,
        MINE_ORDER,
        after=_valid_cursor(after),
        before=_valid_cursor(before),
        size=MINE_PAGE_SIZE,
    )


def _valid_cursor(cursor: str | None) -> str | None:
    """The cursor if it holds a time and an id (a mangled one gives the first page)."""
    values = decode_cursor(cursor, len(MINE_ORDER))
    if values is None:
        return None
    at, pk = values
    if not isinstance(at, str) or not isinstance(pk, int) or parse_datetime(at) is None:
        return None
    return cursor
