"""The network objects every network resolver builds on: a fresh space, thread and post for the
own organisation, a partner or an outsider, made anew on every call (one database may resolve
every route).

- The own organisation's space belongs to the standing partnership and is owned by own_staff;
  the partner's likewise, owned by partner_staff; the outsider's belongs to the other
  partnership and is owned by the outsider.
- Members: the object's staff persona (own_staff, partner_staff, outsider), active; in the
  standing partnership's spaces also "space_moderator" (the persona the space's owner names a
  moderator) when the standing world has that persona.
- A thread is opened, and a post written, by the object's staff persona.
- The partnership lead reads and moderates the standing partnership's spaces without being a
  member.
"""

from __future__ import annotations

from joinedup.network.models import Post, Space, SpaceKind, SpaceMember, Thread
from joinedup.network.text import render
from joinedup.partnership.tests.world import World

from .objects import STAFF, organisation_of

MODERATOR = "space_moderator"


def partnership_of(world: World, which: str):
    return world.other_partnership if which == "outsider" else world.partnership


def space(world: World, which: str, kind: str = SpaceKind.COMMUNITY, **fields) -> Space:
    """A new space of the object's organisation with its staff persona (and the moderator
    persona, where the world has one) as members."""
    owner = world.person(STAFF[which])
    made = Space.objects.create(
        partnership=partnership_of(world, which),
        kind=kind,
        title=f"Matrix space ({which})",
        owner_organisation=organisation_of(world, which),
        owner=owner,
        **fields,
    )
    SpaceMember.objects.create(space=made, person=owner, organisation=organisation_of(world, which))
    moderator = world.person(MODERATOR)
    if moderator is not None and which != "outsider":
        SpaceMember.objects.create(
            space=made,
            person=moderator,
            organisation=world.employments[MODERATOR].organisation,
            is_moderator=True,
        )
    return made


def thread(world: World, which: str, **space_fields) -> Thread:
    """A new thread, with its opening post, by the object's staff persona."""
    where = space(world, which, **space_fields)
    author = world.person(STAFF[which])
    made = Thread.objects.create(
        space=where,
        title="A question about supervision",
        author=author,
        author_organisation=organisation_of(world, which),
    )
    Post.objects.create(
        thread=made,
        space=where,
        is_opening=True,
        author=author,
        author_organisation=organisation_of(world, which),
        body="How do you run **group** supervision?",
        body_html=render("How do you run **group** supervision?"),
    )
    Space.objects.filter(pk=where.pk).update(thread_count=1, last_post_at=made.last_post_at)
    return made


def post(world: World, which: str, **space_fields) -> Post:
    """A new reply by the object's staff persona, in a new thread of a new space."""
    where = thread(world, which, **space_fields)
    reply = Post.objects.create(
        thread=where,
        space=where.space,
        author=where.author,
        author_organisation=where.author_organisation,
        body="We take turns to present a case.",
        body_html=render("We take turns to present a case."),
    )
    Thread.objects.filter(pk=where.pk).update(reply_count=1, last_post_at=reply.created_at)
    return reply
