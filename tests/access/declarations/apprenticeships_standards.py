"""Apprenticeship standards pages (see objects_apprenticeships_standards.py for the objects).

Standards are reference data with nothing private in them: every signed-in persona reads every
standard, own, partner's and outsider's alike (the objects are fresh standards; none belongs to an
organisation, so none is a 404). Programme leaders and L&D leads of the acting organisation
(own_ld_lead, partner_ld_lead, programme_leader) edit a standard's details and KSBs and import
KSBs; everyone else signed in gets 403. Empty POSTs to the forms are shown again with their errors
(200); confirming a KSB's removal removes it and goes back to the standard (302).
"""

from __future__ import annotations

from .shapes import FORBIDDEN, LOGIN, OK, REDIRECT, Answers, Persona, Status, route, signed_in

EDITORS = frozenset({"own_ld_lead", "partner_ld_lead", "programme_leader"})


def editors(ok: Status = OK) -> Answers:
    """Those who may edit standards; 403 for everyone else signed in, whatever the object."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return ok if persona.name in EDITORS else FORBIDDEN

    return Answers(rule)


ROUTES = {
    "apprenticeships:standards": route(GET=signed_in()),
    "apprenticeships:standard": route(GET=signed_in()),
    "apprenticeships:standard_edit": route(GET=editors(), POST=editors()),
    "apprenticeships:ksb_add": route(GET=editors(), POST=editors()),
    "apprenticeships:ksb_edit": route(GET=editors(), POST=editors()),
    "apprenticeships:ksb_delete": route(GET=editors(), POST=editors(REDIRECT)),
    "apprenticeships:ksb_import": route(GET=editors(), POST=editors()),
    "apprenticeships:ksb_import_template": route(GET=editors()),
}
