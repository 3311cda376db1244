"""The own, partner's and outsider's objects behind the accreditation routes (see objects.py).

Each organisation hosts a programme delivered by accredited trainers, shared with partners,
and one of its own staff (a newcomer, so no persona holds an accreditation) is accredited for it
by another newcomer; the routes about one accreditation are asked about that accreditation.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from joinedup.learning.models import Programme
from joinedup.learning.tests.factories import ProgrammeFactory
from joinedup.materials.models import Accreditation
from joinedup.partnership.tests.world import World

from .objects import Kwargs, Resolver, _newcomer, organisation_of


def _programme(world: World, which: str) -> Programme:
    return ProgrammeFactory(
        host=organisation_of(world, which),
        title=f"Motivational interviewing ({which})",
        delivered_by_accredited_trainers=True,
    )


def programme(world: World, which: str) -> Kwargs:
    """A programme of the organisation delivered by accredited trainers."""
    return {"pk": _programme(world, which).pk}


def _accreditation(world: World, which: str) -> Accreditation:
    accredited_on = timezone.localdate() - dt.timedelta(days=30)
    return Accreditation.objects.create(
        person=_newcomer(world, which, "trainer").person,
        programme=_programme(world, which),
        accredited_by=_newcomer(world, which, "accreditor").person,
        accredited_on=accredited_on,
        expires_on=accredited_on + dt.timedelta(days=730),
        evidence_url="https://learning.example.test/evidence",
    )


def accreditation(world: World, which: str) -> Kwargs:
    """A current first-generation accreditation of such a programme, for one of its staff."""
    return {"pk": _accreditation(world, which).pk}


RESOLVERS: dict[str, Resolver] = {
    "materials:programme-accreditations": programme,
    "materials:accredit": programme,
    "materials:accreditation-cascade": programme,
    "materials:accreditation-withdraw": accreditation,
    "api:accreditation_detail": accreditation,
    "api:withdraw_accreditation": accreditation,
}

API_RESOLVERS: dict[str, Resolver] = {
    "GET /api/v1/trainers/accreditations/{pk}": accreditation,
    "POST /api/v1/trainers/accreditations/{pk}/withdraw": accreditation,
}
