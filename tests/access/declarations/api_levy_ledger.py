"""The levy ledger operations of /api/v1/, as in `declarations/api_learning.py`.

`OPERATIONS` holds the answers with tokens; `ROUTES` the same URLs with a browser session. The
object is each organisation's levy account (`objects_levy_ledger.py`); its figures are read by its
levy officer and admins and the partnership's lead, and by nobody else (404). Organisation tokens
read no levy figures.
"""

from __future__ import annotations

from .api import caller
from .shapes import grid, route

READERS = grid(
    """
                        own      partner  outsider
    own_staff           404      404      404
    own_line_manager    404      404      404
    own_admin           200      404      404
    own_ld_lead         404      404      404
    own_levy_officer    200      404      404
    partner_staff       404      404      404
    partner_admin       404      200      404
    partner_ld_lead     404      404      404
    partnership_lead    200      200      404
    mentoring_lead      404      404      404
    space_moderator     404      404      404
    programme_leader    404      404      404
    practice_tutor      404      404      404
    apprentice          404      404      404
    outsider            404      404      200
    anonymous           401      401      401
    own_org_token       404      404      404
    partner_org_token   404      404      404
    outsider_org_token  404      404      404
"""
)

OPERATIONS = {
    "GET /api/v1/levy/accounts": caller(),
    "GET /api/v1/levy/accounts/{pk}": READERS,
    "GET /api/v1/levy/accounts/{pk}/statement": READERS,
    "GET /api/v1/levy/accounts/{pk}/forecast": READERS,
    "GET /api/v1/levy/accounts/{pk}/allowance": READERS,
}

# With a browser session (which only reads): GET as with a personal token.
ROUTES = {
    "api:list_accounts": route(public=True, GET=caller()),
    "api:account_detail": route(public=True, GET=READERS),
    "api:account_statement": route(public=True, GET=READERS),
    "api:account_forecast": route(public=True, GET=READERS),
    "api:account_allowance": route(public=True, GET=READERS),
}
