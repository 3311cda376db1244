"""Text extraction (materials/extraction.py): the words inside each supported type are found in
their order, and damaged, locked or hostile files fail with a reason, never another exception."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.materials import documents, extraction
from joinedup.materials.extraction import (
    CSV,
    DOCX,
    ODP,
    ODT,
    PDF,
    PPTX,
    TEXT,
    ExtractionFailed,
    can_extract,
    extract_text,
    normalise_whitespace,
)

PHRASE = "Restorative supervision for community nurses"


def failure(source, content_type) -> str:
    with pytest.raises(ExtractionFailed) as raised:
        extract_text(source, content_type)
    return raised.value.reason


def in_order(text: str, *phrases: str) -> bool:
    positions = [text.find(phrase) for phrase in phrases]
    return -1 not in positions and positions == sorted(positions)


# --- PDF ---


def test_a_phrase_inside_a_pdf_is_found_with_its_pages_in_order():
    data = documents.pdf([["Welcome to the guide."], [PHRASE, "Session two."], ["Evaluation."]])
    text = extract_text(data, PDF)
    assert PHRASE in text
    assert in_order(text, "Welcome to the guide.", PHRASE, "Session two.", "Evaluation.")
    assert "Session two.\n\nEvaluation." in text


def test_a_long_pdf_paragraph_wrapped_over_lines_keeps_its_words():
    paragraph = " ".join(["handover"] * 60) + " " + PHRASE
    text = extract_text(documents.pdf([[paragraph]]), PDF)
    assert " ".join(text.split()) == paragraph


def test_a_pdf_locked_with_a_password_fails_cleanly():
    data = documents.pdf([[PHRASE]], user_password="letmein")
    assert failure(data, PDF) == "The PDF is password-protected, so its text cannot be read."


def test_a_pdf_with_only_an_owner_password_is_read():
    data = documents.pdf([[PHRASE]], owner="owner-secret", user_password="")
    assert extract_text(data, PDF) == PHRASE


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(range(256)) * 40,
        b"not a pdf at all",
        b"",
    ],
    ids=["garbage after a header", "no header", "empty"],
)
def test_a_damaged_pdf_fails_cleanly(data):
    assert failure(data, PDF) == "The PDF is damaged, so its text cannot be read."


def test_a_pdf_whose_every_page_is_unreadable_fails_cleanly(monkeypatch):
    def broken(self, *args, **kwargs):
        raise KeyError("/Contents")

    monkeypatch.setattr("pypdf.PageObject.extract_text", broken)
    assert failure(documents.pdf([[PHRASE], ["two"]]), PDF) == extraction.DAMAGED_PDF


def test_a_pdf_is_read_from_a_path_and_from_a_stream(tmp_path):
    data = documents.pdf([[PHRASE]])
    path = tmp_path / "guide.pdf"
    path.write_bytes(data)
    assert extract_text(path, PDF) == PHRASE
    assert extract_text(str(path), PDF) == PHRASE
    with path.open("rb") as stream:
        assert extract_text(stream, PDF) == PHRASE
        assert not stream.closed


def test_a_stream_that_cannot_seek_is_read_into_memory():
    class OneWay(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            chunk = self.inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    assert extract_text(OneWay(documents.docx(PHRASE)), DOCX) == PHRASE


def test_the_text_kept_from_a_pdf_stops_at_the_cap():
    pages = [[f"Page {n} " + "word " * 200] for n in range(1, 6)]
    text = extract_text(documents.pdf(pages), PDF, max_chars=1500)
    assert len(text) <= 1500
    assert text.startswith("Page 1 word word")
    assert "Page 3" not in text


# --- DOCX ---


def test_a_phrase_inside_a_word_document_is_found_in_paragraph_order():
    text = extract_text(documents.docx("Introduction", PHRASE, "Close"), DOCX)
    assert text == f"Introduction\n{PHRASE}\nClose"


def test_word_runs_join_without_spaces_and_tabs_and_breaks_separate():
    body = (
        "<w:p><w:r><w:t>facili</w:t></w:r><w:r><w:t>tator</w:t></w:r>"
        "<w:r><w:tab/><w:t>guide</w:t><w:br/><w:t>second line</w:t></w:r></w:p>"
    )
    assert extract_text(documents.docx(body=body), DOCX) == "facilitator guide\nsecond line"


def test_word_deletions_field_codes_and_fallback_copies_are_not_text():
    body = (
        "<w:p><w:r><w:t>kept</w:t></w:r>"
        "<w:del><w:r><w:delText>deleted words</w:delText></w:r></w:del>"
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r></w:p>'
        "<w:p><mc:AlternateContent><mc:Choice Requires='wps'><w:r><w:t>in a text box</w:t></w:r>"
        "</mc:Choice><mc:Fallback><w:r><w:t>in a text box</w:t></w:r></mc:Fallback>"
        "</mc:AlternateContent></w:p>"
    )
    text = extract_text(documents.docx(body=body), DOCX)
    assert text == "kept\nin a text box"


def test_word_footnotes_follow_the_body():
    data = documents.docx("Body text", footnotes=["Source: the 2024 staff survey"])
    assert extract_text(data, DOCX) == "Body text\n\nSource: the 2024 staff survey"


def test_the_word_main_part_is_found_through_the_package_relationships():
    data = documents.docx(PHRASE, document_name="word/document2.xml")
    assert extract_text(data, DOCX) == PHRASE


def test_word_tables_give_one_line_a_cell():
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    body = f"<w:tbl><w:tr>{cell.format('Name')}{cell.format('Role')}</w:tr></w:tbl>"
    assert extract_text(documents.docx(body=body), DOCX) == "Name\nRole"


# --- PPTX ---


def test_slides_are_read_in_the_order_the_presentation_shows_each_with_its_notes():
    data = documents.pptx(
        [(["Third shown"], None), (["First shown", PHRASE], ["Say hello"]), (["Second"], None)],
        order=[2, 3, 1],
    )
    text = extract_text(data, PPTX)
    assert text == f"First shown\n{PHRASE}\n\nSay hello\n\nSecond\n\nThird shown"


def test_the_slide_number_on_a_notes_page_is_not_text():
    data = documents.pptx([(["Only slide"], ["Notes only"])])
    assert extract_text(data, PPTX) == "Only slide\n\nNotes only"


def test_without_a_slide_list_slides_go_in_file_number_order():
    slides = [([f"Slide {n}"], None) for n in range(1, 12)]
    text = extract_text(documents.pptx(slides, with_presentation=False), PPTX)
    assert in_order(text, "Slide 1\n", "Slide 2\n", "Slide 9\n", "Slide 10\n", "Slide 11")


def test_a_slide_file_number_too_long_for_an_integer_is_still_ordered():
    slide = documents.pptx([(["Slide"], None)])
    huge = "9" * 5000
    with zipfile.ZipFile(io.BytesIO(slide)) as archive:
        xml = archive.read("ppt/slides/slide1.xml")
    data = documents.zip_package(
        {"ppt/slides/slide2.xml": xml.replace(b"Slide", b"Two"), f"ppt/slides/slide{huge}.xml": xml}
    )
    assert extract_text(data, PPTX) == "Two\n\nSlide"


def test_slide_line_breaks_and_fallback_copies():
    fallback = (
        "<mc:AlternateContent xmlns:mc='http://schemas.openxmlformats.org/markup-compatibility/"
        "2006'><mc:Fallback><p:sp><p:txBody><a:p><a:r><a:t>twice</a:t></a:r></a:p></p:txBody>"
        "</p:sp></mc:Fallback></mc:AlternateContent>"
        "<p:sp><p:txBody><a:p><a:r><a:t>one</a:t></a:r><a:br/><a:r><a:t>two</a:t></a:r></a:p>"
        "</p:txBody></p:sp>"
    )
    data = documents.pptx([(["Title"], None)], extra_slide_xml=fallback)
    assert extract_text(data, PPTX) == "Title\none\ntwo"


# --- ODT and ODP ---


def test_a_phrase_inside_an_open_document_text_is_found_with_spans_spaces_tabs_and_breaks():
    body = (
        "<text:h>Session plan</text:h>"
        '<text:p>Restorative <text:span text:style-name="b">super</text:span>vision'
        '<text:s text:c="4"/>for<text:tab/>community<text:line-break/>nurses</text:p>'
    )
    text = extract_text(documents.odt("Welcome", body=body), ODT)
    assert text == "Welcome\nSession plan\nRestorative supervision for community\nnurses"


def test_open_document_deletions_annotations_and_note_marks_are_not_text():
    body = (
        "<text:tracked-changes><text:changed-region><text:deletion>"
        "<text:p>removed words</text:p>"
        "</text:deletion></text:changed-region></text:tracked-changes>"
        "<text:p>Kept<office:annotation><text:p>a reviewer's remark</text:p></office:annotation>"
        "<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p> and a note"
        "</text:p></text:note-body></text:note></text:p>"
    )
    assert extract_text(documents.odt(body=body), ODT) == "Kept and a note"


def test_an_open_document_presentation_reads_pages_in_order_with_notes():
    data = documents.odp([(["Opening", PHRASE], ["Speaker prompt"]), (["Closing"], None)])
    text = extract_text(data, ODP)
    assert text == f"Opening\n{PHRASE}\nSpeaker prompt\n\nClosing"


def test_a_password_protected_open_document_fails_cleanly():
    encrypted = (
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x">'
        '<manifest:algorithm manifest:algorithm-name="Blowfish CFB"/></manifest:encryption-data>'
    )
    data = documents.odt(PHRASE, manifest_extra=encrypted)
    assert failure(data, ODT) == (
        "The OpenDocument file is password-protected, so its text cannot be read."
    )


# --- Damaged and hostile packages ---


@pytest.mark.parametrize("content_type", [DOCX, PPTX, ODT, ODP])
def test_a_file_that_is_not_a_zip_package_fails_cleanly(content_type):
    for data in (b"", b"PK\x03\x04 truncated", documents.docx(PHRASE)[:200]):
        assert "is damaged: it is not a valid package." in failure(data, content_type)


def test_a_password_protected_office_file_fails_cleanly():
    data = extraction.OLE_SIGNATURE + bytes(512)
    assert failure(data, DOCX) == (
        "The Word document is password-protected or in an old binary format, "
        "so its text cannot be read."
    )
    assert "PowerPoint presentation is password-protected" in failure(data, PPTX)


def test_a_zip_encrypted_member_fails_cleanly():
    data = bytearray(documents.zip_package({"word/document.xml": b"\x00" * 40}))
    # zipfile cannot write an encrypted member: set the flag in its local and central headers.
    data[data.find(b"PK\x03\x04") + 6] |= 0x1
    data[data.find(b"PK\x01\x02") + 8] |= 0x1
    assert failure(bytes(data), DOCX) == (
        "The Word document is password-protected, so its text cannot be read."
    )


def test_a_package_without_its_document_part_fails_cleanly():
    data = documents.zip_package({"[Content_Types].xml": "<Types/>"})
    assert failure(data, DOCX) == "The Word document is damaged: it has no word/document.xml."
    assert failure(data, ODT) == "The OpenDocument file is damaged: it has no content.xml."


def test_a_huge_part_name_from_the_file_is_shortened_in_the_reason():
    name = "word/" + "x" * 5000 + ".xml"
    data = documents.zip_package(
        {"_rels/.rels": documents.relationships(("r1", "officeDocument", name))}
    )
    reason = failure(data, DOCX)
    assert reason.startswith("The Word document is damaged: it has no word/xxx")
    assert reason.endswith("…."), reason
    assert len(reason) < 120


def test_a_document_part_that_is_not_well_formed_fails_cleanly():
    data = documents.docx(body="<w:p><w:r><w:t>unclosed</w:r></w:p>")
    assert failure(data, DOCX) == (
        "The Word document is damaged: word/document.xml is not well-formed XML."
    )


def test_a_corrupted_compressed_member_fails_cleanly():
    data = bytearray(documents.odt(" ".join([PHRASE] * 200)))
    start = data.find(b"content.xml") + len("content.xml") + 20
    data[start : start + 40] = bytes(40)
    reason = failure(bytes(data), ODT)
    assert reason.startswith("The OpenDocument file is damaged")


def test_an_entity_expansion_bomb_is_refused_without_expanding():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<office:document-content xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'"
        " xmlns:text='urn:oasis:names:tc:opendocument:xmlns:text:1.0'><office:body>"
        "<office:text><text:p>&lol2;</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    data = documents.zip_package({"content.xml": bomb})
    assert failure(data, ODT) == (
        "The OpenDocument file's content.xml declares XML entities or a DTD, which are refused."
    )


def zip_bomb(name: str, head: bytes, filler_mb: int, tail: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_rels/.rels", documents.relationships(("r1", "officeDocument", name)))
        with archive.open(name, "w") as member:
            member.write(head)
            megabyte = b" " * (1024 * 1024)
            for _ in range(filler_mb):
                member.write(megabyte)
            member.write(tail)
    return buffer.getvalue()


def test_a_zip_bomb_document_part_is_refused_at_the_member_cap_not_read_to_the_end():
    head = f'<w:document xmlns:w="{documents.W_NS}"><w:body>'.encode()
    data = zip_bomb("word/document.xml", head, 200, b"</w:body></w:document>")
    assert len(data) < 1024 * 1024
    started = time.perf_counter()
    assert failure(data, DOCX) == (
        "The Word document's word/document.xml expands to more than 64 MB, so it was not read."
    )
    # Reading all 200 MB would take several times as long.
    assert time.perf_counter() - started < 10


def test_a_package_whose_parts_together_pass_the_cap_is_refused(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_PACKAGE_BYTES", 3 * 1024 * 1024)
    slides = [([f"Slide {n}"], None) for n in range(1, 6)]
    data = documents.pptx(slides, extra_slide_xml=" " * (1024 * 1024))
    reason = failure(data, PPTX)
    assert reason == "The PowerPoint presentation expands to more than 3 MB, so it was not read."


def test_text_reaching_the_cap_stops_reading_without_failing():
    head = f'<w:document xmlns:w="{documents.W_NS}"><w:body><w:p><w:r><w:t>'.encode()
    data = zip_bomb("word/document.xml", head.replace(b"<w:t>", b"<w:t>x"), 20, b"")
    text = extract_text(data, DOCX, max_chars=1000)
    assert text == "x"


def test_many_words_stop_at_the_cap():
    data = documents.docx(*(f"Paragraph {n} of the guide" for n in range(10_000)))
    text = extract_text(data, DOCX, max_chars=5_000)
    assert len(text) <= 5_000
    assert text.startswith("Paragraph 0 of the guide\nParagraph 1 of the guide")


# --- Plain text and CSV ---


def test_plain_text_in_utf_8_is_read_as_it_is():
    assert extract_text(f"{PHRASE}\r\nnext  line".encode(), TEXT) == f"{PHRASE}\nnext line"


def test_plain_text_with_a_byte_order_mark_is_read_in_its_encoding():
    assert extract_text("Café de Paris".encode("utf-16"), "text/plain") == "Café de Paris"
    assert extract_text(b"\xef\xbb\xbfCaf\xc3\xa9", TEXT) == "Café"


def test_plain_text_in_a_legacy_encoding_is_decoded_preferring_windows_1252():
    french = "Le café où l'équipe se réunit chaque matin pour préparer la séance."
    assert extract_text(french.encode("cp1252"), TEXT) == french
    polish = "Zażółć gęślą jaźń, mówię po polsku każdego dnia w pracy."
    assert extract_text(polish.encode("cp1250"), TEXT) == polish


def test_a_csv_file_is_read_as_text_and_a_content_type_may_carry_parameters():
    data = b"title,owner\nFacilitator guide,Riverside Trust\n"
    text = extract_text(data, "Text/CSV; charset=utf-8")
    assert text == "title,owner\nFacilitator guide,Riverside Trust"


def test_plain_text_stops_at_the_cap_without_splitting_a_character():
    text = extract_text(("é" * 100).encode(), TEXT, max_chars=10)
    assert text == "é" * 10


def test_types_without_text_are_refused_by_name():
    assert failure(b"\x89PNG", "image/png") == "Text is not read from files of type image/png."
    assert failure(b"", "") == "Text is not read from files of type unknown."


def test_can_extract_names_the_supported_types():
    for content_type in (PDF, DOCX, PPTX, ODT, ODP, TEXT, CSV, "application/PDF; x=y"):
        assert can_extract(content_type)
    for content_type in ("application/zip", "image/jpeg", "video/mp4", "text/html"):
        assert not can_extract(content_type)


# --- Normalising ---


def test_normalising_joins_ligatures_removes_soft_hyphens_and_collapses_spaces():
    raw = "  ﬁrst\u00a0\u00a0aid\t\tcer\u00adtiﬁcate \r\n\r\n\r\n\n next\x00line\u200b  "
    assert normalise_whitespace(raw) == "first aid certificate\n\nnext line"


@given(st.text())
def test_normalised_text_is_tidy_and_normalising_again_changes_nothing(raw):
    text = normalise_whitespace(raw)
    assert normalise_whitespace(text) == text
    assert "  " not in text
    assert "\n\n\n" not in text
    assert text == text.strip()
    assert all(line == line.strip(" ") for line in text.split("\n"))
    text.encode("utf-8")


@given(st.text(), st.integers(min_value=0, max_value=50))
def test_extracted_plain_text_never_passes_the_cap(raw, cap):
    data = raw.encode("utf-8")
    assert len(extract_text(data, TEXT, max_chars=cap)) <= cap


@given(st.binary(max_size=600))
def test_arbitrary_bytes_either_give_text_or_fail_cleanly(data):
    for content_type in (PDF, DOCX, PPTX, ODT):
        try:
            assert isinstance(extract_text(data, content_type), str)
        except ExtractionFailed as failed:
            assert failed.reason.endswith(".")


SAMPLES = {
    PDF: documents.pdf([[PHRASE], ["Second page"]]),
    DOCX: documents.docx(PHRASE, "Second paragraph", footnotes=["A note"]),
    PPTX: documents.pptx([([PHRASE], ["Notes"]), (["Second slide"], None)]),
    ODT: documents.odt(PHRASE, "Second paragraph"),
    ODP: documents.odp([([PHRASE], ["Notes"])]),
}


@given(
    content_type=st.sampled_from(list(SAMPLES)),
    damage=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
    cut=st.floats(0.05, 1),
)
def test_a_damaged_copy_of_a_real_file_gives_text_or_fails_cleanly(content_type, damage, cut):
    data = bytearray(SAMPLES[content_type])
    for where, value in damage:
        data[int(where * len(data))] = value
    try:
        assert isinstance(extract_text(bytes(data[: int(cut * len(data))]), content_type), str)
    except ExtractionFailed as failed:
        assert failed.reason.endswith(".")


# --- Files LibreOffice writes ---

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def convert(source, target_format: str, tmp_path) -> bytes:
    subprocess.run(  # noqa: S603 (LibreOffice converting a file the test wrote)
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            target_format,
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    (converted,) = (tmp_path / "out").iterdir()
    return converted.read_bytes()


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize(
    ("source_type", "target_format", "content_type"),
    [
        ("odt", "docx", DOCX),
        ("odt", "odt", ODT),
        ("odt", "pdf", PDF),
        ("odp", "pptx", PPTX),
        ("odp", "odp", ODP),
    ],
)
def test_files_libreoffice_writes_are_read(source_type, target_format, content_type, tmp_path):
    if source_type == "odt":
        data = documents.odt("Opening words", PHRASE, "Closing words")
    else:
        data = documents.odp([(["Opening words", PHRASE], ["Speaker prompt"]), (["Closing"], None)])
    source = tmp_path / f"source.{source_type}"
    source.write_bytes(data)
    text = extract_text(convert(source, target_format, tmp_path), content_type)
    assert in_order(text, "Opening words", PHRASE)
    if content_type == PPTX:
        assert "Speaker prompt" in text
