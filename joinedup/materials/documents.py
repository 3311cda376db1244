"""Small documents of each type text is read from, built in memory: minimal valid DOCX, PPTX,
ODT and ODP packages, and PDFs written with fpdf2. The demo's materials are made with them, and
the tests build ordinary, damaged and hostile files from them."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from fpdf import FPDF

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
OOXML = "application/vnd.openxmlformats-officedocument."
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'office:version="1.3"'
)


def zip_package(parts: dict[str, str | bytes], *, first: tuple[str, bytes] | None = None) -> bytes:
    """A zip of these parts; `first` is stored uncompressed ahead of them (ODF's mimetype)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:
            archive.writestr(first[0], first[1], compress_type=zipfile.ZIP_STORED)
        for name, content in parts.items():
            archive.writestr(name, content.encode() if isinstance(content, str) else content)
    return buffer.getvalue()


def relationships(*rels: tuple[str, str, str]) -> str:
    """A relationships part of (id, type's last word, target)."""
    items = "".join(
        f'<Relationship Id="{rid}" Type="{REL_TYPE}{kind}" Target="{target}"/>'
        for rid, kind, target in rels
    )
    return f'{XML_HEAD}<Relationships xmlns="{RELS_NS}">{items}</Relationships>'


def content_types(overrides: dict[str, str]) -> str:
    items = "".join(
        f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in overrides.items()
    )
    return (
        f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{items}</Types>'
    )


def word_paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def docx(
    *paragraphs: str,
    body: str = "",
    footnotes: list[str] | None = None,
    document_name: str = "word/document.xml",
) -> bytes:
    """A Word document of these paragraphs, then `body` (raw WordprocessingML) if given."""
    xml = "".join(word_paragraph(text) for text in paragraphs) + body
    document = (
        f'{XML_HEAD}<w:document xmlns:w="{W_NS}" xmlns:mc="{MC_NS}">'
        f"<w:body>{xml}</w:body></w:document>"
    )
    folder, base = document_name.rsplit("/", 1)
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": content_types(
            {document_name: OOXML + "wordprocessingml.document.main+xml"}
        ),
        "_rels/.rels": relationships(("rId1", "officeDocument", document_name)),
        document_name: document,
    }
    if footnotes is not None:
        notes = "".join(
            f'<w:footnote w:id="{number}">{word_paragraph(text)}</w:footnote>'
            for number, text in enumerate(footnotes, start=1)
        )
        parts[f"{folder}/footnotes.xml"] = (
            f'{XML_HEAD}<w:footnotes xmlns:w="{W_NS}">{notes}</w:footnotes>'
        )
        parts[f"{folder}/_rels/{base}.rels"] = relationships(("rId9", "footnotes", "footnotes.xml"))
    return zip_package(parts)


def drawing_text(paragraphs: list[str]) -> str:
    body = "".join(f"<a:p><a:r><a:t>{escape(text)}</a:t></a:r></a:p>" for text in paragraphs)
    return f"<p:sp><p:txBody>{body}</p:txBody></p:sp>"


def pptx(
    slides: list[tuple[list[str], list[str] | None]],
    *,
    order: list[int] | None = None,
    with_presentation: bool = True,
    extra_slide_xml: str = "",
) -> bytes:
    """A presentation: slide N (from 1) is ppt/slides/slideN.xml with its paragraphs and, when
    given, speaker notes; `order` lists the slide numbers in the order presentation.xml shows."""
    names = {f'xmlns:{k}="{v}"' for k, v in (("a", A_NS), ("p", P_NS), ("r", R_NS))}
    xmlns = " ".join(sorted(names))
    parts: dict[str, str | bytes] = {}
    overrides = {"ppt/presentation.xml": OOXML + "presentationml.presentation.main+xml"}
    for number, (paragraphs, notes) in enumerate(slides, start=1):
        slide = f"ppt/slides/slide{number}.xml"
        parts[slide] = (
            f"{XML_HEAD}<p:sld {xmlns}><p:cSld><p:spTree>{drawing_text(paragraphs)}"
            f"{extra_slide_xml}</p:spTree></p:cSld></p:sld>"
        )
        overrides[slide] = OOXML + "presentationml.slide+xml"
        if notes is not None:
            notes_part = f"ppt/notesSlides/notesSlide{number}.xml"
            slide_number = (
                '<p:sp><p:txBody><a:p><a:fld type="slidenum"><a:t>'
                f"{number}</a:t></a:fld></a:p></p:txBody></p:sp>"
            )
            parts[notes_part] = (
                f"{XML_HEAD}<p:notes {xmlns}><p:cSld><p:spTree>{drawing_text(notes)}"
                f"{slide_number}</p:spTree></p:cSld></p:notes>"
            )
            parts[f"ppt/slides/_rels/slide{number}.xml.rels"] = relationships(
                ("rId2", "notesSlide", f"../notesSlides/notesSlide{number}.xml")
            )
            overrides[notes_part] = OOXML + "presentationml.notesSlide+xml"
    shown = order or list(range(1, len(slides) + 1))
    if with_presentation:
        ids = "".join(f'<p:sldId id="{255 + n}" r:id="rId{n + 10}"/>' for n in shown)
        parts["ppt/presentation.xml"] = (
            f"{XML_HEAD}<p:presentation {xmlns}><p:sldIdLst>{ids}</p:sldIdLst></p:presentation>"
        )
        parts["ppt/_rels/presentation.xml.rels"] = relationships(
            *((f"rId{n + 10}", "slide", f"slides/slide{n}.xml") for n in shown)
        )
        parts["_rels/.rels"] = relationships(("rId1", "officeDocument", "ppt/presentation.xml"))
    parts["[Content_Types].xml"] = content_types(overrides)
    return zip_package(parts)


def open_document(mimetype: str, body: str, *, manifest_extra: str = "") -> bytes:
    """An OpenDocument package whose office:body holds `body`."""
    content = (
        f"{XML_HEAD}<office:document-content {ODF_NAMESPACES}>"
        f"<office:body>{body}</office:body></office:document-content>"
    )
    manifest = (
        f"{XML_HEAD}<manifest:manifest "
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        f"{manifest_extra}</manifest:file-entry></manifest:manifest>"
    )
    return zip_package(
        {"content.xml": content, "META-INF/manifest.xml": manifest},
        first=("mimetype", mimetype.encode()),
    )


def odt(*paragraphs: str, body: str = "", **options: str) -> bytes:
    """An OpenDocument text of these paragraphs, then `body` (raw ODF text markup) if given."""
    xml = "".join(f"<text:p>{escape(text)}</text:p>" for text in paragraphs) + body
    return open_document(
        "application/vnd.oasis.opendocument.text", f"<office:text>{xml}</office:text>", **options
    )


def odp(pages: list[tuple[list[str], list[str] | None]]) -> bytes:
    """An OpenDocument presentation: each page's text boxes' paragraphs, then its notes."""

    def box(paragraphs: list[str]) -> str:
        text = "".join(f"<text:p>{escape(p)}</text:p>" for p in paragraphs)
        return f"<draw:frame><draw:text-box>{text}</draw:text-box></draw:frame>"

    xml = "".join(
        f'<draw:page draw:name="page{n}">{box(paragraphs)}'
        + (f"<presentation:notes>{box(notes)}</presentation:notes>" if notes else "")
        + "</draw:page>"
        for n, (paragraphs, notes) in enumerate(pages, start=1)
    )
    return open_document(
        "application/vnd.oasis.opendocument.presentation",
        f"<office:presentation>{xml}</office:presentation>",
    )


def pdf(pages: list[list[str]], *, user_password: str | None = None, owner: str = "") -> bytes:
    """A PDF of these pages of paragraphs; encrypted (RC4) when a password is given."""
    document = FPDF()
    document.set_font("Helvetica", size=11)
    for paragraphs in pages:
        document.add_page()
        for paragraph in paragraphs:
            document.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
    if user_password is not None or owner:
        document.set_encryption(owner_password=owner or "owner", user_password=user_password)
    return bytes(document.output())
