"""The levy account set-up operations of /api/v1/, as in `declarations/api_learning.py`.

`OPERATIONS` holds the answers with tokens; `ROUTES` the same URLs with a browser session. An
account's schemes and declarations are read as on the pages (`levy_setup.reads_levy`); an
organisation token is not a levy officer or admin, so it finds no account (404). Adding a
declaration takes a JSON body: the matrix sends none, so every caller past authentication is
told which field is missing (422).
"""

from __future__ import annotations

from .api import caller
from .levy_setup import reads_levy
from .shapes import NOT_FOUND, OK, UNAUTHORISED, Answers, Persona, Status, everyone, route


def levy_reader(ok: Status = OK) -> Answers:
    """Readers of the account's figures with a personal token; 404 for everyone else."""

    def rule(who: Persona, obj: str) -> Status:
        if not who.signed_in:
            return UNAUTHORISED
        return ok if who.person and reads_levy(who, obj) else NOT_FOUND

    return Answers(rule)


OPERATIONS: dict[str, Answers] = {
    "GET /api/v1/levy/accounts/{pk}/schemes": levy_reader(),
    "GET /api/v1/levy/accounts/{pk}/declarations": levy_reader(),
    "POST /api/v1/levy/accounts/{pk}/declarations": caller(422),
}

# With a browser session (which only reads): GET as with a personal token; POST is a 401.
ROUTES = {
    "api:list_schemes": route(public=True, GET=levy_reader()),
    "api:list_declarations": route(public=True, GET=levy_reader(), POST=everyone(UNAUTHORISED)),
    # Ninja names the same path again for the POST operation; it answers as the path does.
    "api:add_declaration": route(public=True, GET=levy_reader(), POST=everyone(UNAUTHORISED)),
}
