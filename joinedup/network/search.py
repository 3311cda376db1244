"""Searching discussion posts within and across the spaces a person reads: one interface over
PostgreSQL full-text search and SQLite FTS5 (the index is made by migration 0002).

What is searched: the body of every post the person may see (`access.visible_posts`: posts of
the spaces they read; hidden ones only where they moderate), never a deleted one. The person's
words are read as the materials library reads them (`materials.search.parse_query`: "a phrase",
`or`, `-word`; every word and phrase quoted, so nothing they type is query syntax).

Which matches, in what order: newest first, as a discussion is read. Each page is the next
`PAGE_SIZE` matches by id (which follows time), found by the post's own columns alone (the words,
not deleted, space among those searched), so PostgreSQL walks the primary key backwards until
the page is full when the words are common, or reads the GIN index when they are rare, and SQLite
walks FTS5's rowids backwards: a search costs about the same in a small space and in a space of
100,000 posts, however many posts match. Only the page's posts are then checked through
`access.visible_posts`, so a hidden post (or a post of a hidden thread) leaves its place on the
page empty for people who do not moderate it, and pages never overlap. Ranking by relevance was
tried first: it has to read every match (or a window of hundreds of them) before the first page,
which made a common word in a large space twice as slow as in a small one. The pages offered end
after `MAX_PAGES`; nothing counts all the matches.

The snippet has the matched words between `MARK_START` and `MARK_END` (characters the person's
words never hold: `clean_text` removes them); `materials.search.snippet_html` escapes the text
for the page and then marks them. On PostgreSQL it is `ts_headline` over a window of the body
around the first word; on SQLite, FTS5's `snippet`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from joinedup.materials.search import (
    MARK_END,
    MARK_START,
    MAX_QUERY_CHARS,
    Alternative,
    Piece,
    clean_text,
    fts5_query,
    parse_query,
    pieces,
    snippet_html,
)
from joinedup.partnership.actor import Actor

from . import access
from .models import Post, Space

__all__ = ["MAX_QUERY_CHARS", "Hit", "ResultPage", "search_posts"]

PAGE_SIZE = 20
MAX_PAGES = 25
SUMMARY_WORDS = 40

HEADLINE_BEFORE = 200
HEADLINE_CHARS = 600
HEADLINE_SEEK_CHARS = 300_000
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15, ShortWord=3, "
    "MaxFragments=0"
)

_PG_QUERY = "websearch_to_tsquery('english'::regconfig, %s)"
# A page of the newest matches in the spaces searched, by the post's own columns only: conditions
# that join other tables here make PostgreSQL read and sort every match.
_PG_NEWEST = (
    "SELECT id FROM network_post WHERE search_vector @@ websearch_to_tsquery('english'::regconfig"
    ", %s) AND deleted_at IS NULL AND space_id = ANY(%s) ORDER BY id DESC LIMIT %s OFFSET %s"
)
_PG_BODY = '"network_post"."body"'
_PG_HEADLINE = (
    f"ts_headline('english'::regconfig, substr({_PG_BODY}, "
    f"greatest(strpos(lower(left({_PG_BODY}, {HEADLINE_SEEK_CHARS})), %s) - {HEADLINE_BEFORE}, 1)"
    f", {HEADLINE_CHARS}), {_PG_QUERY}, %s)"
)
_SQLITE_NEWEST = (
    "SELECT network_post_fts.rowid, snippet(network_post_fts, 0, %s, %s, '…', 30) "
    "FROM network_post_fts JOIN network_post ON network_post.id = network_post_fts.rowid "
    "WHERE network_post_fts MATCH %s AND network_post.deleted_at IS NULL "
    "AND network_post.space_id IN (SELECT value FROM json_each(%s)) "
    "ORDER BY network_post_fts.rowid DESC LIMIT %s OFFSET %s"
)


@dataclass(frozen=True)
class Hit:
    """A post found, with its thread, space and author loaded, and its snippet."""

    post: Post
    snippet: tuple[Piece, ...]

    @property
    def snippet_html(self) -> SafeString:
        return snippet_html(self.snippet)


@dataclass(frozen=True)
class ResultPage:
    hits: list[Hit]
    number: int
    has_next: bool
    # More matches exist past the last page offered: the person should narrow the search.
    capped: bool

    @property
    def first(self) -> int:
        """The position of the page's first result (1 for the first result of all)."""
        return (self.number - 1) * PAGE_SIZE + 1

    @property
    def last(self) -> int:
        return self.first + len(self.hits) - 1


def search_posts(
    actor: Actor, text: str, *, space: Space | None = None, page: int = 1
) -> ResultPage:
    """One page of the posts the actor may see matching `text` (in `space` only, when given: a
    space from `access.readable_spaces`), newest first."""
    page = min(max(page, 1), MAX_PAGES)
    alternatives = parse_query(clean_text(text))
    if not alternatives:
        return ResultPage(hits=[], number=page, has_next=False, capped=False)
    spaces = [space.pk] if space is not None else _readable_ids(actor)
    offset = (page - 1) * PAGE_SIZE
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_PG_NEWEST, [clean_text(text), spaces, PAGE_SIZE + 1, offset])
            rows = [(pk, "") for (pk,) in cursor.fetchall()]
        headline = RawSQL(  # noqa: S611
            _PG_HEADLINE,
            [_first_word(alternatives), clean_text(text), HEADLINE_OPTIONS],
            output_field=TextField(),
        )
        shown = access.visible_posts(actor).annotate(snippet=headline)
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                _SQLITE_NEWEST,
                [
                    MARK_START,
                    MARK_END,
                    fts5_query(alternatives),
                    json.dumps(spaces),
                    PAGE_SIZE + 1,
                    offset,
                ],
            )
            rows = cursor.fetchall()
        shown = access.visible_posts(actor)
    found = _posts(shown, [pk for pk, _snippet in rows[:PAGE_SIZE]])
    hits = [
        Hit(found[pk], _snippet(found[pk], getattr(found[pk], "snippet", None) or marked))
        for pk, marked in rows[:PAGE_SIZE]
        if pk in found
    ]
    return _finish(hits, page, more=len(rows) > PAGE_SIZE)


def _readable_ids(actor: Actor) -> list[int]:
    return list(access.readable_spaces(actor).values_list("pk", flat=True))


def _posts(posts: QuerySet[Post], pks: list[int]) -> dict[int, Post]:
    """The page's posts with what a result shows of them, in one query."""
    if not pks:
        return {}
    shown = posts.select_related("thread", "space", "author", "author_organisation")
    return shown.defer("body_html").in_bulk(pks)


def _snippet(post: Post, marked: str) -> tuple[Piece, ...]:
    """The marked snippet, or the start of the post when the database made none."""
    found = pieces(marked)
    if found:
        return found
    start = Truncator(" ".join(post.body.split())).words(SUMMARY_WORDS)
    return (Piece(start),) if start else ()


def _first_word(alternatives: list[Alternative]) -> str:
    """The first word the person typed that must match, in lower case, to find a snippet by."""
    term = next(term for term in alternatives[0] if not term.excluded)
    return re.findall(r"[^\W_]+", term.text)[0].lower()


def _finish(hits: list[Hit], page: int, *, more: bool) -> ResultPage:
    return ResultPage(
        hits=hits,
        number=page,
        has_next=more and page < MAX_PAGES,
        capped=more and page == MAX_PAGES,
    )
