"""Uploads are hostile until proven otherwise: the shared gate and store for uploaded files.

    checked = check_upload(request.FILES["file"])      # raises UploadRefused(reason)
    storage_name = store(checked)                      # keep with checked.file_name, .content_type,
                                                       # .size_bytes and .sha256 on your own model
    return attachment_response(storage_name, file_name=..., content_type=...)  # after access check

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
