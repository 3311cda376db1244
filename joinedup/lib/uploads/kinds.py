"""The allow-list: each kind of file we accept, the extensions it may carry and the type served."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One accepted kind of file."""

    code: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("pdf", "a PDF", "application/pdf", ("pdf",))
DOCX = Kind(
    "docx",
    "a Word document (DOCX)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
)
XLSX = Kind(
    "xlsx",
    "an Excel spreadsheet (XLSX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("xlsx",),
)
PPTX = Kind(
    "pptx",
    "a PowerPoint presentation (PPTX)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ("pptx",),
)
ODT = Kind("odt", "an OpenDocument text (ODT)", "application/vnd.oasis.opendocument.text", ("odt",))
ODS = Kind(
    "ods",
    "an OpenDocument spreadsheet (ODS)",
    "application/vnd.oasis.opendocument.spreadsheet",
    ("ods",),
)
ODP = Kind(
    "odp",
    "an OpenDocument presentation (ODP)",
    "application/vnd.oasis.opendocument.presentation",
    ("odp",),
)
TEXT = Kind("txt", "plain text", "text/plain", ("txt",))
CSV = Kind("csv", "a CSV file", "text/csv", ("csv",))
PNG = Kind("png", "a PNG image", "image/png", ("png",))
JPEG = Kind("jpeg", "a JPEG image", "image/jpeg", ("jpg", "jpeg"))
MP4 = Kind("mp4", "an MP4 video", "video/mp4", ("mp4", "m4v"))
ZIP = Kind("zip", "a ZIP archive", "application/zip", ("zip",))

ALL = (PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, TEXT, CSV, PNG, JPEG, MP4, ZIP)
OFFICE = (DOCX, XLSX, PPTX, ODT, ODS, ODP)
# Text content is plain text or CSV: the extension decides which, since CSV is text.
TEXT_KINDS = (TEXT, CSV)
ACCEPTED_DESCRIPTION = (
    "a PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), OpenDocument (ODT, ODS or ODP), "
    "plain text, CSV, PNG, JPEG, MP4 or ZIP file"
)
SERVED_CONTENT_TYPES = {kind.content_type for kind in ALL}


def kind_for_extension(extension: str) -> Kind | None:
    """The accepted kind whose files carry `extension` (lower case, no dot), if any."""
    return next((kind for kind in ALL if extension in kind.extensions), None)


# Recognised inside a zip but not accepted: macro-enabled files, templates, Visio and other
# packages built like Office documents.
OTHER_PACKAGE = Kind(
    "package",
    "a macro-enabled, template or other packaged document",
    "application/octet-stream",
    (),
)


def megabytes(size: int) -> str:
    """A size in bytes as whole megabytes (1 MB = 1,048,576 bytes), for messages."""
    return f"{size / (1024 * 1024):,.0f} MB"
