"""Reading the text inside a version's file for search: the work of the background task.

The file is read in a separate process with a time and memory limit (`materials/reading.py`):
`extraction.extract_text` leaves bounding the time a pathological PDF takes to its caller.
"""

from __future__ import annotations

from django.db import transaction

from joinedup.lib import uploads
from joinedup.partnership import audit

from .. import extraction, reading
from ..models import ExtractionStatus, Material, MaterialVersion
from . import materials

ERROR_MAX = 300


def read_text(storage_name: str, content_type: str) -> str:
    """The text inside a stored file, read within the time and memory limits."""
    with uploads.open_stored(storage_name) as stream:
        data = stream.read()
    return reading.read_text_limited(data, content_type)


def read_version_text(*, version_id: int) -> str:
    """Read the text inside a version's file (slow: outside any transaction), store it, and
    refresh the search document if it is still its material's current version.

    Returns the version's extraction status; a version no longer waiting is left alone.
    """
    version = MaterialVersion.objects.filter(pk=version_id).first()
    if version is None:
        return "missing"
    if version.extraction_status != ExtractionStatus.PENDING:
        return version.extraction_status
    try:
        text = read_text(version.storage_name, version.content_type)
        status, error = ExtractionStatus.DONE, ""
    except extraction.ExtractionFailed as failure:
        text, status, error = "", ExtractionStatus.FAILED, failure.reason[:ERROR_MAX]
    except FileNotFoundError:
        text, status, error = "", ExtractionStatus.FAILED, "The stored file is missing."
    with transaction.atomic():
        done = MaterialVersion.objects.filter(
            pk=version_id, extraction_status=ExtractionStatus.PENDING
        ).update(extracted_text=text, extraction_status=status, extraction_error=error)
        if not done:
            return MaterialVersion.objects.get(pk=version_id).extraction_status
        material = materials.lock_material(version.material)
        if material.current_version_id == version_id:
            Material.objects.filter(pk=material.pk).update(
                search_document=materials.current_search_document(material)
            )
        audit.record(
            actor=None,
            action="material_version.text_read",
            kind="materials.MaterialVersion",
            object_id=version_id,
            label=str(version),
            organisation=material.owner,
            changes={"material": material.pk, "status": status, "characters": len(text)},
        )
    return status
