"""The rotation scheme operations of /api/v1/talent/schemes, as in `declarations/api.py`.

Any authenticated caller lists the schemes of their partnerships (organisation tokens too). A
round's result (a published round of the object's partnership; see objects_talent_rotations.py)
is read by every caller in its partnership, organisation tokens included (they see no placement);
404 for the rest.
"""

from __future__ import annotations

from .api import caller, partnership_member
from .shapes import route

OPERATIONS = {
    "GET /api/v1/talent/schemes": caller(),
    "GET /api/v1/talent/schemes/rounds/{pk}/results": partnership_member(),
}

# With a browser session (which only reads): as with a personal token.
ROUTES = {
    "api:list_rotation_schemes": route(public=True, GET=caller()),
    "api:rotation_round_results": route(public=True, GET=partnership_member()),
}
