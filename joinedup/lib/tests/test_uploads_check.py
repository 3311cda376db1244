"""check_upload then store, as an app calls them: every accepted kind is stored; every hostile
upload is refused with its reason in plain words and leaves nothing behind, not even a temp file."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile

from joinedup.lib.tests import upload_files as files
from joinedup.lib.tests.conftest import files_under
from joinedup.lib.uploads import UploadRefused, check_upload, open_stored, store

ACCEPTED = [
    ("Facilitator guide.pdf", files.pdf, "application/pdf"),
    (
        "Handout.docx",
        lambda: files.ooxml("docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "Budget.xlsx",
        lambda: files.ooxml("xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "Slides.pptx",
        lambda: files.ooxml("pptx"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("Notes.odt", lambda: files.opendocument("odt"), "application/vnd.oasis.opendocument.text"),
    (
        "Costs.ods",
        lambda: files.opendocument("ods"),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    (
        "Deck.odp",
        lambda: files.opendocument("odp"),
        "application/vnd.oasis.opendocument.presentation",
    ),
    ("Plan.txt", lambda: "Session plan\n\tWelcome – 10 minutes\n".encode(), "text/plain"),
    ("Plan-latin.txt", lambda: "Café session, £40\r\n".encode("cp1252"), "text/plain"),
    ("Plan-16.txt", lambda: "Session plan\n".encode("utf-16"), "text/plain"),
    ("Attendance.csv", lambda: b"name,hours\nAsha,3\nBen,4\n", "text/csv"),
    ("Diagram.png", files.png, "image/png"),
    ("Photo.jpg", files.jpeg, "image/jpeg"),
    ("Photo.JPEG", files.jpeg, "image/jpeg"),
    ("Welcome.mp4", files.mp4, "video/mp4"),
    (
        "SCORM package.zip",
        lambda: files.zip_of(
            {
                "imsmanifest.xml": b"<manifest/>",
                "content/index.html": b"<html><body>Lesson</body></html>",
                "content/handout.docx": files.ooxml("docx"),
            }
        ),
        "application/zip",
    ),
]


def check_and_store(name: str, content: bytes) -> str:
    return store(check_upload(files.upload(name, content)))


@pytest.mark.parametrize(("name", "build", "content_type"), ACCEPTED)
def test_each_accepted_kind_is_stored_with_its_metadata(
    uploads_root, uploads_temp, name, build, content_type
):
    content = build()

    checked = check_upload(files.upload(name, content))
    storage_name = store(checked)

    assert checked.file_name == name
    assert checked.content_type == content_type
    assert checked.size_bytes == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    with open_stored(storage_name) as stored:
        assert stored.read() == content
    assert files_under(uploads_root) == [uploads_root / storage_name]
    assert files_under(uploads_temp) == []


def test_a_deck_with_an_embedded_spreadsheet_inside_a_zip_is_accepted(uploads_root):
    deck = files.ooxml(
        "pptx", {"ppt/embeddings/Microsoft_Excel_Worksheet1.xlsx": files.ooxml("xlsx")}
    )

    checked = check_upload(files.upload("Decks.zip", files.zip_of({"week-1/deck.pptx": deck})))

    assert checked.kind == "zip"


# Large archives are built when their test runs (a callable), not when the module is collected.
HOSTILE = [
    pytest.param(
        "handout.pdf", files.png(), "name ends .pdf but the file is a PNG image", id="png-as-pdf"
    ),
    pytest.param(
        "guide.pdf",
        b"MZ\x90\x00" + bytes(200),
        "is a Windows program, which we do not accept",
        id="program-as-pdf",
    ),
    pytest.param(
        "deck.pptx",
        files.zip_of({"slide.xml": b"<x/>"}),
        "name ends .pptx but the file is a ZIP archive",
        id="zip-as-pptx",
    ),
    pytest.param(
        "budget.xlsx",
        files.ooxml("docx"),
        "name ends .xlsx but the file is a Word document (DOCX)",
        id="docx-as-xlsx",
    ),
    pytest.param(
        "notes.pdf",
        b"Just some notes\n",
        "name ends .pdf but the file is plain text",
        id="text-as-pdf",
    ),
    pytest.param("data.txt", bytes(range(256)) * 4, "is not a type we accept", id="binary-as-text"),
    pytest.param("README", b"Read me\n", "has no extension", id="no-extension"),
    pytest.param(
        "macro.docx",
        files.ooxml("docx", main_type="wordprocessingml.template.main+xml"),
        "is a macro-enabled, template or other packaged document",
        id="template-as-docx",
    ),
    pytest.param("empty.txt", b"", "The selected file is empty", id="empty"),
    pytest.param(
        "page.txt",
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        "looks like a script",
        id="html-as-txt",
    ),
    pytest.param(
        "page.html",
        b"<html><body><h1>Hi</h1></body></html>",
        "looks like a web page (HTML)",
        id="html-as-html",
    ),
    pytest.param(
        "picture.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "looks like an SVG image",
        id="svg-as-svg",
    ),
    pytest.param(
        "picture.txt",
        b'<?xml version="1.0"?>\n<SVG onload="alert(1)"/>',
        "looks like an SVG image",
        id="svg-as-txt",
    ),
    pytest.param(
        "link.csv",
        b"title,url\nclick,javascript:alert(1)\n",
        "looks like a script",
        id="script-url-in-csv",
    ),
    pytest.param(
        "zeros.zip",
        lambda: files.zip_of({"zeros.bin": bytes(20 * 1024 * 1024)}),
        "would expand to more than 100 times its size when unpacked, which is how a ZIP bomb works",
        id="zip-bomb",
    ),
    pytest.param(
        "zeros.docx",
        lambda: files.ooxml("docx", {"word/media/zeros.bin": bytes(20 * 1024 * 1024)}),
        "would expand to more than 100 times its size",
        id="docx-bomb",
    ),
    pytest.param(
        "course.zip",
        files.zip_of({"../../etc/cron.d/evil": b"x"}),
        "holds a file whose path leads outside its folder (“../../etc/cron.d/evil”)",
        id="dot-dot-entry",
    ),
    pytest.param(
        "course.zip",
        files.zip_of({"/etc/passwd": b"x"}),
        "path leads outside its folder",
        id="absolute-entry",
    ),
    pytest.param(
        "course.zip",
        files.zip_of({"content\\..\\..\\evil.txt": b"x"}),
        "path leads outside its folder",
        id="backslash-entry",
    ),
    pytest.param(
        "course.zip",
        files.zip_of({"C:/Windows/evil.txt": b"x"}),
        "path leads outside its folder",
        id="drive-letter-entry",
    ),
    pytest.param(
        "deck.pptx",
        files.ooxml("pptx", {"../evil.txt": b"x"}),
        "path leads outside its folder",
        id="dot-dot-entry-in-pptx",
    ),
    pytest.param("course.zip", files.zip_with_link(), "holds a link to another file", id="link"),
    pytest.param(
        "course.zip",
        files.zip_of({"a.txt": b"1", "A.TXT": b"2"}),
        "holds two files with the same name",
        id="duplicate-names",
    ),
    pytest.param(
        "course.zip",
        files.zip_of({"media/inner.zip": files.zip_of({"a.txt": b"a"})}),
        "holds another archive (“media/inner.zip”)",
        id="zip-in-zip",
    ),
    pytest.param(
        "course.zip",
        files.zip_of({"media/clip.bin": b"\x1f\x8b\x08\x00" + bytes(40)}),
        "holds another archive (“media/clip.bin”)",
        id="gzip-in-zip-by-content",
    ),
    pytest.param(
        "course.zip",
        files.zip_of({"backup.7z": b"not really"}),
        "holds another archive (“backup.7z”)",
        id="7z-in-zip-by-name",
    ),
    pytest.param(
        "course.zip",
        files.zip_of({"handout.docx": files.zip_of({"a.txt": b"a"})}),
        "holds another archive (“handout.docx”)",
        id="zip-disguised-as-docx-in-zip",
    ),
    pytest.param(
        "course.zip",
        files.zip_of(
            {
                "deck.pptx": files.ooxml(
                    "pptx",
                    {
                        "ppt/embeddings/sheet.xlsx": files.ooxml(
                            "xlsx", {"xl/embeddings/deeper.docx": files.ooxml("docx")}
                        )
                    },
                )
            }
        ),
        "holds another archive (“xl/embeddings/deeper.docx”)",
        id="documents-nested-three-deep",
    ),
    pytest.param(
        "course.zip",
        lambda: files.zip_of({f"page-{n}.txt": b"" for n in range(10_001)}),
        "holds more than 10,000 files",
        id="too-many-entries",
    ),
    pytest.param(
        "course.zip",
        lambda: files.with_end_record_count(
            files.zip_of({f"p{n}.txt": b"" for n in range(10_001)}), 1
        ),
        "holds more than 10,000 files",
        id="too-many-entries-behind-a-lying-count",
    ),
    pytest.param(
        "course.zip",
        lambda: files.with_declared_size(files.zip_of({"zeros.bin": bytes(1024 * 1024)}), 1000),
        "has a list of contents that does not match what it holds, "
        "which is how a ZIP bomb hides its size",
        id="lying-size",
    ),
    pytest.param(
        "course.zip",
        files.with_local_name(files.zip_of({"good.txt": b"fine"}), b"good.txt", b"evil.exe"),
        "does not match what it holds",
        id="lying-local-name",
    ),
    pytest.param(
        "course.zip",
        files.zip_of({"lesson.txt": b"Lesson " * 1000}, compression=zipfile.ZIP_BZIP2),
        "uses a kind of compression we do not accept",
        id="bzip2-compression",
    ),
    pytest.param(
        "course.zip", b"PK\x03\x04" + bytes(100), "is a damaged ZIP file", id="damaged-zip"
    ),
]


@pytest.mark.parametrize(("name", "content", "reason"), HOSTILE)
def test_each_hostile_upload_is_refused_with_its_reason_and_nothing_is_stored(
    uploads_root, uploads_temp, name, content, reason
):
    with pytest.raises(UploadRefused) as refused:
        check_and_store(name, content() if callable(content) else content)

    assert reason in refused.value.reason
    assert refused.value.reason.startswith("The selected file")
    assert files_under(uploads_root) == []
    assert files_under(uploads_temp) == []


def test_a_file_over_the_configured_limit_is_refused(settings, uploads_root):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024

    with pytest.raises(UploadRefused, match="must be smaller than 1 MB"):
        check_and_store("big.txt", b"a line of text\n" * 100_000)

    assert files_under(uploads_root) == []


def test_the_default_limit_is_50_mb_and_a_caller_may_set_its_own(uploads_root):
    with pytest.raises(UploadRefused, match="must be smaller than 50 MB"):
        check_and_store("big.txt", b"x" * (50 * 1024 * 1024 + 1))
    with pytest.raises(UploadRefused, match="must be smaller than 2 MB"):
        check_upload(files.upload("a.txt", b"x" * (3 * 1024 * 1024)), max_bytes=2 * 1024 * 1024)


def test_a_file_whose_declared_size_understates_it_is_measured_not_trusted(uploads_root):
    lying = files.upload("big.txt", b"x" * 5000)
    lying.size = 10

    with pytest.raises(UploadRefused, match="must be smaller than"):
        check_upload(lying, max_bytes=1000)


# Django's UploadedFile keeps only the part after the last "/", so a name that climbs with "/"
# reaches the check already cut; one that climbs with backslashes reaches it whole.
@pytest.mark.parametrize(
    "name", ["..\\..\\etc\\plan.txt", "\\etc\\plan.txt", "a\\..\\..\\plan.txt"]
)
def test_a_file_name_that_leaves_its_folder_is_refused_and_nothing_stored(
    uploads_root, uploads_temp, name
):
    with pytest.raises(UploadRefused, match="name points outside its folder"):
        check_upload(files.upload(name, b"Plan\n"))

    assert files_under(uploads_root) == []
    assert files_under(uploads_temp) == []


def test_a_folder_in_the_file_name_is_dropped(uploads_root):
    checked = check_upload(files.upload("reports\\2026\\plan.txt", b"Plan\n"))

    assert checked.file_name == "plan.txt"


def test_a_windows_path_and_a_disguising_override_are_cleaned_from_the_name(uploads_root):
    checked = check_upload(files.upload("C:\\Users\\me\\notes\u202etxt.pdf", files.pdf()))

    assert checked.file_name == "notestxt.pdf"


def test_a_file_changed_after_its_check_is_not_stored(uploads_root, uploads_temp):
    checked = check_upload(files.upload("plan.txt", b"Plan\n"))
    checked.source.seek(0)
    checked.source.write(b"Evil\n")

    with pytest.raises(UploadRefused, match="changed while it was being saved"):
        store(checked)

    assert files_under(uploads_root) == []
    assert files_under(uploads_temp) == []


def test_stored_files_are_outside_served_folders_under_generated_names(uploads_root):
    storage_name = check_and_store("Facilitator guide.pdf", files.pdf())

    path = uploads_root / storage_name
    assert path.is_file()
    assert "guide" not in storage_name and "." not in Path(storage_name).name
    assert len(Path(storage_name).name) == 32
    assert path.stat().st_mode & 0o077 == 0


def test_a_large_upload_django_spooled_to_disk_is_checked_and_stored(uploads_root):
    content = files.zip_of({"deck.pptx": files.ooxml("pptx"), "notes.txt": b"Notes\n"})
    upload = TemporaryUploadedFile("Course.zip", "application/zip", len(content), None)
    upload.write(content)
    upload.flush()

    storage_name = store(check_upload(upload))

    with open_stored(storage_name) as stored:
        assert stored.read() == content
    upload.close()


SAMPLES = Path(__file__).parent / "upload_samples"


@pytest.mark.parametrize(
    ("sample", "kind"),
    [
        ("guide.docx", "docx"),
        ("guide.odt", "odt"),
        ("guide.odp", "odp"),
        ("guide.pptx", "pptx"),
        ("scorm.zip", "zip"),
    ],
)
def test_files_made_by_libreoffice_and_info_zip_are_accepted(uploads_root, sample, kind):
    checked = check_upload(files.upload(sample, (SAMPLES / sample).read_bytes()))

    assert checked.kind == kind


def test_a_workbook_written_by_openpyxl_is_accepted(uploads_root):
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Hours saved"
    out = io.BytesIO()
    workbook.save(out)

    assert check_upload(files.upload("Savings.xlsx", out.getvalue())).kind == "xlsx"
