"""The accreditation operations of /api/v1/trainers/accreditations, as in `declarations/api.py`.

The objects are those of `objects_accreditations.py`: a first-generation accreditation of one of
each organisation's staff for its programme delivered by accredited trainers. An accreditation
is seen by L&D leads and programme leaders who see the programme and by the leads of its
partnership (and by its holder); it is a 404 to everyone else, organisation tokens too
(accreditations are personal). Accrediting and withdrawing take a JSON body; the matrix sends
none, so whoever is authenticated is told which field is missing (422) before anything else is
checked.
"""

from __future__ import annotations

from .api import caller
from .shapes import NOT_FOUND, OK, UNAUTHORISED, Answers, Persona, Status, everyone, route

# materials.access.TRAINER_VIEWER_ROLES: L&D leads and programme leaders.
LD_LEADS = frozenset({"own_ld_lead", "partner_ld_lead", "programme_leader"})


def sees_trainers(who: Persona, obj: str) -> bool:
    """A personal caller who sees the programme and is an L&D lead or programme leader, or a lead
    of its partnership."""
    return who.person and who.sees(obj) and (who.name in LD_LEADS or who.leads(obj))


def trainer_viewer(ok: Status = OK) -> Answers:
    """Personal callers who see the programme's trainers; 404 for the rest."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return ok if sees_trainers(who, obj) else NOT_FOUND

    return Answers(rule)


OPERATIONS: dict[str, Answers] = {
    "GET /api/v1/trainers/accreditations": caller(),
    "POST /api/v1/trainers/accreditations": caller(422),
    "GET /api/v1/trainers/accreditations/{pk}": trainer_viewer(),
    "POST /api/v1/trainers/accreditations/{pk}/withdraw": caller(422),
}

# With a browser session (which only reads): GET as with a personal token; POST is a 401.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    # Listing and accrediting share one path, and so their answers.
    "api:list_accreditations": route(public=True, GET=caller(), POST=WRITE),
    "api:create_accreditation": route(public=True, GET=caller(), POST=WRITE),
    "api:accreditation_detail": route(public=True, GET=trainer_viewer()),
    "api:withdraw_accreditation": route(public=True, POST=WRITE),
}
