"""Apprenticeship funding pages: the rules table, adding a dated rule, and the funding check.

No route takes an object. Everyone signed in reads the rules and uses the check (an empty POST is
the form with its errors; nothing is stored). Adding a rule is for a partnership lead or levy lead
of one of the acting organisation's partnerships: in the standing world only the partnership lead
(an empty POST is the form with errors); 403 for everyone else signed in.
"""

from __future__ import annotations

from .shapes import partnership_lead, route, signed_in

ROUTES = {
    "apprenticeships:funding_rules": route(GET=signed_in()),
    "apprenticeships:funding_rule_new": route(GET=partnership_lead(), POST=partnership_lead()),
    "apprenticeships:funding_check": route(GET=signed_in(), POST=signed_in()),
}
