"""The own, partner's and outsider's materials behind the materials routes (see objects.py).

Most routes are asked about a partnership-licensed material with a link version, which members
of the owner's partnership read. Publishing and withdrawing are asked about an openly licensed
material not yet published; showing a material again about a hidden one; the public pages about
an openly published one; the report routes about an open report on a partnership material.
"""

from __future__ import annotations

from django.utils import timezone

from joinedup.materials.models import Licence, Material
from joinedup.materials.tests.factories import (
    MaterialFactory,
    MaterialReportFactory,
    MaterialVersionFactory,
)
from joinedup.partnership.tests.world import World

from .objects import Kwargs, Resolver, organisation_of


def _material(world: World, which: str, **fields) -> Material:
    """A material of the organisation with one link version."""
    material = MaterialFactory(owner=organisation_of(world, which), **fields)
    MaterialVersionFactory(material=material, number=1)
    return material


def material(world: World, which: str) -> Kwargs:
    """A partnership-licensed material of the organisation."""
    return {"pk": _material(world, which, licence=Licence.PARTNERSHIP).pk}


def version(world: World, which: str) -> Kwargs:
    """The link version of such a material."""
    return {"pk": _material(world, which, licence=Licence.PARTNERSHIP).current_version_id}


def open_licensed(world: World, which: str) -> Kwargs:
    """A material under the Open Government Licence, not yet published openly."""
    return {"pk": _material(world, which, licence=Licence.OGL_3).pk}


def hidden(world: World, which: str) -> Kwargs:
    """A partnership-licensed material its keepers or the partnership lead have hidden."""
    found = _material(
        world,
        which,
        licence=Licence.PARTNERSHIP,
        hidden_at=timezone.now(),
        hidden_reason="Reported as out of date",
    )
    return {"pk": found.pk}


def published(world: World, which: str) -> Kwargs:
    """A material published openly under the Open Government Licence."""
    found = _material(world, which, licence=Licence.OGL_3, published_openly_at=timezone.now())
    return {"pk": found.pk}


def report(world: World, which: str) -> Kwargs:
    """An open report on a partnership-licensed material of the organisation."""
    about = _material(world, which, licence=Licence.PARTNERSHIP)
    return {"pk": MaterialReportFactory(material=about).pk}


RESOLVERS: dict[str, Resolver] = {
    "materials:material": material,
    "materials:edit": material,
    "materials:new-version": material,
    "materials:download": version,
    "materials:adapt": material,
    "materials:record-reuse": material,
    "materials:publish": open_licensed,
    "materials:withdraw": open_licensed,
    "materials:report": material,
    "materials:hide": material,
    "materials:unhide": hidden,
    "materials:report-hide": report,
    "materials:report-dismiss": report,
    "materials:open-material": published,
    "materials:open-download": published,
}
