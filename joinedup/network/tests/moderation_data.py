"""The scene the moderation tests share: a community of the standing partnership owned by own
staff, with partner staff as a reader and own L&D lead named moderator. Own staff opened a
thread and replied in it; own admin (no member) and the outsider read nothing; the partnership
lead moderates without being a member."""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.network.models import Post, Space, Thread
from joinedup.network.tests.factories import (
    PostFactory,
    SpaceFactory,
    SpaceMemberFactory,
    ThreadFactory,
)
from joinedup.partnership.tests.world import World


@dataclass
class Scene:
    space: Space
    thread: Thread
    opening: Post
    reply: Post


def build_scene(world: World) -> Scene:
    space = SpaceFactory(
        partnership=world.partnership,
        owner_organisation=world.own,
        owner=world.own_staff,
        title="Social work practice",
    )
    SpaceMemberFactory(space=space, person=world.own_staff, organisation=world.own)
    SpaceMemberFactory(space=space, person=world.partner_staff, organisation=world.partner)
    SpaceMemberFactory(
        space=space, person=world.own_ld_lead, organisation=world.own, is_moderator=True
    )
    thread = ThreadFactory(
        space=space,
        author=world.own_staff,
        author_organisation=world.own,
        title="Group supervision",
    )
    opening = PostFactory(
        thread=thread, is_opening=True, body="How do you run **group** supervision?"
    )
    reply = PostFactory(thread=thread, body="Buy cheap printer ink at example.com today")
    return Scene(space=space, thread=thread, opening=opening, reply=reply)
