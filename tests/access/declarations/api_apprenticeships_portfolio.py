"""The portfolio API at /api/v1/apprenticeships/enrolments/{pk}/evidence, as in
`declarations/api.py`.

The evidence, one item and the KSB coverage are read by whom the enrolment pages show the
enrolment to (see apprenticeships_enrolments.py); organisation tokens act as no person and see
none (404). Writes take a body (JSON, or multipart form data for a file) and are told it is
missing (422) before anything is read; the API's own tests check who may write (the apprentice
adds; the practice tutor and the provider's programme leader sign off or ask for more; 403 for
others and for organisation tokens).
"""

from __future__ import annotations

from .api import caller
from .api_apprenticeships_enrolments import reader
from .shapes import UNAUTHORISED, everyone, route

EVIDENCE = "/api/v1/apprenticeships/enrolments/{pk}/evidence"

OPERATIONS = {
    f"GET {EVIDENCE}": reader(),
    f"POST {EVIDENCE}": caller(422),
    f"POST {EVIDENCE}/file": caller(422),
    f"GET {EVIDENCE}/coverage": reader(),
    f"GET {EVIDENCE}/{{evidence_id}}": reader(),
    f"POST {EVIDENCE}/{{evidence_id}}/check": caller(422),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    "api:apprenticeship_evidence": route(public=True, GET=reader(), POST=WRITE),
    "api:apprenticeship_add_evidence": route(public=True, GET=reader(), POST=WRITE),
    "api:apprenticeship_add_evidence_file": route(public=True, POST=WRITE),
    "api:apprenticeship_ksb_coverage": route(public=True, GET=reader()),
    "api:apprenticeship_evidence_item": route(public=True, GET=reader()),
    "api:apprenticeship_check_evidence": route(public=True, POST=WRITE),
}
