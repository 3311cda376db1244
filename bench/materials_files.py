"""Material files for the upload and text extraction throughput benchmark (issue 5).

`write_guide_pdf(path)` writes a facilitator guide of about 20 MB: many pages of text (headings and
paragraphs from a learning-and-development vocabulary, as a long guide has) and a few full-width
images, which are most of the size, as in a real guide with photographs. The images are noise, so
they do not compress and the size can be aimed at; the text is the part extraction has to read. A
phrase near the start and one on the last text page let a benchmark check it read the whole file.
Everything is drawn from a seeded generator, so the same arguments give the same file.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from PIL import Image

FIRST_PHRASE = "Facilitator guide for restorative supervision"
LAST_PHRASE = "End of the facilitator guide: thank you for taking part"

VOCABULARY = (
    "learning session facilitator participants supervision practice reflection team care "
    "community nurse social worker wellbeing handover safeguarding partnership training outcome "
    "evaluation feedback leadership coaching mentoring apprenticeship competence evidence skills "
    "workforce patient resident family carer service quality improvement discussion activity "
    "scenario case study toolkit template workbook handout group pairs minutes break objectives "
    "the a of and to in for with on by as at from each every their our this that which will may"
)
WORDS = tuple(VOCABULARY.split())

# Bytes of a page image per pixel: RGB noise is stored as it is.
BYTES_PER_PIXEL = 3
# A4 in millimetres, 10-point Helvetica: about 100 characters to a line of 180 mm.
LEFT_MM = 15
BOTTOM_MM = 270
LINE_MM = 5
LINE_CHARS = 100
MIN_IMAGE_SIDE = 8


@dataclass(frozen=True)
class GuidePdf:
    """What was written: where, how big, and how many pages and images."""

    path: Path
    size: int
    text_pages: int
    images: int


def write_guide_pdf(
    path: Path | str,
    *,
    target_bytes: int = 20_000_000,
    text_pages: int = 400,
    images: int = 6,
    seed: int = 0,
) -> GuidePdf:
    """Write a guide of `text_pages` pages of text and `images` image pages, the images sized so
    that the file is about `target_bytes` (the text alone when it is already that big)."""
    path = Path(path)
    text_only = len(_guide(text_pages, 0, 0, seed))
    pixels = max(0, target_bytes - text_only) // BYTES_PER_PIXEL // max(images, 1)
    side = int(pixels**0.5)
    images = images if side >= MIN_IMAGE_SIDE else 0
    data = _guide(text_pages, images, side, seed)
    path.write_bytes(data)
    return GuidePdf(path=path, size=len(data), text_pages=text_pages, images=images)


def _guide(text_pages: int, images: int, side: int, seed: int) -> bytes:
    # Images draw from their own generator, so the text is the same with or without them.
    rng = random.Random(seed)
    image_rng = random.Random(seed + 1)
    pdf = FPDF()
    pdf.set_auto_page_break(auto=False)
    image_every = text_pages // images + 1 if images else 0
    figure = 0
    for page in range(1, text_pages + 1):
        _text_page(pdf, rng, page, last=page == text_pages)
        if image_every and page % image_every == 0 and figure < images:
            figure += 1
            _image_page(pdf, image_rng, figure, side)
    while figure < images:
        figure += 1
        _image_page(pdf, image_rng, figure, side)
    return bytes(pdf.output())


def _text_page(pdf: FPDF, rng: random.Random, page: int, *, last: bool) -> None:
    # Lines wrapped here and placed with text(): fpdf2's own line breaking takes ~50 ms a page.
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=14)
    heading = FIRST_PHRASE if page == 1 else f"Session {page}: {_sentence(rng, 4)}"
    pdf.text(LEFT_MM, 20, heading)
    pdf.set_font("Helvetica", size=10)
    y = 32.0
    while y < BOTTOM_MM:
        for line in textwrap.wrap(_paragraph(rng), LINE_CHARS):
            pdf.text(LEFT_MM, y, line)
            y += LINE_MM
        y += LINE_MM / 2
    if last:
        pdf.text(LEFT_MM, y + LINE_MM, LAST_PHRASE)


def _image_page(pdf: FPDF, rng: random.Random, figure: int, side: int) -> None:
    pdf.add_page()
    noise = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * BYTES_PER_PIXEL))
    pdf.image(noise, x=20, y=20, w=170, h=170)
    pdf.set_y(195)
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5, f"Figure {figure}: a group activity", new_x="LMARGIN", new_y="NEXT")


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 18)) + "." for _ in range(rng.randint(3, 6)))
