"""Buddies and module discussion pages (joinedup/apprenticeships/buddy_urls.py), on a new cohort
of a programme the object's organisation provides (objects_apprenticeships_buddies.py).

A cohort's buddies page, "Pair apprentices" and "Open module discussions" are for the provider's
programme leaders: the `programme_leader` persona manages the partner's programmes (200 for the
page, 302 back after a POST); 403 for everyone else who sees the cohort (the partnership's
members) and 404 for the rest.
"""

from __future__ import annotations

from .apprenticeships_programmes import programme_leader
from .shapes import REDIRECT, route

ROUTES = {
    "apprenticeships:cohort_buddies": route(GET=programme_leader()),
    "apprenticeships:cohort_buddies_pair": route(POST=programme_leader(REDIRECT)),
    "apprenticeships:cohort_module_discussions": route(POST=programme_leader(REDIRECT)),
}
