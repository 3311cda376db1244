"""The operations of /api/v1/apprenticeships/working-days, as in `declarations/api.py`.

Bank holidays are read by every authenticated caller, organisation tokens too. A provider's closure
days are read by callers in its partnership (or acting for it; organisation tokens too); 404
outside. Adding a closure day takes a JSON body, and the matrix sends none, so every
authenticated caller is told it is missing (422); the API's own tests check who may add one (the
provider's programme leaders; 403 for others and organisation tokens). The feedback deadline needs
the provider and submission date in the query, which the matrix does not send: 422 for every
authenticated caller; its own tests check the answer and the 404 for a provider outside.
"""

from __future__ import annotations

from .api import caller, partnership_member
from .shapes import UNAUTHORISED, everyone, route

WORKING_DAYS = "/api/v1/apprenticeships/working-days"

OPERATIONS = {
    f"GET {WORKING_DAYS}/bank-holidays": caller(),
    f"GET {WORKING_DAYS}/providers/{{provider_id}}/closure-days": partnership_member(),
    f"POST {WORKING_DAYS}/providers/{{provider_id}}/closure-days": caller(422),
    f"GET {WORKING_DAYS}/feedback-due": caller(422),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    "api:apprenticeship_bank_holidays": route(public=True, GET=caller()),
    "api:apprenticeship_closure_days": route(public=True, GET=partnership_member(), POST=WRITE),
    "api:apprenticeship_add_closure_day": route(public=True, GET=partnership_member(), POST=WRITE),
    "api:apprenticeship_feedback_due": route(public=True, GET=caller(422)),
}
