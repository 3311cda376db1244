"""The materials library search page: anyone signed in searches what they may read (the results
follow `materials.access.visible_materials`); anonymous visitors are sent to sign in and have the
public list of openly published materials instead."""

from __future__ import annotations

from .shapes import OK, route, signed_in

ROUTES = {
    "materials:library": route(GET=signed_in(OK)),
}
