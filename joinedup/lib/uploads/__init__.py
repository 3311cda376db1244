"""Uploads are hostile until proven otherwise: the shared gate and store for uploaded files.

    try:
        checked = check_upload(form.cleaned_data["file"])   # by content, size, archive rules, virus
    except UploadRefused as refused:
        form.add_error("file", refused.reason)              # the reason is written for people
    storage_name = store(checked)  # before the transaction; delete_stored(storage_name) if it fails
    # keep storage_name, checked.file_name, .content_type, .size_bytes and .sha256 on your model

    # in the download view, after the access check (FileNotFoundError if the file has gone):
    return attachment_response(storage_name, file_name=..., content_type=...)

No models: each app keeps the returned metadata in its own fields. See docs/SECURITY.md, "Uploads".
"""

from joinedup.lib.uploads.checking import CheckedUpload, check_upload
from joinedup.lib.uploads.names import sanitise_file_name
from joinedup.lib.uploads.refused import UploadRefused
from joinedup.lib.uploads.storage import (
    attachment_response,
    delete_stored,
    open_stored,
    store,
)

__all__ = [
    "CheckedUpload",
    "UploadRefused",
    "attachment_response",
    "check_upload",
    "delete_stored",
    "open_stored",
    "sanitise_file_name",
    "store",
]
