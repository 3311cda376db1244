"""Small files of every accepted kind, and hostile ones, built in memory for the uploads tests."""

from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF

OOXML_MAIN = {
    "docx": ("/word/document.xml", "wordprocessingml.document.main+xml"),
    "xlsx": ("/xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    "pptx": ("/ppt/presentation.xml", "presentationml.presentation.main+xml"),
}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    """An uploaded file as a form would receive it (the browser's content type is ignored)."""
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def pdf() -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=12)
    document.cell(text="Facilitator guide")
    return bytes(document.output())


def ooxml(
    kind: str, extra: dict[str, bytes] | None = None, *, main_type: str | None = None
) -> bytes:
    """A minimal DOCX, XLSX or PPTX: the content-types manifest and the main part."""
    part, content_type = OOXML_MAIN[kind]
    content_type = main_type or content_type
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="{part}" '
        f'ContentType="application/vnd.openxmlformats-officedocument.{content_type}"/>'
        "</Types>"
    )
    members = {"[Content_Types].xml": manifest.encode(), part.lstrip("/"): b"<main/>"}
    return zip_of({**members, **(extra or {})})


def opendocument(kind: str) -> bytes:
    """A minimal ODT, ODS or ODP: the stored mimetype first, then the content."""
    names = {"odt": "text", "ods": "spreadsheet", "odp": "presentation"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        mimetype = f"application/vnd.oasis.opendocument.{names[kind]}"
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>", zipfile.ZIP_DEFLATED)
    return out.getvalue()


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">L", len(data)) + body + struct.pack(">L", zlib.crc32(body))

    header = struct.pack(">LLBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\xff\xd9"


def mp4() -> bytes:
    ftyp = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    return ftyp + b"\x00\x00\x00\x08free" + b"\x00\x00\x00\x08mdat"


def zip_of(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=compression)
    return out.getvalue()


def zip_with_link() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        link = zipfile.ZipInfo("course/shortcut")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    return out.getvalue()


def with_declared_size(data: bytes, declared: int) -> bytes:
    """The zip with its one entry's uncompressed size understated, in both headers."""
    patched = bytearray(data)
    local = patched.index(b"PK\x03\x04")
    central = patched.index(b"PK\x01\x02")
    struct.pack_into("<L", patched, local + 22, declared)
    struct.pack_into("<L", patched, central + 24, declared)
    return bytes(patched)


def with_local_name(data: bytes, old: bytes, new: bytes) -> bytes:
    """The zip with its entry's name changed in the local header only (same length)."""
    assert len(old) == len(new)
    local = data.index(b"PK\x03\x04")
    name_at = data.index(old, local)
    return data[:name_at] + new + data[name_at + len(new) :]


def with_end_record_count(data: bytes, count: int) -> bytes:
    """The zip with its end record claiming `count` entries."""
    patched = bytearray(data)
    end = patched.rindex(b"PK\x05\x06")
    struct.pack_into("<HH", patched, end + 8, count, count)
    return bytes(patched)


def handmade_zip(entries: list[tuple[bytes, bytes, int]], body: bytes, *, flags: int = 0) -> bytes:
    """A zip written byte by byte: `body` (the local headers and data), then an index of stored
    `entries` (name, data, offset of its local header)."""
    index = b"".join(
        struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            20,
            20,
            flags,
            0,
            0,
            0,
            zlib.crc32(data),
            len(data),
            len(data),
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        + name
        for name, data, offset in entries
    )
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(index), len(body), 0
    )
    return body + index + end


def local_entry(name: bytes, data: bytes, *, flags: int = 0) -> bytes:
    """A stored entry's local header and data."""
    header = struct.pack(
        "<4s5H3L2H",
        b"PK\x03\x04",
        20,
        flags,
        0,
        0,
        0,
        zlib.crc32(data),
        len(data),
        len(data),
        len(name),
        0,
    )
    return header + name + data
