"""Apprenticeship programmes and cohorts at /api/v1/apprenticeships/programmes, as in
`declarations/api.py`.

Anyone acting for an organisation of a programme's partnership reads it and its cohorts
(organisation tokens too); 404 outside. The list shows what the caller sees. Writes take a JSON
body and are told it is missing (422) before anything is read; the API's own tests check who may
write (the provider's programme leaders; 403 for others and for organisation tokens).
"""

from __future__ import annotations

from .api import caller, partnership_member
from .shapes import UNAUTHORISED, everyone, route

PROGRAMMES = "/api/v1/apprenticeships/programmes"

OPERATIONS = {
    f"GET {PROGRAMMES}": caller(),
    f"POST {PROGRAMMES}": caller(422),
    f"GET {PROGRAMMES}/{{programme_id}}": partnership_member(),
    f"POST {PROGRAMMES}/{{programme_id}}/modules": caller(422),
    f"GET {PROGRAMMES}/{{programme_id}}/cohorts": partnership_member(),
    f"POST {PROGRAMMES}/{{programme_id}}/cohorts": caller(422),
    f"GET {PROGRAMMES}/cohorts/{{cohort_id}}": partnership_member(),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    "api:apprenticeship_programmes": route(public=True, GET=caller(), POST=WRITE),
    "api:apprenticeship_create_programme": route(public=True, GET=caller(), POST=WRITE),
    "api:apprenticeship_programme": route(public=True, GET=partnership_member()),
    "api:apprenticeship_add_module": route(public=True, POST=WRITE),
    "api:apprenticeship_programme_cohorts": route(
        public=True, GET=partnership_member(), POST=WRITE
    ),
    "api:apprenticeship_create_cohort": route(public=True, GET=partnership_member(), POST=WRITE),
    "api:apprenticeship_cohort": route(public=True, GET=partnership_member()),
}
