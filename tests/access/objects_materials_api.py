"""The own, partner's and outsider's materials behind the materials API (see objects.py).

Each is a partnership-licensed material of the organisation with one link version: its own staff
and the members of its partnership read it; "owner organisation only" and open publication are
tested in joinedup/materials/tests/test_api.py.
"""

from __future__ import annotations

from joinedup.materials.models import Licence, Material
from joinedup.materials.tests.factories import MaterialFactory, MaterialVersionFactory
from joinedup.partnership.tests.world import World

from .objects import Kwargs, Resolver, organisation_of


def _material(world: World, which: str) -> Material:
    material = MaterialFactory(owner=organisation_of(world, which), licence=Licence.PARTNERSHIP)
    MaterialVersionFactory(material=material, number=1)
    return material


def material(world: World, which: str) -> Kwargs:
    return {"pk": _material(world, which).pk}


def version(world: World, which: str) -> Kwargs:
    return {"pk": _material(world, which).current_version_id}


RESOLVERS: dict[str, Resolver] = {
    "api:material_detail": material,
    "api:material_versions": material,
    "api:download_version": version,
    "api:material_lineage": material,
    "api:material_reuse": material,
    "api:record_reuse": material,
}

API_RESOLVERS: dict[str, Resolver] = {
    "GET /api/v1/materials/{pk}": material,
    "GET /api/v1/materials/{pk}/versions": material,
    "GET /api/v1/materials/versions/{pk}/download": version,
    "GET /api/v1/materials/{pk}/lineage": material,
    "GET /api/v1/materials/{pk}/reuse": material,
    "POST /api/v1/materials/{pk}/reuse": material,
}
