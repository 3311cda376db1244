"""A certificate of completion as a PDF: who, what, which host, hours, when, a reference."""

from __future__ import annotations

import unicodedata

from fpdf import FPDF

from .models import Booking


def reference(booking: Booking) -> str:
    """A reference that finds the booking again: run and booking numbers."""
    return f"JU-{booking.run_id}-{booking.pk}"


def _dates(booking: Booking) -> str:
    days = sorted(session.date for session in booking.run.sessions.all())
    if days:
        first, last = days[0], days[-1]
        if first == last:
            return f"{first:%-d %B %Y}"
        return f"{first:%-d %B %Y} to {last:%-d %B %Y}"
    done = booking.outcome_recorded_at or booking.completion_reported_at
    return f"Completed {done:%-d %B %Y}" if done else ""


# Letters and punctuation that do not decompose into Latin-1 but have a close likeness in it.
LIKENESSES = str.maketrans(
    {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "Œ": "OE", "œ": "oe",
     "‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."}
)  # fmt: skip


def _near(character: str) -> str:
    if ord(character) < 256:
        return character
    plain = unicodedata.normalize("NFKD", character.translate(LIKENESSES))
    bare = "".join(c for c in plain if not unicodedata.combining(c))
    return bare if bare and all(ord(c) < 256 for c in bare) else "?"


def _latin(text: str) -> str:
    """The PDF's core font speaks Latin-1: other letters are written as near as it allows."""
    return "".join(_near(character) for character in text)


def certificate_pdf(booking: Booking) -> bytes:
    """The completer's certificate, uncompressed so its words can be found in the file."""
    run = booking.run
    programme = run.programme
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_compression(False)
    pdf.set_title(_latin(f"Certificate of completion: {programme.title}"))
    pdf.set_author(_latin(programme.host.name))
    pdf.add_page()
    pdf.set_margins(25, 25, 25)
    pdf.set_y(35)
    lines = [
        ("Helvetica", "", 16, "Certificate of completion"),
        ("Helvetica", "", 13, "This is to certify that"),
        ("Helvetica", "B", 26, booking.person.full_name),
        ("Helvetica", "", 13, "has completed"),
        ("Helvetica", "B", 20, programme.title),
        ("Helvetica", "", 13, f"hosted by {programme.host.name}"),
        ("Helvetica", "", 13, f"{programme.hours.normalize():f} hours of learning"),
        ("Helvetica", "", 13, _dates(booking)),
    ]
    for family, style, size, text in lines:
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, size * 0.6, _latin(text), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    pdf.set_y(-40)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, f"Reference {reference(booking)}", align="C")
    return bytes(pdf.output())
