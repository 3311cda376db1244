"""Reading the text inside a version's file for search: the work of the background task.

`extraction.extract_text` bounds what it keeps and reads, but not the time a pathological PDF
page takes; so it runs here in a child process that is stopped after `READ_SECONDS` and may not
grow past `READ_MEMORY_BYTES`. Children come from a fork server that has already imported the
extraction module, so each read starts quickly and shares nothing with the worker's database
connections.
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable
from typing import Any

from django.db import transaction

from joinedup.lib import uploads
from joinedup.partnership import audit

from .. import extraction
from ..models import ExtractionStatus, Material, MaterialVersion
from . import materials

READ_SECONDS = 300
READ_MEMORY_BYTES = 2 * 1024**3
ERROR_MAX = 300
_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["joinedup.materials.extraction"])


def within_limits(
    work: Callable[..., Any],
    *args: Any,
    seconds: float = READ_SECONDS,
    memory: int = READ_MEMORY_BYTES,
) -> Any:
    """`work(*args)` in a child process, stopped after `seconds` or on using `memory` bytes;
    ExtractionFailed says which. `work` and its arguments must be picklable."""
    # The initialiser is a built-in: the child imports nothing of Django to run it.
    limit = (resource.RLIMIT_AS, (memory, memory))
    with _context.Pool(1, initializer=resource.setrlimit, initargs=limit) as pool:
        pending = pool.apply_async(work, args)
        try:
            return pending.get(timeout=seconds)
        except multiprocessing.TimeoutError:
            raise extraction.ExtractionFailed(
                f"Reading the text took longer than {seconds:g} seconds, so it was stopped."
            ) from None
        except MemoryError:
            raise extraction.ExtractionFailed(
                "Reading the text needed too much memory, so it was stopped."
            ) from None


def read_text(storage_name: str, content_type: str) -> str:
    """The text inside a stored file, read within the time and memory limits."""
    with uploads.open_stored(storage_name) as stream:
        data = stream.read()
    return within_limits(extraction.extract_text, data, content_type)


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
