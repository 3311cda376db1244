"""bench/materials_files.py: the guide PDF for the extraction throughput benchmark, made small."""

from __future__ import annotations

from pypdf import PdfReader

from bench.materials_files import FIRST_PHRASE, LAST_PHRASE, write_guide_pdf
from joinedup.materials.extraction import PDF, extract_text


def test_the_guide_is_about_the_size_asked_with_its_text_and_image_pages(tmp_path):
    guide = write_guide_pdf(tmp_path / "guide.pdf", target_bytes=600_000, text_pages=4, images=2)
    assert guide.path.stat().st_size == guide.size
    assert 0.95 * 600_000 <= guide.size <= 1.05 * 600_000
    reader = PdfReader(guide.path)
    assert len(reader.pages) == 6
    assert sum(bool(page.images) for page in reader.pages) == 2


def test_extraction_reads_the_guide_from_its_first_phrase_to_its_last(tmp_path):
    guide = write_guide_pdf(tmp_path / "guide.pdf", target_bytes=300_000, text_pages=3, images=1)
    text = extract_text(guide.path, PDF)
    assert text.startswith(FIRST_PHRASE)
    assert text.endswith(f"{LAST_PHRASE}\n\nFigure 1: a group activity")
    assert len(text.split()) > 3 * 400


def test_the_same_arguments_write_the_same_text(tmp_path):
    first = write_guide_pdf(tmp_path / "a.pdf", target_bytes=100_000, text_pages=2, images=1)
    second = write_guide_pdf(tmp_path / "b.pdf", target_bytes=100_000, text_pages=2, images=1)
    assert extract_text(first.path, PDF) == extract_text(second.path, PDF)
    assert first.size == second.size


def test_a_target_smaller_than_the_text_gives_the_text_alone(tmp_path):
    guide = write_guide_pdf(tmp_path / "guide.pdf", target_bytes=1_000, text_pages=2, images=3)
    assert len(PdfReader(guide.path).pages) == 2
    assert guide.images == 0
