"""The portfolio tests' scene: the statement scene's apprentice, now active, and four KSBs of
their standard (ST0480), plus helpers to add evidence through the service."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.apprenticeships import portfolio
from joinedup.apprenticeships.models import EnrolmentStatus, Evidence, Ksb, KsbKind

from .statement_scene import Scene, build_scene, senior_leader

# (code, kind, number): deliberately made out of order, to show the grid sorts them.
KSBS = (("B1", KsbKind.BEHAVIOUR, 1), ("S1", KsbKind.SKILL, 1), ("K2", KsbKind.KNOWLEDGE, 2),
        ("K1", KsbKind.KNOWLEDGE, 1))  # fmt: skip


@dataclass
class PortfolioScene:
    scene: Scene
    ksbs: dict[str, Ksb]

    def __getattr__(self, name: str):
        return getattr(self.scene, name)


def build_portfolio_scene(**enrolment_fields) -> PortfolioScene:
    scene = build_scene(status=EnrolmentStatus.ACTIVE, **enrolment_fields)
    standard = senior_leader()
    ksbs = {
        code: Ksb.objects.get_or_create(
            standard=standard,
            code=code,
            defaults={"kind": kind, "number": number, "description": f"What {code} asks"},
        )[0]
        for code, kind, number in KSBS
    }
    return PortfolioScene(scene=scene, ksbs=ksbs)


def text_file(name: str = "notes.txt", body: bytes = b"Notes from the team meeting\n"):
    return SimpleUploadedFile(name, body)


def add_text(ps: PortfolioScene, *codes: str, title: str = "Team meeting") -> Evidence:
    return portfolio.add_evidence(
        actor=ps.apprentice,
        enrolment=ps.enrolment,
        title=title,
        kind="text",
        text="I chaired the meeting and agreed the plan.",
        ksbs=[ps.ksbs[code].pk for code in codes],
    )
