"""The levy optimiser operations of /api/v1/, as in `declarations/api_learning.py`.

`OPERATIONS` holds the answers with tokens; `ROUTES` the same URLs with a browser session. Who
gets what is as on the pages (`levy_optimiser.py`); organisation tokens are not a person and read
no levy figures (403 on lists, 404 on objects). Adding a need without a body is a 422 for anyone
authenticated; running the optimiser takes its partnership from the query (the leads' first when
left out), so the lead's empty POST runs it.
"""

from __future__ import annotations

from .api import caller
from .levy_optimiser import LEVY_READERS, among, levy_reader, run_reader, sender_officer
from .shapes import UNAUTHORISED, Answers, Route, everyone, route

CREATED = 201

LEADS = frozenset({"partnership_lead"})

OPERATIONS: dict[str, Answers] = {
    "GET /api/v1/levy/needs": among(LEVY_READERS, anonymous=UNAUTHORISED),
    "POST /api/v1/levy/needs": caller(422),
    "GET /api/v1/levy/optimiser-runs": among(LEADS, anonymous=UNAUTHORISED),
    "POST /api/v1/levy/optimiser-runs": among(LEADS, CREATED, anonymous=UNAUTHORISED),
    "GET /api/v1/levy/optimiser-runs/{pk}": run_reader(anonymous=UNAUTHORISED),
    "GET /api/v1/levy/recommendations": among(LEVY_READERS, anonymous=UNAUTHORISED),
    "GET /api/v1/levy/recommendations/{pk}": levy_reader(anonymous=UNAUTHORISED),
    "POST /api/v1/levy/recommendations/{pk}/pledge": sender_officer(
        CREATED, anonymous=UNAUTHORISED
    ),
}

# With a browser session (which only reads): GET as with a personal token; POST is a 401. A list
# and the operation adding to it share their path, so both names answer both methods.
NEEDS = route(
    public=True, GET=among(LEVY_READERS, anonymous=UNAUTHORISED), POST=everyone(UNAUTHORISED)
)
RUNS = route(public=True, GET=among(LEADS, anonymous=UNAUTHORISED), POST=everyone(UNAUTHORISED))
ROUTES: dict[str, Route] = {
    "api:list_needs": NEEDS,
    "api:create_need": NEEDS,
    "api:list_optimiser_runs": RUNS,
    "api:create_optimiser_run": RUNS,
    "api:optimiser_run_detail": route(public=True, GET=run_reader(anonymous=UNAUTHORISED)),
    "api:list_recommendations": route(public=True, GET=among(LEVY_READERS, anonymous=UNAUTHORISED)),
    "api:recommendation_detail": route(public=True, GET=levy_reader(anonymous=UNAUTHORISED)),
    "api:pledge_recommendation": route(public=True, POST=everyone(UNAUTHORISED)),
}
