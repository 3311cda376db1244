"""The progress reviews API at /api/v1/apprenticeships/enrolments/{pk}/reviews, as in
`declarations/api.py` (objects: see objects_apprenticeships_reviews.py, review 1 unrecorded).

The list is read by whoever reads the enrolment (organisation tokens act as no person: 404).
Recording takes a JSON body and is told it is missing (422) before anything is read. Signing has
no body: organisation tokens are refused (403); 404 for those who do not see the enrolment, 403
for those who see it but sign for nobody, and 409 for the named parties (the review is not
recorded yet). "Reviews due" answers anyone with credentials (each gets their own list, empty
for organisation tokens); the API's own tests check what each list holds.
"""

from __future__ import annotations

from .api import caller
from .api_apprenticeships_enrolments import acting, reader
from .apprenticeships_reviews import signs
from .shapes import UNAUTHORISED, everyone, route

ENROLMENTS = "/api/v1/apprenticeships/enrolments"
CONFLICT = 409

OPERATIONS = {
    f"GET {ENROLMENTS}/{{pk}}/reviews": reader(),
    f"POST {ENROLMENTS}/{{pk}}/reviews/{{number}}/record": caller(422),
    f"POST {ENROLMENTS}/{{pk}}/reviews/{{number}}/sign": acting(signs, CONFLICT),
    "GET /api/v1/apprenticeships/reviews/due": caller(),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    "api:apprenticeship_reviews": route(public=True, GET=reader()),
    "api:apprenticeship_review_record": route(public=True, POST=WRITE),
    "api:apprenticeship_review_sign": route(public=True, POST=WRITE),
    "api:apprenticeship_reviews_due": route(public=True, GET=caller()),
}
