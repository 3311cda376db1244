"""A commitment statement version as a file: a PDF (fpdf2) and a standalone HTML page, each with
the version, its content as signed and every signature with its time."""

from __future__ import annotations

import unicodedata

from django.template.loader import render_to_string
from django.utils import timezone
from fpdf import FPDF

from joinedup.learning.certificates import LIKENESSES

from .models import SIGNING_ORDER, CommitmentStatement, Party, Signature

PARTY_LABELS = dict(Party.choices)


def file_name(statement: CommitmentStatement, extension: str) -> str:
    """For example commitment-statement-APP-000001-v2.pdf (a reference is letters, digits, -)."""
    reference = "".join(
        c if c.isalnum() or c == "-" else "-" for c in statement.enrolment.reference
    )
    return f"commitment-statement-{reference}-v{statement.version}.{extension}"


def signature_rows(
    statement: CommitmentStatement, signed: dict[str, Signature]
) -> list[dict[str, object]]:
    """One row per party in signing order: who signed and when (Europe/London), or not yet."""
    rows = []
    for party in SIGNING_ORDER:
        signature = signed.get(party)
        rows.append(
            {
                "party": party,
                "label": PARTY_LABELS[party],
                "signature": signature,
                "text": (
                    f"Signed by {signature.person.full_name} on "
                    f"{timezone.localtime(signature.signed_at):%-d %B %Y at %H:%M}"
                    if signature
                    else "Not signed yet"
                ),
            }
        )
    return rows


def status_text(statement: CommitmentStatement) -> str:
    if statement.fully_signed_at:
        return f"Fully signed on {timezone.localtime(statement.fully_signed_at):%-d %B %Y at %H:%M}"
    return "Awaiting signatures"


def statement_html(statement: CommitmentStatement, signed: dict[str, Signature]) -> str:
    """The version as one HTML page with its own styles, readable offline."""
    return render_to_string(
        "apprenticeships/statements/download.html",
        {
            "statement": statement,
            "content": statement.content,
            "signature_rows": signature_rows(statement, signed),
            "status": status_text(statement),
        },
    )


def _near(character: str) -> str:
    if ord(character) < 256:
        return character
    plain = unicodedata.normalize("NFKD", character.translate(LIKENESSES))
    bare = "".join(c for c in plain if not unicodedata.combining(c))
    return bare if bare and all(ord(c) < 256 for c in bare) else "?"


def _latin(text: object) -> str:
    """The PDF's core font speaks Latin-1: other letters are written as near as it allows."""
    return "".join(_near(character) for character in str(text))


class _Writer:
    """Headings, label-and-value lines and paragraphs down an A4 page."""

    def __init__(self, title: str) -> None:
        self.pdf = FPDF(format="A4")
        self.pdf.set_compression(False)
        self.pdf.set_title(_latin(title))
        self.pdf.set_margins(20, 20, 20)
        self.pdf.set_auto_page_break(True, margin=20)
        self.pdf.add_page()

    def heading(self, text: str, size: int = 13) -> None:
        self.pdf.ln(3)
        self.pdf.set_font("Helvetica", "B", size)
        self.pdf.multi_cell(0, size * 0.5, _latin(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def line(self, label: str, value: str) -> None:
        self.pdf.set_font("Helvetica", "B", 10)
        self.pdf.multi_cell(55, 5, _latin(label), new_x="RIGHT", new_y="TOP")
        self.pdf.set_font("Helvetica", "", 10)
        self.pdf.multi_cell(0, 5, _latin(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def text(self, value: str, *, bullet: bool = False) -> None:
        self.pdf.set_font("Helvetica", "", 10)
        self.pdf.multi_cell(
            0, 5, _latin(("- " if bullet else "") + value), new_x="LMARGIN", new_y="NEXT"
        )


def statement_pdf(statement: CommitmentStatement, signed: dict[str, Signature]) -> bytes:
    """The version as a PDF, uncompressed so its words can be found in the file."""
    content = statement.content
    writer = _Writer(f"Commitment statement {content.get('reference', '')} v{statement.version}")
    writer.heading("Commitment statement and training plan", 16)
    writer.line("Reference", content.get("reference", statement.enrolment.reference))
    writer.line("Version", f"Version {statement.version}: {statement.reason}")
    writer.line("Made on", content.get("made_on", ""))
    writer.line("Status", status_text(statement))
    writer.heading("Signatures")
    for row in signature_rows(statement, signed):
        writer.line(str(row["label"]), str(row["text"]))
    writer.heading("The parties")
    for party in content.get("parties", []):
        writer.line(party["role"], party["name"])
    writer.heading("The apprenticeship")
    for row in content.get("apprenticeship", []):
        writer.line(row["label"], row["value"])
    writer.heading("Training plan")
    for module in content.get("training_plan", []):
        campus = f"; on campus from {module['campus_from']}" if module["campus_from"] else ""
        writer.line(
            f"Module {module['order']}",
            f"{module['title']} ({module['term']}): {module['online_weeks']} weeks online, then "
            f"{module['campus_days']} days on campus; starts {module['starts_on']}{campus}",
        )
        for assignment in module["assignments"]:
            writer.text(
                f"{assignment['title']} ({assignment['weighting']}%), due {assignment['due_on']}",
                bullet=True,
            )
        writer.pdf.ln(1)
    writer.heading("Responsibilities")
    for block in content.get("responsibilities", []):
        writer.pdf.set_font("Helvetica", "B", 10)
        writer.pdf.multi_cell(0, 5, _latin(block["party"]), new_x="LMARGIN", new_y="NEXT")
        for item in block["items"]:
            writer.text(item, bullet=True)
        writer.pdf.ln(1)
    return bytes(writer.pdf.output())
