"""ZIP files, and the Office and OpenDocument files built on them, checked without unpacking them.

Nothing is written out. The index (central directory) is read first and refused if it has too many
entries, entries that would land outside their folder, links, passwords or sizes that add up to a
ZIP bomb. Then each entry is inflated in small pieces into nothing but a checksum, never past the
size the index declares, so a "lying" index (one that understates sizes) is caught, with the total
work bounded by the declared sizes just checked. Archives inside the archive are refused, except
Office and OpenDocument files (a course's handouts, a deck's embedded chart), which are checked by
these same rules up to two levels down.
"""

from __future__ import annotations

import contextlib
import re
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, BinaryIO

from defusedxml import ElementTree

from joinedup.lib.uploads import kinds
from joinedup.lib.uploads.kinds import Kind, megabytes
from joinedup.lib.uploads.names import extension_of
from joinedup.lib.uploads.refused import UploadRefused

MAX_ENTRIES = 10_000
MAX_EXPANDED_BYTES = 500 * 1024 * 1024
MAX_RATIO = 100
# A small, tidy archive (a text file of repeated lines) can compress 100 times; only refuse the
# ratio once the expansion itself is worth worrying about.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
# 10,000 entries with long paths fit in under 4 MB; a bigger index is a way to exhaust memory.
MAX_INDEX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 2  # a ZIP of decks, each with an embedded spreadsheet
MAX_MANIFEST_BYTES = 1024 * 1024
MAGIC_BYTES = 262  # tar's "ustar" mark sits at offset 257
PIECE_BYTES = 64 * 1024
SPOOL_BYTES = 8 * 1024 * 1024

ARCHIVE_EXTENSIONS = frozenset(
    {"zip", "zipx", "jar", "war", "ear", "apk", "7z", "rar", "gz", "tgz", "tar", "bz2", "tbz"}
    | {"tbz2", "xz", "txz", "zst", "lz", "lzma", "z", "cab", "iso", "dmg", "cpio", "arj", "lzh"}
)
DOCUMENT_EXTENSIONS = frozenset(kind.extensions[0] for kind in kinds.OFFICE)
_ARCHIVE_MAGIC = (
    (0, b"PK\x03\x04"),
    (0, b"PK\x05\x06"),
    (0, b"7z\xbc\xaf\x27\x1c"),
    (0, b"Rar!\x1a\x07"),
    (0, b"\x1f\x8b"),
    (0, b"BZh"),
    (0, b"\xfd7zXZ\x00"),
    (0, b"\x28\xb5\x2f\xfd"),
    (0, b"MSCF"),
    (257, b"ustar"),
)
_OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": kinds.DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": kinds.XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        kinds.PPTX
    ),
}
_ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": kinds.ODT,
    "application/vnd.oasis.opendocument.spreadsheet": kinds.ODS,
    "application/vnd.oasis.opendocument.presentation": kinds.ODP,
}
_MANIFESTS = ("[Content_Types].xml", "mimetype")
_END_RECORD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END_RECORD = b"PK\x06\x06"
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass
class _Budget:
    limit: int
    expanded_left: int


def zip_kind(stream: BinaryIO, *, size: int, max_expanded_bytes: int = MAX_EXPANDED_BYTES) -> Kind:
    """Check the zip in `stream` (`size` bytes) and say what it is: DOCX, XLSX, PPTX, ODT, ODS,
    ODP, another packaged document, or a plain ZIP; refuse it if it is hostile or damaged."""
    budget = _Budget(limit=max_expanded_bytes, expanded_left=max_expanded_bytes)
    return _check_zip(stream, size=size, budget=budget, depth=0, subject="The selected file")


def _check_zip(stream: IO[bytes], *, size: int, budget: _Budget, depth: int, subject: str) -> Kind:
    _check_end_record(stream, size, subject)
    try:
        archive = zipfile.ZipFile(stream)
    except Exception as error:  # a crafted index can make zipfile raise almost anything
        raise UploadRefused(f"{subject} is a damaged ZIP file and cannot be checked") from error
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise UploadRefused(f"{subject} holds more than {MAX_ENTRIES:,} files")
        seen: set[str] = set()
        for entry in entries:
            _check_entry(entry, seen, subject)
        _check_sizes(entries, size, budget, subject)
        starts = [(entry, _check_local_header(stream, entry, subject)) for entry in entries]
        ranges = [(entry.header_offset, start + entry.compress_size) for entry, start in starts]
        _check_no_overlap(ranges, archive.start_dir, subject)
        manifests: dict[str, bytes] = {}
        for entry, data_start in starts:
            if not entry.is_dir():
                _check_contents(stream, entry, data_start, budget, depth, subject, manifests)
    return _classify(manifests, subject)


def _check_end_record(stream: IO[bytes], size: int, subject: str) -> None:
    """Count the entries and size the index from the end record before zipfile reads the index."""
    tail_length = min(size, 22 + 65_535)
    stream.seek(size - tail_length)
    tail = stream.read(tail_length)
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) - at < 22:
        raise UploadRefused(f"{subject} is a damaged ZIP file and cannot be checked")
    count, index_bytes = struct.unpack("<HL", tail[at + 10 : at + 16])
    if at >= 20 and tail[at - 20 : at - 16] == _ZIP64_LOCATOR:
        (offset,) = struct.unpack("<Q", tail[at - 12 : at - 4])
        stream.seek(offset)
        record = stream.read(56)
        if len(record) < 56 or not record.startswith(_ZIP64_END_RECORD):
            raise UploadRefused(f"{subject} is a damaged ZIP file and cannot be checked")
        count, index_bytes = struct.unpack("<QQ", record[32:48])
    if count > MAX_ENTRIES:
        raise UploadRefused(f"{subject} holds more than {MAX_ENTRIES:,} files")
    if index_bytes > MAX_INDEX_BYTES:
        raise UploadRefused(f"{subject} has a list of contents too large to check")


def _check_entry(entry: zipfile.ZipInfo, seen: set[str], subject: str) -> None:
    name = entry.orig_filename
    shown = _shown(name)
    if not name or _CONTROL.search(name):
        raise UploadRefused(f"{subject} holds a file whose name has control characters")
    parts = name.split("/")
    if "\\" in name or name.startswith("/") or _DRIVE.match(name) or ".." in parts:
        raise UploadRefused(f"{subject} holds a file whose path leads outside its folder ({shown})")
    key = name.rstrip("/").casefold()
    if key in seen:
        raise UploadRefused(f"{subject} holds two files with the same name ({shown})")
    seen.add(key)
    if entry.create_system == 3 and stat.S_ISLNK(entry.external_attr >> 16):
        raise UploadRefused(f"{subject} holds a link to another file ({shown})")
    if entry.flag_bits & 0x1:
        raise UploadRefused(f"{subject} is protected by a password, so it cannot be checked")
    if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UploadRefused(
            f"{subject} uses a kind of compression we do not accept: "
            "save it again with ordinary (Deflate) compression"
        )


def _check_sizes(entries: list[zipfile.ZipInfo], size: int, budget: _Budget, subject: str) -> None:
    expanded = sum(entry.file_size for entry in entries)
    if expanded > budget.expanded_left:
        raise UploadRefused(
            f"{subject} would expand to more than {megabytes(budget.limit)} when unpacked"
        )
    if expanded > RATIO_CHECKED_FROM_BYTES and expanded > MAX_RATIO * size:
        raise UploadRefused(
            f"{subject} would expand to more than {MAX_RATIO} times its size when unpacked, "
            "which is how a ZIP bomb works"
        )
    budget.expanded_left -= expanded


def _check_local_header(stream: IO[bytes], entry: zipfile.ZipInfo, subject: str) -> int:
    """The offset of the entry's data, once its own header agrees with the index."""
    stream.seek(entry.header_offset)
    header = stream.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size:
        raise _lying(subject)
    signature, _, _, method, _, _, _, _, _, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    indexed_name = entry.orig_filename.encode("utf-8" if entry.flag_bits & 0x800 else "cp437")
    if (
        signature != b"PK\x03\x04"
        or method != entry.compress_type
        or stream.read(name_length) != indexed_name
    ):
        raise _lying(subject)
    data_start: int = entry.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    return data_start


def _check_contents(
    stream: IO[bytes],
    entry: zipfile.ZipInfo,
    data_start: int,
    budget: _Budget,
    depth: int,
    subject: str,
    manifests: dict[str, bytes],
) -> None:
    extension = extension_of(entry.filename.rsplit("/", 1)[-1])
    is_document = extension in DOCUMENT_EXTENSIONS
    keep = entry.filename in _MANIFESTS
    head = b""
    kept = bytearray()
    with contextlib.ExitStack() as cleanup:
        spool = (
            cleanup.enter_context(tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES))
            if is_document
            else None
        )
        for piece in _inflated(stream, entry, data_start, subject):
            if len(head) < MAGIC_BYTES:
                head += piece[: MAGIC_BYTES - len(head)]
            if keep:
                kept += piece
                if len(kept) > MAX_MANIFEST_BYTES:
                    raise UploadRefused(f"{subject} is a damaged document and cannot be checked")
            if spool is not None:
                spool.write(piece)
        if keep:
            manifests[entry.filename] = bytes(kept)
        is_archive = any(head[at : at + len(magic)] == magic for at, magic in _ARCHIVE_MAGIC)
        if is_document and head.startswith(b"PK\x03\x04") and spool is not None:
            _check_inner_document(spool, entry, extension, budget, depth, subject)
        elif is_archive or extension in ARCHIVE_EXTENSIONS:
            raise _nested(entry, subject)


def _check_inner_document(
    spool: IO[bytes],
    entry: zipfile.ZipInfo,
    extension: str,
    budget: _Budget,
    depth: int,
    subject: str,
) -> None:
    if depth + 1 > MAX_DEPTH:
        raise _nested(entry, subject)
    kind = _check_zip(
        spool,
        size=entry.file_size,
        budget=budget,
        depth=depth + 1,
        subject=f"The selected file’s {_shown(entry.filename)}",
    )
    if kind is not kinds.kind_for_extension(extension):
        raise _nested(entry, subject)


def _inflated(
    stream: IO[bytes], entry: zipfile.ZipInfo, data_start: int, subject: str
) -> Iterator[bytes]:
    """The entry's contents in pieces, never more than the index declares, checked against the
    declared size and checksum once the compressed data ends."""
    position = data_start
    compressed_left = entry.compress_size
    expanded_left = entry.file_size
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    deflated = entry.compress_type == zipfile.ZIP_DEFLATED
    checksum = 0
    while compressed_left:
        stream.seek(position)
        raw = stream.read(min(PIECE_BYTES, compressed_left))
        if not raw:
            raise _lying(subject)
        position += len(raw)
        compressed_left -= len(raw)
        pending = raw
        while True:
            piece = inflater.decompress(pending, PIECE_BYTES) if deflated else pending
            pending = inflater.unconsumed_tail if deflated else b""
            if len(piece) > expanded_left or (deflated and inflater.unused_data):
                raise _lying(subject)
            expanded_left -= len(piece)
            checksum = zlib.crc32(piece, checksum)
            yield piece
            if not pending and len(piece) < PIECE_BYTES:
                break
    if expanded_left or checksum != entry.CRC or (deflated and not inflater.eof):
        raise _lying(subject)


def _check_no_overlap(ranges: list[tuple[int, int]], index_start: int, subject: str) -> None:
    """Entries that share compressed data (a "better ZIP bomb") or run into the index."""
    ordered = sorted(ranges)
    for (_, data_end), (next_start, _) in zip(ordered, ordered[1:], strict=False):
        if data_end > next_start:
            raise _lying(subject)
    if ordered and ordered[-1][1] > index_start:
        raise _lying(subject)


def _classify(manifests: dict[str, bytes], subject: str) -> Kind:
    if "mimetype" in manifests:
        mimetype = manifests["mimetype"].decode("ascii", errors="replace").strip()
        return _ODF_MIMETYPES.get(mimetype, kinds.OTHER_PACKAGE)
    if "[Content_Types].xml" in manifests:
        try:
            root = ElementTree.fromstring(manifests["[Content_Types].xml"])
        except Exception as error:  # defusedxml refuses entities; a broken manifest is damage
            raise UploadRefused(f"{subject} is a damaged document and cannot be checked") from error
        declared = {element.get("ContentType", "") for element in root.iter()}
        found = [kind for part, kind in _OOXML_MAIN_PARTS.items() if part in declared]
        return found[0] if len(found) == 1 else kinds.OTHER_PACKAGE
    return kinds.ZIP


def _shown(entry_name: str) -> str:
    """An entry's name as safe to show in a message: visible characters only, not too long."""
    visible = _CONTROL.sub("", entry_name)[:80]
    return f"“{visible}”" if visible else "a file with no name"


def _lying(subject: str) -> UploadRefused:
    return UploadRefused(
        f"{subject} has a list of contents that does not match what it holds, "
        "which is how a ZIP bomb hides its size"
    )


def _nested(entry: zipfile.ZipInfo, subject: str) -> UploadRefused:
    return UploadRefused(
        f"{subject} holds another archive ({_shown(entry.filename)}): "
        "archives inside archives are not accepted, so add the files themselves instead"
    )
