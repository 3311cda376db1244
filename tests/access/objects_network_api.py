"""The own, partner's and outsider's space, thread and post for the discussion API (see
network_scene.py: each made anew, written by the object's staff persona)."""

from __future__ import annotations

from joinedup.partnership.tests.world import World

from . import network_scene
from .objects import Kwargs, Resolver


def space(world: World, which: str) -> Kwargs:
    return {"space_id": network_scene.space(world, which).pk}


def thread(world: World, which: str) -> Kwargs:
    return {"thread_id": network_scene.thread(world, which).pk}


def post(world: World, which: str) -> Kwargs:
    return {"post_id": network_scene.post(world, which).pk}


SPACES = "/api/v1/network/spaces"

API_RESOLVERS: dict[str, Resolver] = {
    f"GET {SPACES}/{{space_id}}": space,
    f"GET {SPACES}/{{space_id}}/threads": space,
    f"POST {SPACES}/{{space_id}}/threads": space,
    f"GET {SPACES}/threads/{{thread_id}}": thread,
    f"GET {SPACES}/threads/{{thread_id}}/posts": thread,
    f"POST {SPACES}/threads/{{thread_id}}/posts": thread,
    f"PATCH {SPACES}/posts/{{post_id}}": post,
    f"DELETE {SPACES}/posts/{{post_id}}": post,
}

RESOLVERS: dict[str, Resolver] = {
    "api:network_space": space,
    "api:network_space_threads": space,
    "api:network_start_thread": space,
    "api:network_thread": thread,
    "api:network_thread_posts": thread,
    "api:network_reply": thread,
    "api:network_edit_post": post,
    "api:network_delete_post": post,
}
