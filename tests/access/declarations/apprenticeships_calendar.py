"""The working-day calendar's pages (see objects_apprenticeships_calendar.py).

Everyone signed in reads the bank holidays. Adding one (an empty POST is the form with its
errors) and removing one added by hand (a redirect to the list) is for partnership leads only:
403 for everyone else signed in, whichever bank holiday (they belong to no organisation).

Closure days are kept by the acting organisation's programme leaders: in the standing world the
`programme_leader` persona, acting for the partner trust. Their list and form are 403 for everyone
else signed in. Removing a closure day: its organisation's programme leader is redirected to the
list; others who see the organisation (its staff and partnership members) get 403; the rest 404.
"""

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
    partnership_lead,
    route,
    signed_in,
)

LEADER = "programme_leader"
LEADS_FOR = "partner"  # the organisation the programme leader acts for


def programme_leader(ok: Status = OK) -> Answers:
    """Pages of the acting organisation's closure days: its programme leaders; 403 otherwise."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        return ok if persona.name == LEADER else FORBIDDEN

    return Answers(rule)


def closure_keeper(ok: Status = REDIRECT) -> Answers:
    """A closure day: its organisation's programme leader; 403 to who sees it; else 404."""

    def rule(persona: Persona, obj: str) -> Status:
        if not persona.signed_in:
            return LOGIN
        if persona.name == LEADER and obj == LEADS_FOR:
            return ok
        return FORBIDDEN if persona.sees(obj) else NOT_FOUND

    return Answers(rule)


ROUTES = {
    "apprenticeships:bank_holidays": route(GET=signed_in()),
    "apprenticeships:bank_holiday_new": route(GET=partnership_lead(), POST=partnership_lead()),
    "apprenticeships:bank_holiday_remove": route(POST=partnership_lead(REDIRECT)),
    "apprenticeships:closure_days": route(GET=programme_leader()),
    "apprenticeships:closure_day_new": route(GET=programme_leader(), POST=programme_leader()),
    "apprenticeships:closure_day_remove": route(POST=closure_keeper()),
}
