"""My discussions, a member's subscription to a space, and marking a space read (see
objects_network_reading.py for the objects).

Anyone signed in has a "My discussions" page (empty when in no space). A subscription is an
active member's own: members of the object's space (its organisation's staff persona and, in
the standing partnership's spaces, the "space_moderator" persona) read and change it (an empty
POST is the form again with its error); anyone else who sees the community listed, the
partnership lead included, gets 403; everyone else 404. Marking a space read is for whoever
reads its discussion (members and the lead of its partnership: a redirect to the space); others
who see it get 403. The rules name the moderator persona, so they hold whether or not the
standing world has it yet.
"""

from __future__ import annotations

from .network_posts import reads, space_writers
from .shapes import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    REDIRECT,
    Answers,
    Persona,
    Status,
    route,
    signed_in,
)


def space_readers(ok: Status = REDIRECT) -> Answers:
    """Who reads the space's discussion (`ok`); 403 for others who see it; 404 for the rest."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if reads(persona, obj):
            return ok
        return FORBIDDEN if persona.sees(obj) else NOT_FOUND

    return Answers(rule)


ROUTES = {
    "network:mine": route(GET=signed_in()),
    "network:space-subscription": route(GET=space_writers(), POST=space_writers()),
    "network:space-mark-read": route(POST=space_readers()),
}
