"""ZIP checks that need hand-made archives: entries sharing data, passwords, the expansion limit."""

from __future__ import annotations

import hashlib
import io

import pytest

from joinedup.lib.tests import upload_files as files
from joinedup.lib.tests.conftest import files_under
from joinedup.lib.uploads import UploadRefused, check_upload
from joinedup.lib.uploads.archives import zip_kind
from joinedup.lib.uploads.kinds import ZIP


def test_a_handmade_zip_that_follows_the_rules_is_a_zip():
    first = files.local_entry(b"a.txt", b"hello")
    second = files.local_entry(b"b.txt", b"world")
    archive = files.handmade_zip(
        [(b"a.txt", b"hello", 0), (b"b.txt", b"world", len(first))], first + second
    )

    assert zip_kind(io.BytesIO(archive), size=len(archive)) is ZIP


def test_entries_that_share_their_data_are_refused_as_a_bomb():
    inner = files.local_entry(b"b.txt", b"hello")
    outer = files.local_entry(b"a.txt", inner)
    inner_offset = len(outer) - len(inner)
    archive = files.handmade_zip([(b"a.txt", inner, 0), (b"b.txt", b"hello", inner_offset)], outer)

    with pytest.raises(UploadRefused, match="does not match what it holds"):
        zip_kind(io.BytesIO(archive), size=len(archive))


def test_a_password_protected_zip_is_refused_because_it_cannot_be_checked():
    body = files.local_entry(b"secret.txt", b"xxxx", flags=1)
    archive = files.handmade_zip([(b"secret.txt", b"xxxx", 0)], body, flags=1)

    with pytest.raises(UploadRefused, match="protected by a password, so it cannot be checked"):
        zip_kind(io.BytesIO(archive), size=len(archive))


def test_a_zip_that_expands_past_the_limit_is_refused_even_at_a_low_ratio():
    noise = b"".join(hashlib.sha256(str(n).encode()).digest() for n in range(64 * 1024))
    archive = files.zip_of({"part-1.bin": noise, "part-2.bin": noise[::-1]})

    with pytest.raises(UploadRefused, match="would expand to more than 3 MB when unpacked"):
        zip_kind(io.BytesIO(archive), size=len(archive), max_expanded_bytes=3 * 1024 * 1024)


def test_a_wrong_checksum_is_refused():
    body = files.local_entry(b"a.txt", b"hello")
    archive = bytearray(files.handmade_zip([(b"a.txt", b"hello", 0)], body))
    archive[archive.index(b"PK\x01\x02") + 16] ^= 0xFF

    with pytest.raises(UploadRefused, match="does not match what it holds"):
        zip_kind(io.BytesIO(bytes(archive)), size=len(archive))


def test_a_refusal_deep_inside_a_large_embedded_document_leaves_no_temporary_file(
    uploads_root, uploads_temp
):
    noise = b"".join(hashlib.sha256(str(n).encode()).digest() for n in range(300 * 1024))
    deck = files.ooxml("pptx", {"ppt/media/noise.bin": noise, "ppt/evil.tar": b"x"})

    with pytest.raises(UploadRefused, match="holds another archive \\(“ppt/evil.tar”\\)"):
        check_upload(files.upload("course.zip", files.zip_of({"deck.pptx": deck})))

    assert files_under(uploads_temp) == []
