"""The discussion operations of /api/v1/network/spaces, as in `declarations/api.py`.

Objects (see objects_network_api.py and network_scene.py): each organisation's community space,
a thread in it and a reply, written by its staff persona (own_staff, partner_staff, outsider);
the standing partnership's spaces also have the "space_moderator" persona as a moderator member.
A community is seen by everyone of its partnership (organisation tokens too); its discussion is
read by its members and the partnership lead (403 for others who see the space, 404 for threads
and posts they do not read). "My spaces" needs a person (403 for organisation tokens), as does
every write. Starting a thread, replying and editing take a JSON body; the matrix sends none, so
every authenticated caller is told the body is missing (422) before anything is read, and the
API's own tests check who may write. Deleting needs no body: the author only (403 for others who
read the post).
"""

from __future__ import annotations

from .api import caller, partnership_member, person_only
from .network_posts import STAFF, reads
from .shapes import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    UNAUTHORISED,
    Answers,
    Persona,
    Status,
    everyone,
    route,
)


def space_readers(ok: Status = OK) -> Answers:
    """Who reads the space's discussion; 403 for others who see the community; else 404."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if who.person and reads(who, obj):
            return ok
        return FORBIDDEN if who.sees(obj) else NOT_FOUND

    return Answers(rule)


def discussion_readers(ok: Status = OK) -> Answers:
    """Who reads a thread or post; 404 for everyone else (organisation tokens read none)."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return ok if who.person and reads(who, obj) else NOT_FOUND

    return Answers(rule)


def post_author(ok: Status = OK) -> Answers:
    """The post's author; 403 for others who read it and for organisation tokens; else 404."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        if not who.person:
            return FORBIDDEN
        if who.name == STAFF[obj]:
            return ok
        return FORBIDDEN if reads(who, obj) else NOT_FOUND

    return Answers(rule)


SPACES = "/api/v1/network/spaces"

OPERATIONS: dict[str, Answers] = {
    f"GET {SPACES}": person_only(),
    f"GET {SPACES}/{{space_id}}": partnership_member(),
    f"GET {SPACES}/{{space_id}}/threads": space_readers(),
    f"POST {SPACES}/{{space_id}}/threads": caller(422),
    f"GET {SPACES}/threads/{{thread_id}}": discussion_readers(),
    f"GET {SPACES}/threads/{{thread_id}}/posts": discussion_readers(),
    f"POST {SPACES}/threads/{{thread_id}}/posts": caller(422),
    f"PATCH {SPACES}/posts/{{post_id}}": caller(422),
    f"DELETE {SPACES}/posts/{{post_id}}": post_author(),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401. Each
# address is named after each of its operations.
_THREADS = route(public=True, GET=space_readers(), POST=everyone(UNAUTHORISED))
_POSTS = route(public=True, GET=discussion_readers(), POST=everyone(UNAUTHORISED))
_POST = route(public=True, PATCH=everyone(UNAUTHORISED), DELETE=everyone(UNAUTHORISED))
ROUTES = {
    "api:network_my_spaces": route(public=True, GET=person_only()),
    "api:network_space": route(public=True, GET=partnership_member()),
    "api:network_space_threads": _THREADS,
    "api:network_start_thread": _THREADS,
    "api:network_thread": route(public=True, GET=discussion_readers()),
    "api:network_thread_posts": _POSTS,
    "api:network_reply": _POSTS,
    "api:network_edit_post": _POST,
    "api:network_delete_post": _POST,
}
