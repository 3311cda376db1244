"""The own, partner's and outsider's objects of the moderation routes (see network_scene.py): a
fresh post, hidden post, thread, locked thread, open report or space on every call."""

from __future__ import annotations

from django.utils import timezone

from joinedup.network.models import Post, Report, ReportReason, Thread
from joinedup.partnership.tests.world import World

from . import network_scene
from .objects import Kwargs, Resolver, organisation_of


def post(world: World, which: str) -> Kwargs:
    """A reply by the organisation's staff persona."""
    return {"pk": network_scene.post(world, which).pk}


def hidden_post(world: World, which: str) -> Kwargs:
    """A reply a moderator has hidden."""
    found = network_scene.post(world, which)
    Post.objects.filter(pk=found.pk).update(hidden_at=timezone.now(), hidden_reason="Matrix")
    return {"pk": found.pk}


def thread(world: World, which: str) -> Kwargs:
    """A thread opened by the organisation's staff persona."""
    return {"pk": network_scene.thread(world, which).pk}


def locked_thread(world: World, which: str) -> Kwargs:
    """A thread a moderator has locked."""
    found = network_scene.thread(world, which)
    Thread.objects.filter(pk=found.pk).update(locked_at=timezone.now(), lock_reason="Matrix")
    return {"pk": found.pk}


def report(world: World, which: str) -> Kwargs:
    """An open report of a reply, by a reader from the organisation who has since left."""
    found = Report.objects.create(
        post=network_scene.post(world, which),
        reporter=None,
        reporter_organisation=organisation_of(world, which),
        reason=ReportReason.SPAM,
    )
    return {"pk": found.pk}


def space(world: World, which: str) -> Kwargs:
    """A community of the organisation, with its staff persona (and the moderator) as members."""
    return {"pk": network_scene.space(world, which).pk}


RESOLVERS: dict[str, Resolver] = {
    "network:post-report": post,
    "network:post-hide": post,
    "network:post-restore": hidden_post,
    "network:thread-lock": thread,
    "network:thread-unlock": locked_thread,
    "network:report-dismiss": report,
    "network:space-moderation-log": space,
}
