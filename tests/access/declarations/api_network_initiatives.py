"""The initiatives register's operations at /api/v1/network/initiatives, as in
`declarations/api.py`.

Anyone acting for an organisation of an initiative's partnership reads it and its reviews
(organisation tokens too, with their read scope); 404 outside. The register lists what the
caller sees. Writes take a JSON body and are told it is missing (422) before anything is read;
the API's own tests check who may write (people only; 403 for organisation tokens).
"""

from __future__ import annotations

from .api import caller, partnership_member
from .shapes import UNAUTHORISED, everyone, route

INITIATIVES = "/api/v1/network/initiatives"

OPERATIONS = {
    f"GET {INITIATIVES}": caller(),
    f"POST {INITIATIVES}": caller(422),
    f"GET {INITIATIVES}/{{pk}}": partnership_member(),
    f"PUT {INITIATIVES}/{{pk}}": caller(422),
    f"GET {INITIATIVES}/{{pk}}/reviews": partnership_member(),
    f"POST {INITIATIVES}/{{pk}}/reviews": caller(422),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    "api:list_initiatives": route(public=True, GET=caller(), POST=WRITE),
    "api:create_initiative": route(public=True, GET=caller(), POST=WRITE),
    "api:initiative_detail": route(public=True, GET=partnership_member(), PUT=WRITE),
    "api:change_initiative": route(public=True, GET=partnership_member(), PUT=WRITE),
    "api:initiative_reviews": route(public=True, GET=partnership_member(), POST=WRITE),
    "api:create_review": route(public=True, GET=partnership_member(), POST=WRITE),
}
