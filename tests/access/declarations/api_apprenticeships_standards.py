"""The standards operations of /api/v1/apprenticeships/standards, as in `declarations/api.py`.

Standards are reference data: every caller reads the list and every standard, organisation tokens
too (the own, partner's and outsider's objects are fresh standards, none private, so none is a
404). Adding and changing a KSB take a JSON body; the matrix sends none, so every authenticated
caller is told the body is missing (422) before anything is read, and the API's own tests check
who may write. Removing a KSB needs no body: programme leaders and L&D leads acting as themselves
(204); organisation tokens and everyone else 403.
"""

from __future__ import annotations

from .api import caller
from .apprenticeships_standards import EDITORS
from .shapes import FORBIDDEN, UNAUTHORISED, Answers, Persona, Status, everyone, route

NO_CONTENT = 204


def ksb_editors(ok: Status = NO_CONTENT) -> Answers:
    """Personal tokens of those who may edit standards; 403 for every other caller."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return ok if who.person and who.name in EDITORS else FORBIDDEN

    return Answers(rule)


STANDARDS = "/api/v1/apprenticeships/standards"

OPERATIONS: dict[str, Answers] = {
    f"GET {STANDARDS}": caller(),
    f"GET {STANDARDS}/{{standard_id}}": caller(),
    f"POST {STANDARDS}/{{standard_id}}/ksbs": caller(422),
    f"PATCH {STANDARDS}/{{standard_id}}/ksbs/{{ksb_id}}": caller(422),
    f"DELETE {STANDARDS}/{{standard_id}}/ksbs/{{ksb_id}}": ksb_editors(),
}

# With a browser session (which only reads): GET as with a personal token; writes are a 401.
_KSB = route(public=True, PATCH=everyone(UNAUTHORISED), DELETE=everyone(UNAUTHORISED))
ROUTES = {
    "api:apprenticeship_standards": route(public=True, GET=caller()),
    "api:apprenticeship_standard": route(public=True, GET=caller()),
    "api:apprenticeship_add_ksb": route(public=True, POST=everyone(UNAUTHORISED)),
    "api:apprenticeship_change_ksb": _KSB,
    "api:apprenticeship_delete_ksb": _KSB,
}
