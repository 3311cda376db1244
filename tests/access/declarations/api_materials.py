"""The materials operations of /api/v1/, as in `declarations/api.py`.

The objects are those of `objects_materials_api.py`: a partnership-licensed material of each
organisation with one link version, which its own staff and the members of its partnership read
(the outsider's, only the outsider). A link version's download is a redirect to its address.
Recording a reuse takes a JSON body; the matrix sends none, so whoever is authenticated is told
which field is missing (422) before anything else is checked. Anonymous callers get 401: openly
published materials are read without signing in on the public pages.
"""

from __future__ import annotations

from .api import caller, partnership_member
from .shapes import REDIRECT, UNAUTHORISED, Answers, everyone, route

OPERATIONS: dict[str, Answers] = {
    "GET /api/v1/materials": caller(),
    "GET /api/v1/materials/search": caller(),
    "GET /api/v1/materials/{pk}": partnership_member(),
    "GET /api/v1/materials/{pk}/versions": partnership_member(),
    "GET /api/v1/materials/versions/{pk}/download": partnership_member(REDIRECT),
    "GET /api/v1/materials/{pk}/lineage": partnership_member(),
    "GET /api/v1/materials/{pk}/reuse": partnership_member(),
    "POST /api/v1/materials/{pk}/reuse": caller(422),
}

# With a browser session (which only reads): GET as with a personal token; POST is a 401.
WRITE = everyone(UNAUTHORISED)
ROUTES = {
    "api:list_materials": route(public=True, GET=caller()),
    "api:search_materials": route(public=True, GET=caller()),
    "api:material_detail": route(public=True, GET=partnership_member()),
    "api:material_versions": route(public=True, GET=partnership_member()),
    "api:download_version": route(public=True, GET=partnership_member(REDIRECT)),
    "api:material_lineage": route(public=True, GET=partnership_member()),
    # The reuse summary and recording a reuse share one path, and so their answers.
    "api:material_reuse": route(public=True, GET=partnership_member(), POST=WRITE),
    "api:record_reuse": route(public=True, GET=partnership_member(), POST=WRITE),
}
