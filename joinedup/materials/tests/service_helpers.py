"""Helpers for the materials service, query and task tests: uploads, a private folder, counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.materials import services
from joinedup.materials.models import (
    Licence,
    Material,
    MaterialAuthor,
    MaterialKind,
    MaterialReport,
    MaterialVersion,
    Reuse,
)
from joinedup.partnership.actor import Actor
from joinedup.partnership.models import AuditEvent, Organisation, OrganisationRole
from joinedup.partnership.tests.factories import EmploymentFactory, OrganisationRoleFactory

GUIDE_TEXT = "Facilitator guide for reflective supervision.\nSession one: trauma informed practice."


def private_folder(settings, tmp_path: Path) -> Path:
    """PRIVATE_FILES_ROOT in a fresh folder, without virus scanning (for a `files_root` fixture)."""
    root = tmp_path / "private-files"
    settings.PRIVATE_FILES_ROOT = root
    settings.CLAMAV_SOCKET = ""
    return root


def stored_files(root: Path) -> list[Path]:
    """Every file kept under the private folder."""
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def text_file(text: str = GUIDE_TEXT, name: str = "guide.txt") -> SimpleUploadedFile:
    """A plain text upload as a form would receive it."""
    return SimpleUploadedFile(name, text.encode(), content_type="application/octet-stream")


def counts() -> dict[str, int]:
    """How many rows each table the services write holds."""
    return {
        model.__name__: model.objects.count()
        for model in (
            Material,
            MaterialVersion,
            MaterialAuthor,
            Reuse,
            MaterialReport,
            AuditEvent,
        )
    }


def ld_lead_at(organisation: Organisation, email: str) -> Actor:
    """A new L&D lead on the organisation's staff, acting for it."""
    employment = EmploymentFactory(organisation=organisation, person__email=email)
    OrganisationRoleFactory(
        person=employment.person, organisation=organisation, role=OrganisationRole.LD_LEAD
    )
    return Actor(person=employment.person, organisation=organisation)


def new_material(actor: Actor, **fields: Any) -> Material:
    """A material made by `create_material` for the actor's organisation (a link unless an
    upload is given)."""
    values: dict[str, Any] = {
        "title": "Reflective supervision: facilitator guide",
        "summary": "A half-day session plan for supervisors.",
        "kind": MaterialKind.FACILITATOR_GUIDE,
        "licence": Licence.PARTNERSHIP,
        "topics": ["Supervision"],
        "programmes": [],
        "authors": [],
        "external_url": "" if "upload" in fields else "https://learning.example.test/guide",
    }
    values.update(fields)
    return services.create_material(actor=actor, owner=actor.organisation, **values)


def last_audit() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()
