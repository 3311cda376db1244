"""What each list shows: whether the own, partner's and outsider's object appear to each caller.

A page list is checked by the links to its items' pages; an API list by the ids in its items.
"""

from __future__ import annotations

from collections.abc import Callable

from .api_trainers_accreditations import sees_trainers
from .apprenticeships_enrolments import is_part_of
from .apprenticeships_enrolments import sees as sees_enrolment
from .materials_deliveries import KEEPERS as DELIVERY_KEEPERS
from .network_posts import is_member
from .shapes import Persona

Shown = Callable[[Persona, str], bool]

# List route -> (the route of one item's page, whether the caller sees that organisation's item).
PAGE_LISTS: dict[str, tuple[str, Shown]] = {
    "partnership:organisations": ("partnership:organisation", Persona.sees),
    "partnership:people": ("partnership:person", Persona.reads_directory_of),
    "materials:mine": ("materials:material", lambda persona, which: persona.home == which),
    "materials:open-list": ("materials:open-material", lambda persona, which: True),
    "materials:delivery-requests": (
        "materials:delivery-request",
        lambda persona, which: persona.name in DELIVERY_KEEPERS[which],
    ),
    # My discussions: threads of the spaces the caller actively belongs to (not all a lead reads).
    "network:mine": ("network:thread", is_member),
    # The initiatives register: everything of the caller's partnership.
    "network:initiatives": ("network:initiative", Persona.sees),
    # My apprenticeships: where the caller is the apprentice, line manager or tutor.
    "apprenticeships:my_apprenticeship": ("apprenticeships:enrolment", is_part_of),
}

# List operation -> (the operation on one item, whether the caller sees that organisation's item).
API_LISTS: dict[str, tuple[str, Shown]] = {
    "GET /api/v1/apprenticeships/enrolments": (
        "GET /api/v1/apprenticeships/enrolments/{pk}",
        sees_enrolment,
    ),
    "GET /api/v1/organisations": ("GET /api/v1/organisations/{pk}", Persona.sees),
    "GET /api/v1/people": ("GET /api/v1/people/{pk}", Persona.reads_directory_of),
    "GET /api/v1/trainers/delivery-requests": (
        "GET /api/v1/trainers/delivery-requests/{pk}",
        lambda persona, which: persona.name in DELIVERY_KEEPERS[which],
    ),
    "GET /api/v1/trainers/accreditations": (
        "GET /api/v1/trainers/accreditations/{pk}",
        sees_trainers,
    ),
}
