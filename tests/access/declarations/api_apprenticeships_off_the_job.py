"""The off-the-job API at /api/v1/apprenticeships/enrolments/{pk}/off-the-job, as in
`declarations/api.py`.

The entries and the summary are read by whom the enrolment pages show the enrolment to (see
apprenticeships_enrolments.py); organisation tokens act as no person and see none (404). Writes
with a JSON body are told it is missing (422) before anything is read; the API's own tests check
who may write them (the apprentice logs and changes; the practice tutor and the provider's
programme leader check; 403 for others and for organisation tokens). Deleting an entry is for the
apprentice (204); 403 for the others who see it and for organisation tokens; 404 otherwise.
"""

from __future__ import annotations

from .api import caller
from .api_apprenticeships_enrolments import acting, reader
from .apprenticeships_off_the_job import logs
from .shapes import UNAUTHORISED, everyone, route

DELETED = 204

LOG = "/api/v1/apprenticeships/enrolments/{pk}/off-the-job"

OPERATIONS = {
    f"GET {LOG}": reader(),
    f"POST {LOG}": caller(422),
    f"GET {LOG}/summary": reader(),
    f"POST {LOG}/{{entry_id}}/check": caller(422),
    f"GET {LOG}/{{entry_id}}": reader(),
    f"PUT {LOG}/{{entry_id}}": caller(422),
    f"DELETE {LOG}/{{entry_id}}": acting(logs, DELETED),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    "api:apprenticeship_off_the_job": route(public=True, GET=reader(), POST=WRITE),
    "api:apprenticeship_off_the_job_log": route(public=True, GET=reader(), POST=WRITE),
    "api:apprenticeship_off_the_job_summary": route(public=True, GET=reader()),
    "api:apprenticeship_off_the_job_check": route(public=True, POST=WRITE),
    # One entry's path, under the name of each of its operations.
    **{
        f"api:apprenticeship_off_the_job_{name}": route(
            public=True, GET=reader(), PUT=WRITE, DELETE=WRITE
        )
        for name in ("entry", "edit", "delete")
    },
}
