"""Opportunities, recommendations and applications.

Anyone signed in searches opportunities, sees what is recommended for them and lists their own
applications. An opportunity (open, of the object's organisation) is read, and applied for, by
everyone whose organisation sees the host's (the partnership; an empty POST to apply is a form
with errors, shown again). Hosts are the acting organisation's L&D leads and organisation admins
(the outsider admins their own organisation): they offer opportunities, and change, close, read
the applications of and find people who might fit their own organisation's (403 to others who
see it, 404 to the rest).

An application stands for each object as one to the object's organisation's opportunity, made by
`APPLICANT[obj]` (see objects_talent_opportunities.py). The applicant and the host read it; the
host shortlists, interviews, offers and declines (403 to the applicant); the applicant accepts
and withdraws (403 to the host); everyone else is told nothing of it (404). Shortlisting,
offering and withdrawing need nothing typed, so the POST acts and goes back to the application;
an empty interview or decline is a form with errors, and accepting an application that has no
offer shows the refusal.
"""

from __future__ import annotations

from .learning_host import LD_LEADS
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
    partnership_member,
    route,
    signed_in,
)

# Who applied to each object's opportunity (nobody of the standing world for the outsider's).
APPLICANT = {"own": "partner_staff", "partner": "own_staff", "outsider": None}


def _hosts(persona: Persona) -> bool:
    return persona.name in LD_LEADS or persona.admin


def host() -> Answers:
    """Pages without an object for hosts (L&D leads and admins); 403 for everyone else."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if _hosts(persona) else FORBIDDEN

    return Answers(rule)


def _hosts_object(persona: Persona, obj: str) -> bool:
    return _hosts(persona) and FACTS[persona.name].home == obj


def host_of_object(ok: Status = OK) -> Answers:
    """The object's host; 403 for others who see it; 404 for the rest."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if _hosts_object(persona, obj):
            return ok
        return FORBIDDEN if persona.sees(obj) else NOT_FOUND

    return Answers(rule)


def application(host: Status = OK, applicant: Status = OK) -> Answers:
    """The application's host and applicant get their answers; 404 for everyone else."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.name == APPLICANT[obj]:
            return applicant
        if _hosts_object(persona, obj):
            return host
        return NOT_FOUND

    return Answers(rule)


ROUTES = {
    "talent:opportunities": route(GET=signed_in()),
    "talent:opportunities-recommended": route(GET=signed_in()),
    "talent:applications-mine": route(GET=signed_in()),
    "talent:opportunities-hosted": route(GET=host()),
    # An empty POST is a form with errors, shown again.
    "talent:opportunity-new": route(GET=host(), POST=host()),
    "talent:opportunity": route(GET=partnership_member()),
    "talent:opportunity-apply": route(GET=partnership_member(), POST=partnership_member()),
    "talent:opportunity-edit": route(GET=host_of_object(), POST=host_of_object()),
    # An empty POST chooses no action: the page says so.
    "talent:opportunity-close": route(GET=host_of_object(), POST=host_of_object()),
    "talent:opportunity-candidates": route(GET=host_of_object()),
    "talent:opportunity-applications": route(GET=host_of_object()),
    "talent:application": route(GET=application()),
    "talent:application-shortlist": route(
        GET=application(applicant=FORBIDDEN), POST=application(REDIRECT, FORBIDDEN)
    ),
    "talent:application-interview": route(
        GET=application(applicant=FORBIDDEN), POST=application(applicant=FORBIDDEN)
    ),
    "talent:application-offer": route(
        GET=application(applicant=FORBIDDEN), POST=application(REDIRECT, FORBIDDEN)
    ),
    "talent:application-decline": route(
        GET=application(applicant=FORBIDDEN), POST=application(applicant=FORBIDDEN)
    ),
    "talent:application-accept": route(
        GET=application(host=FORBIDDEN), POST=application(host=FORBIDDEN)
    ),
    "talent:application-withdraw": route(
        GET=application(host=FORBIDDEN), POST=application(FORBIDDEN, REDIRECT)
    ),
}
