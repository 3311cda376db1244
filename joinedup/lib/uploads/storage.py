"""Checked uploads on disk: a private folder, generated names, atomic writes, served as downloads.

Files live under PRIVATE_FILES_ROOT, never under STATIC_ROOT or MEDIA_ROOT, named
"ab/cd/<32 random hex digits>" with no extension, so even a web server wrongly pointed at the folder
would not serve anything as a page. Only a view that has checked permission serves them, through
attachment_response.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
import unicodedata
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import FileResponse

from joinedup.lib.uploads.checking import CheckedUpload
from joinedup.lib.uploads.kinds import SERVED_CONTENT_TYPES
from joinedup.lib.uploads.refused import UploadRefused

STORAGE_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}$")
COPY_BYTES = 1024 * 1024
# Served as a download that can run nothing even if a browser opens it in a tab.
DOWNLOAD_POLICY = "sandbox; default-src 'none'; frame-ancestors 'none'"


def store(checked: CheckedUpload) -> str:
    """Write a checked upload under a new generated name and return that storage name. The file
    appears complete or not at all; keep the name with the upload's metadata, and call
    delete_stored(name) if saving that record fails."""
    token = secrets.token_hex(16)
    storage_name = f"{token[:2]}/{token[2:4]}/{token}"
    final = _path(storage_name)
    final.parent.mkdir(mode=0o750, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
    try:
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as out:
            checked.source.seek(0)
            while chunk := checked.source.read(COPY_BYTES):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != checked.sha256:
            raise UploadRefused(
                "The selected file changed while it was being saved; upload it again"
            )
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return storage_name


def open_stored(storage_name: str) -> BinaryIO:
    """The stored file, open for reading in binary; FileNotFoundError if it is not there."""
    return _path(storage_name).open("rb")


def delete_stored(storage_name: str) -> None:
    """Remove a stored file (a record that failed to save, or an erased one); missing is fine."""
    _path(storage_name).unlink(missing_ok=True)


def attachment_response(storage_name: str, *, file_name: str, content_type: str) -> FileResponse:
    """A download of the stored file that no browser renders as a page: attachment disposition
    with the display name, a content type from the allow-list (never HTML or SVG), nosniff and a
    sandboxing content security policy. Call it only after the permission check;
    FileNotFoundError if the file has gone (answer 404)."""
    response = FileResponse(
        open_stored(storage_name), content_type=served_content_type(content_type)
    )
    response["Content-Disposition"] = content_disposition(file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


def served_content_type(content_type: str) -> str:
    """The type a stored file is served as: an accepted kind's type, text as UTF-8, anything else
    as bytes to save."""
    base = content_type.split(";", 1)[0].strip().lower()
    if base not in SERVED_CONTENT_TYPES:
        return "application/octet-stream"
    if base.startswith("text/"):
        return f"{base}; charset=utf-8"
    return base


def content_disposition(file_name: str) -> str:
    """An RFC 6266 attachment header: an ASCII fallback name and the full name as UTF-8."""
    ascii_name = unicodedata.normalize("NFKD", file_name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9 ._()\-]", "_", ascii_name).strip() or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def _path(storage_name: str) -> Path:
    if not STORAGE_NAME.match(storage_name):
        raise ValueError(f"Not a storage name: {storage_name!r}")
    return private_root() / storage_name


def private_root() -> Path:
    """PRIVATE_FILES_ROOT, refused if it sits inside a folder the site serves."""
    root = Path(settings.PRIVATE_FILES_ROOT).resolve()
    served = [settings.STATIC_ROOT, settings.MEDIA_ROOT, *settings.STATICFILES_DIRS]
    for folder in served:
        folder_path = Path(folder).resolve()
        if root == folder_path or root.is_relative_to(folder_path):
            raise ImproperlyConfigured(
                f"PRIVATE_FILES_ROOT ({root}) must not be inside {folder_path}, which is served"
            )
    return root
