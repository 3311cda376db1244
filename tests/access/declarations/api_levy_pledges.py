"""The levy pledges operations of /api/v1/, as in `declarations/api_learning.py`.

`OPERATIONS` holds the answers with tokens; `ROUTES` the same URLs with a browser session. The
objects are those of the pages (`objects_levy_pledges.py`): an open pledge of each organisation,
and an application to it (by the partner for own's pledge, by own for the partner's). Operations
that take a JSON body are sent none, so whoever is authenticated is told which field is missing
(422). The others that write need a person: organisation tokens get 403 before the object is
read. Organisation tokens read no levy figures, so they see no pledge or application.
"""

from __future__ import annotations

from .api import caller
from .shapes import UNAUTHORISED, Answers, everyone, grid, route

SEEN = """
                        own      partner  outsider
    own_staff           404      404      404
    own_line_manager    404      404      404
    own_admin           {own}    {own}    404
    own_ld_lead         404      404      404
    own_levy_officer    {officer_own} {officer_partner} 404
    partner_staff       404      404      404
    partner_admin       {own}    {own}    404
    partner_ld_lead     404      404      404
    partnership_lead    {own}    {own}    404
    mentoring_lead      404      404      404
    space_moderator     404      404      404
    programme_leader    404      404      404
    practice_tutor      404      404      404
    apprentice          404      404      404
    outsider            404      404      {own}
    anonymous           401      401      401
    own_org_token       {tokens}  {tokens}  {tokens}
    partner_org_token   {tokens}  {tokens}  {tokens}
    outsider_org_token  {tokens}  {tokens}  {tokens}
"""


def seen(
    ok: str = "200", officer_own: str = "200", officer_partner: str = "200", tokens: str = "404"
) -> Answers:
    """Readers of the sender's or applicant's figures get `ok` (own's levy officer as given);
    everyone else 404."""
    return grid(
        SEEN.format(own=ok, officer_own=officer_own, officer_partner=officer_partner, tokens=tokens)
    )


READ = seen()
# Own's levy officer approves the application to own's pledge; others who see it are refused.
APPROVE = seen("403", officer_own="200", officer_partner="403", tokens="403")
# Own's levy officer answers its application to the partner's pledge. It is waiting for a
# decision: accepting or declining an approval is refused by the rules (409); withdrawing works.
NOT_YET_APPROVED = seen("403", officer_own="403", officer_partner="409", tokens="403")
WITHDRAW = seen("403", officer_own="403", officer_partner="200", tokens="403")

OPERATIONS: dict[str, Answers] = {
    "GET /api/v1/levy/pledges": caller(),
    "POST /api/v1/levy/pledges": caller(422),
    "GET /api/v1/levy/pledges/{pk}": READ,
    "POST /api/v1/levy/pledges/{pk}/applications": caller(422),
    "GET /api/v1/levy/pledge-applications": caller(),
    "GET /api/v1/levy/pledge-applications/{pk}": READ,
    "POST /api/v1/levy/pledge-applications/{pk}/approve": APPROVE,
    "POST /api/v1/levy/pledge-applications/{pk}/reject": caller(422),
    "POST /api/v1/levy/pledge-applications/{pk}/accept": NOT_YET_APPROVED,
    "POST /api/v1/levy/pledge-applications/{pk}/decline": NOT_YET_APPROVED,
    "POST /api/v1/levy/pledge-applications/{pk}/withdraw": WITHDRAW,
}

# With a browser session (which only reads): GET as with a personal token; POST is a 401.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    # Listing and making pledges share one path, and so their answers.
    "api:list_pledges": route(public=True, GET=caller(), POST=WRITE),
    "api:create_pledge": route(public=True, GET=caller(), POST=WRITE),
    "api:pledge_detail": route(public=True, GET=READ),
    "api:apply_to_pledge": route(public=True, POST=WRITE),
    "api:list_pledge_applications": route(public=True, GET=caller()),
    "api:pledge_application_detail": route(public=True, GET=READ),
    "api:approve_pledge_application": route(public=True, POST=WRITE),
    "api:reject_pledge_application": route(public=True, POST=WRITE),
    "api:accept_pledge_application": route(public=True, POST=WRITE),
    "api:decline_pledge_application": route(public=True, POST=WRITE),
    "api:withdraw_pledge_application": route(public=True, POST=WRITE),
}
