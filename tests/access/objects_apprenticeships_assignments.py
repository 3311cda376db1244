"""The own, partner's and outsider's enrolment and attempt for the assignment pages and API (see
apprenticeships_scene.py and declarations/apprenticeships_assignments.py), made anew on every
call: the attempt is unmarked, with a stored text file."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.apprenticeships.models import Assignment, Submission
from joinedup.lib.uploads import check_upload, store
from joinedup.partnership.tests.world import World

from . import apprenticeships_scene
from .objects import Kwargs, Resolver

SUBMITTED_ON = dt.date(2026, 11, 16)


def enrolment(world: World, which: str) -> Kwargs:
    """A new enrolment of one of the organisation's staff."""
    return {"pk": apprenticeships_scene.enrolment(world, which).pk}


def submission(world: World, which: str) -> Kwargs:
    """A new enrolment's unmarked first attempt at its programme's assignment, with a file."""
    made = apprenticeships_scene.enrolment(world, which)
    checked = check_upload(SimpleUploadedFile("essay.txt", b"A reflective essay.\n"))
    attempt = Submission.objects.create(
        enrolment=made,
        provider=made.provider,
        assignment=Assignment.objects.get(module__programme=made.cohort.programme),
        submitted_on=SUBMITTED_ON,
        text="A reflective essay.",
        storage_name=store(checked),
        file_name=checked.file_name,
        content_type=checked.content_type,
        size_bytes=checked.size_bytes,
        sha256=checked.sha256,
        feedback_due_on=dt.date(2026, 12, 7),
        created_by=made.apprentice,
    )
    return {"pk": attempt.pk}


RESOLVERS: dict[str, Resolver] = {
    "apprenticeships:assignments": enrolment,
    "apprenticeships:assignment_submit": enrolment,
    "apprenticeships:submission": submission,
    "apprenticeships:submission_file": submission,
    "apprenticeships:submission_mark": submission,
    "api:apprenticeship_assignments": enrolment,
    "api:apprenticeship_submit": enrolment,
    "api:apprenticeship_submit_file": enrolment,
    "api:apprenticeship_submission": submission,
    "api:apprenticeship_mark": submission,
}

BASE = "/api/v1/apprenticeships"
API_RESOLVERS: dict[str, Resolver] = {
    f"GET {BASE}/enrolments/{{pk}}/assignments": enrolment,
    f"POST {BASE}/enrolments/{{pk}}/submissions": enrolment,
    f"POST {BASE}/enrolments/{{pk}}/submissions/file": enrolment,
    f"GET {BASE}/submissions/{{pk}}": submission,
    f"POST {BASE}/submissions/{{pk}}/mark": submission,
}
