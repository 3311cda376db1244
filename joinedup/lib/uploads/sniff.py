"""What a file is, decided by its bytes: magic numbers for binary kinds, a decode for text."""

from __future__ import annotations

import codecs
import re
from typing import BinaryIO

from joinedup.lib.uploads import kinds
from joinedup.lib.uploads.kinds import Kind
from joinedup.lib.uploads.refused import UploadRefused

HEAD_BYTES = 4096
TEXT_CHUNK_BYTES = 256 * 1024
ZIP_MAGIC = b"PK\x03\x04"
# Brands of the ISO media file (ftyp) box that are MP4 video; QuickTime, HEIC and AVIF are not.
MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V "}
    | {b"M4VH", b"M4VP", b"dash", b"mmp4", b"MSNV"}
)
# Recognised but refused, so the message can say what the file is.
_REFUSED_MAGIC = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"#!", "a script"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Office document (DOC, XLS or PPT)"),
    (b"{\\rtf", "a rich text (RTF) document"),
    (b"GIF8", "a GIF image"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"PK\x05\x06", "an empty ZIP archive"),
)
# Text that a browser could treat as markup or code; the first match names the kind of content.
_MARKUP = (
    ("<svg", "an SVG image"),
    ("<script", "a script"),
    ("javascript:", "a script"),
    ("vbscript:", "a script"),
    ("<!doctype", "a web page (HTML)"),
    ("<html", "a web page (HTML)"),
    ("<head", "a web page (HTML)"),
    ("<body", "a web page (HTML)"),
    ("<iframe", "a web page (HTML)"),
    ("<object", "a web page (HTML)"),
    ("<embed", "a web page (HTML)"),
    ("<meta", "a web page (HTML)"),
    ("<?xml-stylesheet", "an XML document with a stylesheet"),
    ("<xsl:", "an XML stylesheet (XSLT)"),
)
_MARKER_OVERLAP = max(len(marker) for marker, _ in _MARKUP) - 1
# Control characters other than tab, line feed, form feed and carriage return: binary, not text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def binary_kind(head: bytes) -> Kind | None:
    """The accepted binary kind whose magic number `head` starts with (ZIP for every zip)."""
    if head.startswith(b"%PDF-"):
        return kinds.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return kinds.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return kinds.JPEG
    if head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        return kinds.MP4
    if head.startswith(ZIP_MAGIC):
        return kinds.ZIP
    return None


def refused_binary_label(head: bytes) -> str | None:
    """Plain words for a recognised kind of file we do not accept, if `head` is one."""
    if head[4:8] == b"ftyp":
        return "a video or image format other than MP4"
    return next((label for magic, label in _REFUSED_MAGIC if head.startswith(magic)), None)


def check_text(stream: BinaryIO) -> None:
    """Refuse `stream` unless all of it decodes as text (UTF-8, UTF-16 with a byte order mark, or
    Windows-1252) without control characters or markup a browser might run."""
    stream.seek(0)
    head = stream.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "cp1252"]
    for encoding in candidates:
        if _decodes_as_text(stream, encoding):
            return
    raise UploadRefused(
        f"The selected file is not a type we accept: upload {kinds.ACCEPTED_DESCRIPTION}"
    )


def _decodes_as_text(stream: BinaryIO, encoding: str) -> bool:
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    tail = ""
    try:
        while True:
            chunk = stream.read(TEXT_CHUNK_BYTES)
            text = decoder.decode(chunk, final=not chunk)
            if _CONTROL.search(text):
                return False
            window = (tail + text).lower()
            for marker, label in _MARKUP:
                if marker in window:
                    raise UploadRefused(
                        f"The selected file looks like {label}, which could run in a browser: "
                        "save it as a PDF, or as plain text without web page markup"
                    )
            tail = window[-_MARKER_OVERLAP:]
            if not chunk:
                return True
    except UnicodeDecodeError:
        return False
