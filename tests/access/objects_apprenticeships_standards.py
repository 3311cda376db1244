"""Standards and KSBs for the standards pages and API, made anew on every call.

Standards belong to no organisation, so the own, partner's and outsider's objects are each a fresh
standard with a unique "ZZ" code (nothing of the 2021 list changes), with one KSB.
"""

from __future__ import annotations

import uuid

from joinedup.apprenticeships.models import Ksb, KsbKind, Standard
from joinedup.partnership.tests.world import World

from .objects import Kwargs, Resolver


def _standard(which: str) -> Standard:
    return Standard.objects.create(
        reference_code=f"ZZ{uuid.uuid4().hex[:8].upper()}",
        title=f"Matrix standard ({which})",
        level=5,
    )


def _ksb(which: str) -> Ksb:
    return Ksb.objects.create(
        standard=_standard(which),
        code="K1",
        kind=KsbKind.KNOWLEDGE,
        number=1,
        description=f"Matrix knowledge ({which})",
    )


def standard(world: World, which: str) -> Kwargs:
    return {"pk": _standard(which).pk}


def ksb(world: World, which: str) -> Kwargs:
    made = _ksb(which)
    return {"pk": made.standard_id, "ksb_pk": made.pk}


def api_standard(world: World, which: str) -> Kwargs:
    return {"standard_id": _standard(which).pk}


def api_ksb(world: World, which: str) -> Kwargs:
    made = _ksb(which)
    return {"standard_id": made.standard_id, "ksb_id": made.pk}


RESOLVERS: dict[str, Resolver] = {
    "apprenticeships:standard": standard,
    "apprenticeships:standard_edit": standard,
    "apprenticeships:ksb_add": standard,
    "apprenticeships:ksb_edit": ksb,
    "apprenticeships:ksb_delete": ksb,
    "apprenticeships:ksb_import": standard,
    "apprenticeships:ksb_import_template": standard,
    "api:apprenticeship_standard": api_standard,
    "api:apprenticeship_add_ksb": api_standard,
    "api:apprenticeship_change_ksb": api_ksb,
    "api:apprenticeship_delete_ksb": api_ksb,
}

STANDARDS = "/api/v1/apprenticeships/standards"

API_RESOLVERS: dict[str, Resolver] = {
    f"GET {STANDARDS}/{{standard_id}}": api_standard,
    f"POST {STANDARDS}/{{standard_id}}/ksbs": api_standard,
    f"PATCH {STANDARDS}/{{standard_id}}/ksbs/{{ksb_id}}": api_ksb,
    f"DELETE {STANDARDS}/{{standard_id}}/ksbs/{{ksb_id}}": api_ksb,
}
