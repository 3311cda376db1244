"""The text inside an uploaded material, for search. Plain data in, plain data out.

`extract_text(source, content_type)` reads PDF (with pypdf), Word (DOCX), PowerPoint (PPTX),
OpenDocument text and presentation (ODT, ODP), plain text and CSV. The zip-based formats are read
here, from their XML parts, by a streaming parser that builds no tree (defusedxml, so no DTD and no
entity expansion):

- DOCX: the main document part named by the package's relationships (word/document.xml), then its
  footnotes and endnotes. Text is `w:t`; `w:tab` is a tab; `w:br` and `w:cr` are line breaks; each
  `w:p` ends a line. Deleted revisions (`w:delText`) and field codes (`w:instrText`) are not text.
- PPTX: the slides in the order presentation.xml lists them (the order people see, which after
  reordering differs from the slide file numbers; numeric file order when the list is missing),
  each followed by its speaker notes. Text is `a:t`; `a:br` is a line break; each `a:p` ends a
  line; the notes' slide-number field is left out.
- ODT and ODP: content.xml. Text is the character data inside `text:p` and `text:h` (spans, links
  and other inline elements included); `text:s` is a space, `text:tab` a tab, `text:line-break` a
  line break. Tracked deletions, annotations, note citation marks and image titles are left out.
- In both families the fallback copy of a drawing (`mc:Fallback`) is skipped, so the text of a
  text box is read once.

Hostile or broken files: the text kept is capped (`max_chars`, two million characters by default)
and reading stops once the cap is reached. No zip member is read past 64 MB, nor a package past
256 MB in all: a document part that big with less text than the cap is almost all markup, which
is what a zip bomb looks like, so it is refused rather than read to the end. A damaged, encrypted
or password-protected file raises `ExtractionFailed` with the reason in plain words, never another
exception. pypdf caps what any one PDF stream may decompress to. Nothing here bounds the time a
pathological PDF page takes; the background task that calls this sets its own time limit.

The text is normalised for search: Unicode NFKC (ligatures such as "ﬁ" become "fi"), soft hyphens,
zero-width spaces and control characters removed, runs of spaces and tabs made one space, at most
one blank line in a row (pages and slides are separated by one), and no space at a line's ends.
"""

from __future__ import annotations

import codecs
import io
import lzma
import os
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

import charset_normalizer
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, fromstring
from pypdf import PasswordType, PdfReader

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODP = "application/vnd.oasis.opendocument.presentation"
TEXT = "text/plain"
CSV = "text/csv"

MAX_CHARS = 2_000_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_PACKAGE_BYTES = 256 * 1024 * 1024
CHUNK_BYTES = 64 * 1024

# An OLE compound file: what Office writes for a password-protected DOCX or PPTX (and old .doc).
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Source = bytes | bytearray | memoryview | str | os.PathLike[str] | BinaryIO


class ExtractionFailed(Exception):
    """The file's text cannot be read; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def media_type(content_type: str) -> str:
    """The bare media type of a Content-Type value, lower case, without parameters."""
    return content_type.split(";", 1)[0].strip().lower()


def can_extract(content_type: str) -> bool:
    """Whether `extract_text` reads files of this type."""
    return media_type(content_type) in _READERS


def extract_text(source: Source, content_type: str, *, max_chars: int = MAX_CHARS) -> str:
    """The normalised text inside a file of `content_type`, at most `max_chars` characters.

    `source` is the file's bytes, a path, or a binary stream (read from where it stands; not
    closed). Raises ExtractionFailed with the reason when the text cannot be read.
    """
    kind = media_type(content_type)
    reader = _READERS.get(kind)
    if reader is None:
        raise ExtractionFailed(f"Text is not read from files of type {kind or 'unknown'}.")
    text = _Text(max_chars)
    with _opened(source) as stream, suppress(_Full):
        reader(stream, text)
    return normalise_whitespace(text.value())[:max_chars].rstrip()


_LINE_BREAKS = re.compile("\r\n?|[\v\f\x85\u2028\u2029]")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACES = re.compile(r"[^\S\n]+")
_LINE_ENDS = re.compile(" ?\n ?")
_BLANK_LINES = re.compile("\n{3,}")


def normalise_whitespace(text: str) -> str:
    """Text made ready for search: NFKC, invisible and control characters gone, one space for
    any run of spaces, at most one blank line in a row, no space at either end of a line."""
    text = unicodedata.normalize("NFKC", text)
    text = _LINE_BREAKS.sub("\n", text).translate(_INVISIBLE)
    text = _SPACES.sub(" ", _CONTROLS.sub(" ", text))
    text = _BLANK_LINES.sub("\n\n", _LINE_ENDS.sub("\n", text))
    return text.strip()


class _Full(Exception):
    """The text has reached its cap: stop reading."""


class _Text:
    """The text read so far, refusing to grow past its cap."""

    def __init__(self, limit: int) -> None:
        self.parts: list[str] = []
        self.left = limit

    def add(self, piece: str) -> None:
        if len(piece) > self.left:
            self.parts.append(piece[: self.left])
            self.left = 0
            raise _Full
        self.parts.append(piece)
        self.left -= len(piece)

    def value(self) -> str:
        return "".join(self.parts)


@contextmanager
def _opened(source: Source) -> Iterator[BinaryIO]:
    if isinstance(source, bytes | bytearray | memoryview):
        yield io.BytesIO(bytes(source))
    elif isinstance(source, str | os.PathLike):
        with open(source, "rb") as stream:
            yield stream
    elif source.seekable():
        yield source
    else:
        yield io.BytesIO(source.read())


# --- PDF ---

DAMAGED_PDF = "The PDF is damaged, so its text cannot be read."
LOCKED_PDF = "The PDF is password-protected, so its text cannot be read."


def _read_pdf(stream: BinaryIO, text: _Text) -> None:
    # pypdf raises many kinds of exception on a damaged file; any of them means the same to us.
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            raise ExtractionFailed(LOCKED_PDF)
        pages = reader.pages
        count = len(pages)
    except ExtractionFailed:
        raise
    except Exception as error:
        raise ExtractionFailed(DAMAGED_PDF) from error
    unreadable = 0
    for number in range(count):
        try:
            page_text = pages[number].extract_text()
        except Exception:
            unreadable += 1
            continue
        text.add(page_text)
        text.add("\n\n\n")
    if count and unreadable == count:
        raise ExtractionFailed(DAMAGED_PDF)


def _opens_without_password(reader: PdfReader) -> bool:
    """Whether an encrypted PDF has an empty user password (only its owner's rights are locked)."""
    try:
        return reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception:
        # AES needs an optional cryptography package; without it the file stays locked to us.
        return False


# --- Zip packages: DOCX, PPTX, ODT, ODP ---

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE_NS = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
DRAW_NS = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
SVG_NS = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
MANIFEST_NS = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"

MB = 1024 * 1024

# What zipfile and its decompressors raise on a damaged archive or member.
_DAMAGED_ZIP = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,  # zipfile's answer to a compression method it cannot read
)


@dataclass(frozen=True)
class _Markup:
    """How one XML vocabulary holds its text."""

    text: frozenset[str]
    inserts: Mapping[str, str]
    ends: Mapping[str, str]
    skip: frozenset[str]
    skip_if: Callable[[str, Mapping[str, str]], bool] = field(default=lambda tag, attrib: False)


WORD = _Markup(
    text=frozenset({W + "t"}),
    inserts={W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"},
    ends={W + "p": "\n"},
    skip=frozenset({MC + "Fallback"}),
)
DRAWING = _Markup(
    text=frozenset({A + "t"}),
    inserts={A + "br": "\n"},
    ends={A + "p": "\n"},
    skip=frozenset({MC + "Fallback"}),
    skip_if=lambda tag, attrib: tag == A + "fld" and attrib.get("type") == "slidenum",
)
OPEN_DOCUMENT = _Markup(
    text=frozenset({TEXT_NS + "p", TEXT_NS + "h"}),
    inserts={TEXT_NS + "s": " ", TEXT_NS + "tab": "\t", TEXT_NS + "line-break": "\n"},
    ends={TEXT_NS + "p": "\n", TEXT_NS + "h": "\n", DRAW_NS + "page": "\n\n"},
    skip=frozenset(
        {
            TEXT_NS + "tracked-changes",
            TEXT_NS + "note-citation",
            OFFICE_NS + "annotation",
            SVG_NS + "title",
            SVG_NS + "desc",
            MC + "Fallback",
        }
    ),
)


class _TextTarget:
    """An XML parser target that adds a part's text to `text` as the parser reads it."""

    def __init__(self, markup: _Markup, text: _Text) -> None:
        self.markup = markup
        self.text = text
        self.inside = 0
        self.skipping = 0

    def start(self, tag: str, attrib: Mapping[str, str]) -> None:
        if self.skipping or tag in self.markup.skip or self.markup.skip_if(tag, attrib):
            self.skipping += 1
            return
        if tag in self.markup.text:
            self.inside += 1
        insert = self.markup.inserts.get(tag)
        if insert:
            self.text.add(insert)

    def end(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= 1
            return
        if tag in self.markup.text:
            self.inside -= 1
        end = self.markup.ends.get(tag)
        if end:
            self.text.add(end)

    def data(self, content: str) -> None:
        if self.inside and not self.skipping:
            self.text.add(content)

    def close(self) -> None:
        return None


class _Package:
    """A zip package read within the byte caps; every failure is an ExtractionFailed."""

    def __init__(self, stream: BinaryIO, what: str) -> None:
        self.what = what
        self.left = MAX_PACKAGE_BYTES
        start = stream.tell()
        if stream.read(len(OLE_SIGNATURE)) == OLE_SIGNATURE:
            raise ExtractionFailed(
                f"The {what} is password-protected or in an old binary format, "
                "so its text cannot be read."
            )
        stream.seek(start)
        try:
            self.archive = zipfile.ZipFile(stream)
        except _DAMAGED_ZIP as error:
            raise ExtractionFailed(f"The {what} is damaged: it is not a valid package.") from error
        self.names = set(self.archive.namelist())

    def has(self, name: str) -> bool:
        return name in self.names

    def chunks(self, name: str) -> Iterator[bytes]:
        """The member's bytes as they decompress, refused once past the caps."""
        if not self.has(name):
            raise ExtractionFailed(f"The {self.what} is damaged: it has no {_shown(name)}.")
        if self.archive.getinfo(name).flag_bits & 0x1:
            raise ExtractionFailed(
                f"The {self.what} is password-protected, so its text cannot be read."
            )
        read = 0
        try:
            with self.archive.open(name) as member:
                while chunk := member.read(CHUNK_BYTES):
                    read += len(chunk)
                    self.left -= len(chunk)
                    if read > MAX_MEMBER_BYTES:
                        raise ExtractionFailed(
                            f"The {self.what}'s {_shown(name)} expands to more than "
                            f"{MAX_MEMBER_BYTES // MB} MB, so it was not read."
                        )
                    if self.left < 0:
                        raise ExtractionFailed(
                            f"The {self.what} expands to more than "
                            f"{MAX_PACKAGE_BYTES // MB} MB, so it was not read."
                        )
                    yield chunk
        except _DAMAGED_ZIP as error:
            raise ExtractionFailed(
                f"The {self.what} is damaged: {_shown(name)} cannot be read."
            ) from error

    def parse(self, name: str) -> Element:
        """A small part (relationships, manifest, the presentation) as an element tree."""
        data = b"".join(self.chunks(name))
        try:
            root: Element = fromstring(data, forbid_dtd=True)
        except (ParseError, DefusedXmlException) as error:
            raise self._bad_xml(name, error) from error
        return root

    def read_text(self, name: str, markup: _Markup, text: _Text) -> None:
        """Stream a document part through the parser, adding its text as it goes."""
        parser = DefusedXMLParser(target=_TextTarget(markup, text), forbid_dtd=True)
        try:
            for chunk in self.chunks(name):
                parser.feed(chunk)
            parser.close()
        except (ParseError, DefusedXmlException) as error:
            raise self._bad_xml(name, error) from error

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """A part's internal relationships: id -> (type's last word, target part name)."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels):
            return {}
        found = {}
        for rel in self.parse(rels).iter(RELS + "Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External" or not target:
                continue
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            found[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], name)
        return found

    def related(self, part: str, kind: str) -> list[str]:
        return [name for rel, name in self.relationships(part).values() if rel == kind]

    def _bad_xml(self, name: str, error: Exception) -> ExtractionFailed:
        if isinstance(error, DefusedXmlException):
            return ExtractionFailed(
                f"The {self.what}'s {_shown(name)} declares XML entities or a DTD, "
                "which are refused."
            )
        return ExtractionFailed(
            f"The {self.what} is damaged: {_shown(name)} is not well-formed XML."
        )


SHOWN_NAME_CHARS = 60


def _shown(name: str) -> str:
    """A part name short enough for a reason: the names come from the file, so may be huge."""
    return name if len(name) <= SHOWN_NAME_CHARS else name[: SHOWN_NAME_CHARS - 1] + "…"


def _main_part(package: _Package, default: str) -> str:
    """The package's main part, as its root relationships name it."""
    return next(iter(package.related("", "officeDocument")), default)


def _read_docx(stream: BinaryIO, text: _Text) -> None:
    package = _Package(stream, "Word document")
    document = _main_part(package, "word/document.xml")
    package.read_text(document, WORD, text)
    for kind in ("footnotes", "endnotes"):
        for part in package.related(document, kind):
            if package.has(part):
                text.add("\n\n")
                package.read_text(part, WORD, text)


_SLIDE_FILE = re.compile(r"ppt/slides/slide(\d+)\.xml")


def _read_pptx(stream: BinaryIO, text: _Text) -> None:
    package = _Package(stream, "PowerPoint presentation")
    for slide in _slides_in_order(package):
        package.read_text(slide, DRAWING, text)
        for notes in package.related(slide, "notesSlide"):
            if package.has(notes):
                text.add("\n")
                package.read_text(notes, DRAWING, text)
        text.add("\n\n\n")


def _slides_in_order(package: _Package) -> list[str]:
    presentation = _main_part(package, "ppt/presentation.xml")
    if package.has(presentation):
        rels = package.relationships(presentation)
        listed = [
            rels.get(slide.get(R + "id", ""), ("", ""))
            for slide in package.parse(presentation).iter(P + "sldId")
        ]
        slides = [name for kind, name in listed if kind == "slide" and package.has(name)]
        if slides:
            return slides
    numbered = [(m, name) for name in package.names if (m := _SLIDE_FILE.fullmatch(name))]
    # By the number's length, then its digits: numeric order without int() of a hostile number.
    return [
        name for _, _, name in sorted((len(m.group(1)), m.group(1), name) for m, name in numbered)
    ]


def _read_odf(stream: BinaryIO, text: _Text) -> None:
    package = _Package(stream, "OpenDocument file")
    manifest = "META-INF/manifest.xml"
    encrypted = f".//{MANIFEST_NS}encryption-data"
    if package.has(manifest) and package.parse(manifest).find(encrypted) is not None:
        raise ExtractionFailed(
            "The OpenDocument file is password-protected, so its text cannot be read."
        )
    package.read_text("content.xml", OPEN_DOCUMENT, text)


# --- Plain text and CSV ---

_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _read_plain(stream: BinaryIO, text: _Text) -> None:
    # Four bytes a character is enough for the cap in any encoding read here.
    data = stream.read(text.left * 4 + 4)
    text.add(_decode(data))


def _decode(data: bytes) -> str:
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return codecs.getincrementaldecoder(encoding)(errors="replace").decode(data)
    try:
        # Not final: a character cut in two by the read cap is dropped, not an error.
        return codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        pass
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise ExtractionFailed("The file is not readable text in any encoding we know.")
    # Windows-1252 is what UK editors and spreadsheets write: prefer it when it reads as well.
    for match in matches:
        if match.encoding == "cp1252" and (match.chaos, -match.coherence) <= (
            best.chaos,
            -best.coherence,
        ):
            return str(match)
    return str(best)


_READERS: dict[str, Callable[[BinaryIO, _Text], None]] = {
    PDF: _read_pdf,
    DOCX: _read_docx,
    PPTX: _read_pptx,
    ODT: _read_odf,
    ODP: _read_odf,
    TEXT: _read_plain,
    CSV: _read_plain,
}
