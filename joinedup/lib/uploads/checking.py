"""check_upload: the one gate every uploaded file passes before anything is stored."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from joinedup.lib.uploads import archives, clamav, kinds, sniff
from joinedup.lib.uploads.kinds import Kind, megabytes
from joinedup.lib.uploads.names import extension_of, leaves_its_folder, sanitise_file_name
from joinedup.lib.uploads.refused import UploadRefused

READ_BYTES = 1024 * 1024
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check, with the metadata the caller keeps beside its
    storage name; `store(checked)` writes it."""

    file_name: str
    content_type: str
    kind: str
    size_bytes: int
    sha256: str
    source: BinaryIO = field(repr=False, compare=False)


def check_upload(uploaded_file: UploadedFile, *, max_bytes: int | None = None) -> CheckedUpload:
    """Check an uploaded file by its content: an accepted kind whose extension agrees, within the
    size limit (UPLOAD_MAX_BYTES unless `max_bytes`), archives that are safe to offer for download,
    and no virus when ClamAV is configured. Raises UploadRefused with the reason in plain words."""
    limit = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    if leaves_its_folder(uploaded_file.name or ""):
        raise UploadRefused(
            "The selected file’s name points outside its folder (it holds “..” or starts with "
            "a slash): rename the file and upload it again"
        )
    file_name = sanitise_file_name(uploaded_file.name or "")
    if (uploaded_file.size or 0) > limit:
        raise _too_large(limit)
    stream: BinaryIO = uploaded_file  # an UploadedFile proxies its file
    size, sha256 = _measure(stream, limit)
    stream.seek(0)
    head = stream.read(sniff.HEAD_BYTES)
    kind = _named_kind(file_name, _content_kind(stream, head, size))
    if settings.CLAMAV_SOCKET:
        _scan_for_viruses(stream)
    stream.seek(0)
    return CheckedUpload(
        file_name=file_name,
        content_type=kind.content_type,
        kind=kind.code,
        size_bytes=size,
        sha256=sha256,
        source=stream,
    )


def _measure(stream: BinaryIO, limit: int) -> tuple[int, str]:
    """The real size and SHA-256, reading no further than the limit allows."""
    digest = hashlib.sha256()
    size = 0
    for chunk in _chunks(stream):
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        digest.update(chunk)
    if not size:
        raise UploadRefused("The selected file is empty")
    return size, digest.hexdigest()


def _content_kind(stream: BinaryIO, head: bytes, size: int) -> Kind:
    kind = sniff.binary_kind(head)
    if kind is kinds.ZIP:
        return archives.zip_kind(stream, size=size)
    if kind is not None:
        return kind
    label = sniff.refused_binary_label(head)
    if label:
        raise UploadRefused(
            f"The selected file is {label}, which we do not accept: "
            f"upload {kinds.ACCEPTED_DESCRIPTION}"
        )
    sniff.check_text(stream)
    return kinds.TEXT


def _named_kind(file_name: str, kind: Kind) -> Kind:
    """The kind, once the name's extension agrees with it (text named .csv is CSV)."""
    if kind not in kinds.ALL:
        raise UploadRefused(
            f"The selected file is {kind.label}, which we do not accept: "
            f"upload {kinds.ACCEPTED_DESCRIPTION}"
        )
    extension = extension_of(file_name)
    named = kinds.kind_for_extension(extension)
    if named is kind or (kind is kinds.TEXT and named in kinds.TEXT_KINDS):
        return named
    if not extension:
        raise UploadRefused(
            f"The selected file’s name has no extension: it is {kind.label}, "
            f"so end its name with .{kind.extensions[0]}"
        )
    raise UploadRefused(
        f"The selected file’s name ends .{extension} but the file is {kind.label}: "
        "upload the right file, or correct its name"
    )


def _scan_for_viruses(stream: BinaryIO) -> None:
    """Scan with the configured ClamAV daemon; never let a file through unscanned."""
    try:
        found = clamav.scan(
            _chunks(stream), address=settings.CLAMAV_SOCKET, timeout=settings.CLAMAV_TIMEOUT
        )
    except clamav.ScanFailed as error:
        logger.error("Upload refused because the virus scan failed: %s", error)
        raise UploadRefused(
            "The selected file could not be checked for viruses; try again later"
        ) from error
    if found:
        logger.warning("Upload refused: ClamAV found %s", found)
        raise UploadRefused(
            f"The selected file contains a virus or other harmful software ({found}) "
            "and has not been stored"
        )


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    stream.seek(0)
    while chunk := stream.read(READ_BYTES):
        yield chunk


def _too_large(limit: int) -> UploadRefused:
    return UploadRefused(f"The selected file must be smaller than {megabytes(limit)}")
