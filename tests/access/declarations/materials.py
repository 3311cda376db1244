"""The materials pages: a material and changing it, sharing and reuse, reports, downloads, and the
public pages of openly published materials (objects in objects_materials.py)."""

from __future__ import annotations

from .shapes import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Answers,
    Persona,
    Status,
    everyone,
    partnership_member,
    route,
    signed_in,
)

# The L&D leads and admins of each organisation, who look after its materials (the outsider is
# their organisation's admin).
KEEPERS = frozenset({"own_ld_lead", "own_admin", "partner_ld_lead", "partner_admin", "outsider"})
LD_LEADS = frozenset({"own_ld_lead", "partner_ld_lead"})
# Who brings a material into their organisation's work (materials.access.USER_ROLES): the L&D
# leads and the partner's programme leader; who adds materials (CREATOR_ROLES): those and keepers.
USERS = LD_LEADS | {"programme_leader"}
CREATORS = KEEPERS | {"programme_leader"}


def _of_object(allowed: frozenset[str], *, own_only: bool, lead: bool = False):
    """`allowed` personas (only on their own organisation's object when `own_only`, and the
    partnership lead on its members' when `lead`) get `ok`; others who see it 403; else 404."""

    def answers(ok: Status = OK) -> Answers:
        def rule(persona: Persona, obj: str) -> Status:
            if not persona.signed_in:
                return LOGIN
            if not persona.sees(obj):
                return NOT_FOUND
            if persona.name in allowed and (persona.home == obj or not own_only):
                return ok
            if lead and persona.leads(obj):
                return ok
            return FORBIDDEN

        return Answers(rule)

    return answers


keeper = _of_object(KEEPERS, own_only=True)
keeper_or_lead = _of_object(KEEPERS, own_only=True, lead=True)
ld_lead_of_owner = _of_object(LD_LEADS, own_only=True)
# Adapting and recording reuse: an L&D lead (or programme leader) of any organisation that sees it.
ld_lead = _of_object(USERS, own_only=False)


def hidden_material(ok: Status = OK) -> Answers:
    """A hidden material: its keepers and the partnership lead see it; everyone else gets 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if (persona.name in KEEPERS and persona.home == obj) or persona.leads(obj):
            return ok
        return NOT_FOUND

    return Answers(rule)


def report_handler(ok: Status = OK) -> Answers:
    """A report reaches the owner's keepers and the partnership lead; it is a 404 to others."""
    return hidden_material(ok)


def reports_list() -> Answers:
    """Keepers of any organisation and partnership leads; 403 to everyone else signed in."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if persona.name in KEEPERS or persona.lead else FORBIDDEN

    return Answers(rule)


def creator() -> Answers:
    """The acting organisation's L&D leads, programme leaders and admins add its materials."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return OK if persona.name in CREATORS else FORBIDDEN

    return Answers(rule)


ROUTES = {
    "materials:mine": route(GET=signed_in(OK)),
    # An empty POST is a form with errors, shown again.
    "materials:create": route(GET=creator(), POST=creator()),
    "materials:material": route(GET=partnership_member()),
    "materials:edit": route(GET=keeper(), POST=keeper()),
    "materials:new-version": route(GET=keeper(), POST=keeper()),
    # A link version's download is a redirect to the link.
    "materials:download": route(GET=partnership_member(REDIRECT)),
    "materials:adapt": route(GET=ld_lead(), POST=ld_lead()),
    "materials:record-reuse": route(GET=ld_lead(), POST=ld_lead()),
    # Asked about an openly licensed material not yet published: only its own L&D lead.
    "materials:publish": route(GET=ld_lead_of_owner(), POST=ld_lead_of_owner()),
    # Withdrawing what is not published is refused on the form.
    "materials:withdraw": route(GET=ld_lead_of_owner(), POST=ld_lead_of_owner()),
    "materials:report": route(GET=partnership_member(), POST=partnership_member()),
    "materials:hide": route(GET=keeper_or_lead(), POST=keeper_or_lead()),
    # Asked about a hidden material; showing it needs nothing filled in.
    "materials:unhide": route(GET=hidden_material(), POST=hidden_material(REDIRECT)),
    "materials:reports": route(GET=reports_list()),
    "materials:report-hide": route(GET=report_handler(), POST=report_handler()),
    "materials:report-dismiss": route(GET=report_handler(), POST=report_handler()),
    # The public pages: the same for everyone, signed in or not.
    "materials:open-list": route(public=True, GET=everyone(OK)),
    "materials:open-material": route(public=True, GET=everyone(OK)),
    "materials:open-download": route(public=True, GET=everyone(REDIRECT)),
}
