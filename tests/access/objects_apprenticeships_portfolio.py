"""The own, partner's and outsider's portfolio objects for the portfolio pages and API (see
declarations/apprenticeships_portfolio.py): an active enrolment of the object's organisation
(apprenticeships_scene.enrolment) and one item of its evidence awaiting the tutor, made anew on
every call."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.apprenticeships.models import (
    EnrolmentStatus,
    Evidence,
    EvidenceKind,
    Ksb,
    KsbKind,
)
from joinedup.lib.uploads import check_upload, store
from joinedup.partnership.tests.world import World

from . import apprenticeships_scene
from .objects import Kwargs, Resolver


def _ksb() -> Ksb:
    return Ksb.objects.get_or_create(
        standard=apprenticeships_scene.standard(),
        code="K1",
        defaults={"kind": KsbKind.KNOWLEDGE, "number": 1, "description": "Matrix knowledge"},
    )[0]


def _evidence(world: World, which: str, **fields) -> Evidence:
    enrolment = apprenticeships_scene.enrolment(world, which, status=EnrolmentStatus.ACTIVE)
    values = {"kind": EvidenceKind.TEXT, "text": "What I did and what it shows.", **fields}
    made = Evidence.objects.create(
        enrolment=enrolment, title="Team meeting", created_by=enrolment.apprentice, **values
    )
    made.ksbs.add(_ksb())
    return made


def enrolment(world: World, which: str) -> Kwargs:
    """A new active enrolment of one of the organisation's staff."""
    made = apprenticeships_scene.enrolment(world, which, status=EnrolmentStatus.ACTIVE)
    return {"pk": made.pk}


def evidence(world: World, which: str) -> Kwargs:
    """A new written item awaiting the tutor, of a new active enrolment."""
    return {"pk": _evidence(world, which).pk}


def file_evidence(world: World, which: str) -> Kwargs:
    """A new file item (a stored text file), of a new active enrolment."""
    checked = check_upload(SimpleUploadedFile("notes.txt", b"Notes from the team meeting\n"))
    made = _evidence(
        world,
        which,
        kind=EvidenceKind.FILE,
        text="",
        storage_name=store(checked),
        file_name=checked.file_name,
        content_type=checked.content_type,
        size_bytes=checked.size_bytes,
        sha256=checked.sha256,
    )
    return {"pk": made.pk}


def enrolment_and_evidence(world: World, which: str) -> Kwargs:
    """The API's shape: the enrolment and one of its items."""
    made = _evidence(world, which)
    return {"pk": made.enrolment_id, "evidence_id": made.pk}


RESOLVERS: dict[str, Resolver] = {
    "apprenticeships:portfolio": enrolment,
    "apprenticeships:ksb_coverage": enrolment,
    "apprenticeships:evidence_add": enrolment,
    "apprenticeships:evidence": evidence,
    "apprenticeships:evidence_edit": evidence,
    "apprenticeships:evidence_check": evidence,
    "apprenticeships:evidence_download": file_evidence,
    "api:apprenticeship_evidence": enrolment,
    "api:apprenticeship_add_evidence": enrolment,
    "api:apprenticeship_add_evidence_file": enrolment,
    "api:apprenticeship_ksb_coverage": enrolment,
    "api:apprenticeship_evidence_item": enrolment_and_evidence,
    "api:apprenticeship_check_evidence": enrolment_and_evidence,
}

EVIDENCE = "/api/v1/apprenticeships/enrolments/{pk}/evidence"
API_RESOLVERS: dict[str, Resolver] = {
    f"GET {EVIDENCE}": enrolment,
    f"POST {EVIDENCE}": enrolment,
    f"POST {EVIDENCE}/file": enrolment,
    f"GET {EVIDENCE}/coverage": enrolment,
    f"GET {EVIDENCE}/{{evidence_id}}": enrolment_and_evidence,
    f"POST {EVIDENCE}/{{evidence_id}}/check": enrolment_and_evidence,
}
