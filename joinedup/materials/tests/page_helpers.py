"""Helpers for the materials page tests: materials of the standing world's organisations."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.materials.models import Licence, Material
from joinedup.materials.tests.factories import (
    FileVersionFactory,
    MaterialFactory,
    MaterialVersionFactory,
)
from joinedup.partnership.models import OrganisationRole
from joinedup.partnership.tests.factories import OrganisationRoleFactory


def linked_material(owner, **fields) -> Material:
    """A material of `owner` whose one version is a link (partnership licence unless given)."""
    version = MaterialVersionFactory(
        material=MaterialFactory(owner=owner, **fields), number=1, change_note="First version."
    )
    return version.material


def filed_material(owner, **fields) -> Material:
    """A material of `owner` whose one version is a file (its bytes need not be on disk)."""
    version = FileVersionFactory(
        material=MaterialFactory(owner=owner, **fields), number=1, change_note="First version."
    )
    return version.material


def open_material(owner, **fields) -> Material:
    """An openly published material under the Open Government Licence."""
    fields.setdefault("licence", Licence.OGL_3)
    return linked_material(owner, published_openly_at=timezone.now(), **fields)


def make_programme_leader(world, persona: str) -> None:
    OrganisationRoleFactory(
        person=world.person(persona),
        organisation=world.employments[persona].organisation,
        role=OrganisationRole.PROGRAMME_LEADER,
    )


def queries_for(client, url: str) -> int:
    """How many queries one GET of the page takes (it must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries)
