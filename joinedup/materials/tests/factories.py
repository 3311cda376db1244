"""factory_boy factories for the materials app."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import factory

from joinedup.materials.models import (
    Licence,
    Material,
    MaterialAuthor,
    MaterialKind,
    MaterialReport,
    MaterialVersion,
    ReportReason,
    Reuse,
)
from joinedup.partnership.tests.factories import OrganisationFactory, PersonFactory


class MaterialFactory(factory.django.DjangoModelFactory):
    """A material with no versions; `MaterialVersionFactory` or `LinkedMaterialFactory` adds one."""

    class Meta:
        model = Material

    owner = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Material {n}")
    summary = "A material for testing."
    kind = MaterialKind.FACILITATOR_GUIDE
    licence = Licence.PARTNERSHIP


class MaterialVersionFactory(factory.django.DjangoModelFactory):
    """A link version by default; pass storage_name (and file fields) for a file version."""

    class Meta:
        model = MaterialVersion

    material = factory.SubFactory(MaterialFactory)
    number = factory.Sequence(lambda n: n + 1)
    change_note = "First version."
    external_url = factory.Sequence(lambda n: f"https://learning.example.test/material/{n}")

    @factory.post_generation
    def make_current(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            Material.objects.filter(pk=self.material_id).update(current_version=self)
            self.material.current_version = self


class FileVersionFactory(MaterialVersionFactory):
    """A file version whose bytes are not on disk (for pages that only list versions)."""

    external_url = ""
    file_name = factory.Sequence(lambda n: f"guide-{n}.pdf")
    storage_name = factory.Sequence(lambda n: f"test/{n:08d}.bin")
    content_type = "application/pdf"
    size_bytes = 1024
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.storage_name.encode()).hexdigest())


class MaterialAuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaterialAuthor

    material = factory.SubFactory(MaterialFactory)
    person = factory.SubFactory(PersonFactory)


class ReuseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reuse

    material = factory.SubFactory(MaterialFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    used_on = dt.date(2026, 10, 1)
    context = "Team away day"
    learners_reached = 12
    hours_saved = Decimal("7.5")
    cost_saved = Decimal("450.00")


class MaterialReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaterialReport

    material = factory.SubFactory(MaterialFactory)
    reason = ReportReason.ERROR
    details = "Slide 4 gives the old safeguarding contact."
