"""The levy account set-up pages: schemes, declarations, the import and commitments.

Every object belongs to one organisation's levy account. Its figures are read by that
organisation's levy officer and admins and by the partnership lead of a partnership it belongs
to (`levy.access.visible_accounts`); everyone else gets a 404. Only the organisation's own levy
officer changes anything: the other readers get a 403. Forms posted empty are shown again with
their errors (200).
"""

from __future__ import annotations

from .shapes import FACTS, FORBIDDEN, LOGIN, NOT_FOUND, OK, Answers, Persona, Status, route

# Levy officers by organisation (the standing world has one, at the own organisation).
LEVY_OFFICERS = {"own_levy_officer": "own"}


def reads_levy(persona: Persona, obj: str) -> bool:
    """The persona reads the levy figures of the object's organisation."""
    own_reader = persona.home == obj and (persona.admin or persona.name in LEVY_OFFICERS)
    return own_reader or persona.leads(obj)


def levy_reader(ok: Status = OK) -> Answers:
    """Readers of the account's figures; 404 for everyone else."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return ok if reads_levy(persona, obj) else NOT_FOUND

    return Answers(rule)


def levy_officer(ok: Status = OK) -> Answers:
    """The account's own levy officer; 403 for its other readers; 404 for everyone else."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if LEVY_OFFICERS.get(persona.name) == obj:
            return ok
        return FORBIDDEN if reads_levy(persona, obj) else NOT_FOUND

    return Answers(rule)


assert set(LEVY_OFFICERS) <= set(FACTS)

ROUTES = {
    "levy:setup": route(GET=levy_reader()),
    "levy:setup-scheme-add": route(GET=levy_officer(), POST=levy_officer()),
    "levy:setup-declarations": route(GET=levy_reader()),
    "levy:setup-declaration-add": route(GET=levy_officer(), POST=levy_officer()),
    "levy:setup-import": route(GET=levy_officer(), POST=levy_officer()),
    # Nothing pending: the upload page again, saying the file must be uploaded again.
    "levy:setup-import-confirm": route(POST=levy_officer()),
    "levy:setup-import-template": route(GET=levy_reader()),
    "levy:setup-declarations-export": route(GET=levy_reader()),
    "levy:setup-import-detail": route(GET=levy_reader()),
    "levy:setup-commitments": route(GET=levy_reader()),
    "levy:setup-commitment-add": route(GET=levy_officer(), POST=levy_officer()),
    "levy:setup-commitment": route(GET=levy_reader()),
    "levy:setup-commitment-end": route(GET=levy_officer(), POST=levy_officer()),
}
