"""The operations of /api/v1/apprenticeships/funding, as in `declarations/api.py`.

No operation takes an object. The rules are read by every authenticated caller, organisation
tokens too. The check writes nothing, so every authenticated caller may ask it; the matrix sends no
body, so every one of them is told the body is missing (422); its own tests check the answers. With
a browser session (which only reads) the rules answer like a personal token and the check is a 401.
"""

from __future__ import annotations

from .api import caller
from .shapes import UNAUTHORISED, Answers, everyone, route

FUNDING = "/api/v1/apprenticeships/funding"

OPERATIONS: dict[str, Answers] = {
    f"GET {FUNDING}/rules": caller(),
    f"POST {FUNDING}/check": caller(422),
}

ROUTES = {
    "api:apprenticeship_funding_rules": route(public=True, GET=caller()),
    "api:apprenticeship_funding_check": route(public=True, POST=everyone(UNAUTHORISED)),
}
