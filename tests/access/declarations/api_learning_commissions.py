"""The joint commission operations of /api/v1/learning/joint-commissions (see declarations/api.py).

Anyone authenticated lists the commissions led by their organisation or its partners, and reads
one they see (404 otherwise), organisation tokens included. Starting, joining and agreeing take a
JSON body; the matrix sends none, so whoever is authenticated is told the body is missing (422)
before anything is read; the tests of the API itself check who may do each.
"""

from __future__ import annotations

from .api import caller, partnership_member
from .shapes import UNAUTHORISED, Answers, everyone, route

OPERATIONS: dict[str, Answers] = {
    "GET /api/v1/learning/joint-commissions": caller(),
    "POST /api/v1/learning/joint-commissions": caller(422),
    "GET /api/v1/learning/joint-commissions/{pk}": partnership_member(),
    "POST /api/v1/learning/joint-commissions/{pk}/join": caller(422),
    "POST /api/v1/learning/joint-commissions/{pk}/agree": caller(422),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
ROUTES = {
    "api:list_commissions": route(public=True, GET=caller(), POST=everyone(UNAUTHORISED)),
    # The same path as the list (Ninja names it after each operation).
    "api:start_commission": route(public=True, GET=caller(), POST=everyone(UNAUTHORISED)),
    "api:commission_detail": route(public=True, GET=partnership_member()),
    "api:join_commission": route(public=True, POST=everyone(UNAUTHORISED)),
    "api:agree_commission": route(public=True, POST=everyone(UNAUTHORISED)),
}
