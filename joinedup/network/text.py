"""The safe text format of posts: a small Markdown subset, rendered and then sanitised.

What people may write: paragraphs and line breaks, *emphasis* and **strong**, links (written
`[words](https://...)` or `<https://...>`), bulleted and numbered lists, > quotes, `code` and
fenced code blocks. Nothing else is Markdown here (no headings, images, tables or raw HTML):
anything else is shown as the characters typed.

Two layers keep a post harmless whatever it holds:
1. markdown-it renders with raw HTML off, so a typed `<script>` is text, and refuses links to
   `javascript:`, `vbscript:`, `file:` and `data:` addresses;
2. nh3 (the Ammonia sanitiser) then keeps only the tags and attributes above, links only to
   http, https and mailto addresses, each with rel="nofollow noopener noreferrer".

Before either, `clean_typed` removes characters that have no place in a post: control
characters (but tab and new line), and the invisible bidirectional controls (right-to-left
overrides, embeddings and isolates) that can make text read differently from what it is.

No Django here: `posts.py` checks the length and stores what this returns.
"""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt

# C0 controls but tab and line feed, DEL and the C1 controls; carriage returns become line feeds
# first. The bidirectional formatting characters: LRE, RLE, PDF, LRO, RLO (U+202A-202E), LRI,
# RLI, FSI, PDI (U+2066-2069), and the marks LRM, RLM, ALM.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

_MARKDOWN = MarkdownIt("zero", {"html": False, "breaks": True, "linkify": False}).enable(
    [
        "newline",
        "emphasis",
        "link",
        "autolink",
        "list",
        "blockquote",
        "backticks",
        "fence",
        "code",
        "escape",
        "entity",
    ]
)

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre"}
# "*" empties the attributes allowed on every tag (Ammonia allows lang and title by default).
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"*": set(), "a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"


def clean_typed(text: str) -> str:
    """The text without carriage returns, control characters or bidirectional controls."""
    return _UNWANTED.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def render(text: str) -> str:
    """Sanitised HTML for a post written in the safe text format."""
    return nh3.clean(
        _MARKDOWN.render(clean_typed(text)),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """The post's words without markup, for e-mails and search snippets."""
    return html.unescape(nh3.clean(render(text), tags=set())).strip()
