"""The accreditation pages (objects in objects_accreditations.py): a programme delivered by
accredited trainers of each organisation, and a first-generation accreditation of one of its
staff. No persona holds an accreditation; programme_leader is the partner's programme leader.

A programme's trainers and cascade are seen by whoever sees the programme in the catalogue and is
an L&D lead or programme leader (of any organisation), or a lead of the host's partnership; others
who see the programme get 403. Accrediting (first generation) is the host's L&D lead's or
programme leader's; withdrawing is the host's L&D lead's (or the accreditor's); an accreditation
is a 404 to those who do not see the programme's trainers. An empty POST is a form with errors,
shown again.
"""

from __future__ import annotations

from .shapes import FORBIDDEN, LOGIN, NOT_FOUND, OK, Answers, Persona, Status, route, signed_in

LD_LEADS = frozenset({"own_ld_lead", "partner_ld_lead"})
# materials.access.TRAINER_VIEWER_ROLES and learning's host roles: L&D leads, programme leaders.
LEADERS = LD_LEADS | {"programme_leader"}


def _sees_trainers(persona: Persona, obj: str) -> bool:
    return persona.sees(obj) and (persona.name in LEADERS or persona.leads(obj))


def trainer_viewer(ok: Status = OK) -> Answers:
    """L&D leads who see the programme and the leads of its partnership; 403 to others who
    see it; 404 to the rest."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if not persona.sees(obj):
            return NOT_FOUND
        return ok if _sees_trainers(persona, obj) else FORBIDDEN

    return Answers(rule)


def host_ld_lead(ok: Status = OK) -> Answers:
    """The host's L&D lead or programme leader; 403 to others who see the programme; 404 to the
    rest."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if not persona.sees(obj):
            return NOT_FOUND
        return ok if persona.name in LEADERS and persona.home == obj else FORBIDDEN

    return Answers(rule)


def withdrawer(ok: Status = OK) -> Answers:
    """The host's L&D lead; 403 to others who see the programme's trainers; 404 to the rest."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if not _sees_trainers(persona, obj):
            return NOT_FOUND
        return ok if persona.name in LD_LEADS and persona.home == obj else FORBIDDEN

    return Answers(rule)


ROUTES = {
    "materials:my-accreditations": route(GET=signed_in(OK)),
    "materials:programme-accreditations": route(GET=trainer_viewer()),
    "materials:accreditation-cascade": route(GET=trainer_viewer()),
    "materials:accredit": route(GET=host_ld_lead(), POST=host_ld_lead()),
    "materials:accreditation-withdraw": route(GET=withdrawer(), POST=withdrawer()),
}
