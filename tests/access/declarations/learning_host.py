"""The host's pages: programme management, a run's host view, cancelling, releasing, the log."""

from __future__ import annotations

from .shapes import (
    FACTS,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Answers,
    Persona,
    Status,
    route,
)

# The world's L&D leads.
LD_LEADS = frozenset({"own_ld_lead", "partner_ld_lead"})
# The host roles (learning.access.HOST_ROLES): the L&D leads and the partner's programme leader.
HOSTS = LD_LEADS | {"programme_leader"}


def host_lead(ok: Status = OK) -> Answers:
    """Pages without an object for an organisation's L&D lead or programme leader; 403 for
    everyone else signed in."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return ok if persona.name in HOSTS else FORBIDDEN

    return Answers(rule)


def host_of_object(ok: Status = OK) -> Answers:
    """The object's host L&D lead or programme leader; 403 for others who see it (partners too);
    else 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.name in HOSTS and FACTS[persona.name].home == obj:
            return ok
        return FORBIDDEN if persona.sees(obj) else NOT_FOUND

    return Answers(rule)


def release_log_reader() -> Answers:
    """Hosts' L&D leads read their own releases; the partnership lead reads every member's."""
    return host_lead().but({"partnership_lead": OK})


ROUTES = {
    "learning:manage": route(GET=host_lead()),
    # An empty POST is a form with errors, shown again.
    "learning:programme-new": route(GET=host_lead(), POST=host_lead()),
    "learning:programme-edit": route(GET=host_of_object(), POST=host_of_object()),
    "learning:run-new": route(GET=host_of_object(), POST=host_of_object()),
    "learning:run-manage": route(GET=host_of_object()),
    "learning:run-edit": route(GET=host_of_object(), POST=host_of_object()),
    "learning:run-cancel": route(GET=host_of_object(), POST=host_of_object()),
    # Releasing needs nothing filled in: the host's POST releases and goes back to the run.
    "learning:run-release": route(GET=host_of_object(), POST=host_of_object(REDIRECT)),
    "learning:release-log": route(GET=release_log_reader()),
}
