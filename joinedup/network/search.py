"""Searching discussion posts within and across the spaces a person reads: one interface over
PostgreSQL full-text search and SQLite FTS5 (the index is made by migration 0002).

What is searched: the body of every post the person may see (`access.visible_posts`: posts of
the spaces they read; hidden ones only where they moderate), never a deleted one. The person's
words are read as the materials library reads them (`materials.search.parse_query`: "a phrase",
`or`, `-word`; every word and phrase quoted, so nothing they type is query syntax).

Which matches, in what order: the `WINDOW` newest matching posts (by id, which follows time) of
the spaces searched, less any the person may not see (hidden ones), best match first among them
(`ts_rank` on PostgreSQL, `bm25` on SQLite). Ranking every match of a common word in a space of
100,000 posts would cost as much as it has matches; on PostgreSQL the newest matches are found
by the post's own columns alone (words, not deleted, space among those searched), so the primary
key is walked backwards until the window is full (or the GIN index read, when the words are
rare), and only then checked through `access.visible_posts` and ranked: a search costs about the
same in a small space and a large one. The pages offered end with the window (`MAX_PAGES` of
`PAGE_SIZE`); nothing counts all the matches.

The snippet has the matched words between `MARK_START` and `MARK_END` (characters the person's
words never hold: `clean_text` removes them); the page escapes the text and then marks them.
On PostgreSQL it is `ts_headline` over a window of the body around the first word; on SQLite,
FTS5's `snippet`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet, TextField
from django.db.models.expressions import RawSQL
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
)
from joinedup.partnership.actor import Actor

from . import access
from .models import Post, Space

__all__ = ["MAX_QUERY_CHARS", "Hit", "ResultPage", "search_posts"]

PAGE_SIZE = 20
MAX_PAGES = 25
# The newest matches ranked: every page offered, and one more to know that more matches exist.
WINDOW = PAGE_SIZE * MAX_PAGES + 1
SUMMARY_WORDS = 40

HEADLINE_BEFORE = 200
HEADLINE_CHARS = 600
HEADLINE_SEEK_CHARS = 300_000
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15, ShortWord=3, "
    "MaxFragments=0"
)

_PG_QUERY = "websearch_to_tsquery('english'::regconfig, %s)"
# The newest matches in the spaces searched, by the post's own columns only, so PostgreSQL walks
# the primary key backwards and stops at WINDOW (or takes the matches from the GIN index, when the
# words are rare). Conditions that join other tables here make it rank or sort every match.
_PG_NEWEST = (
    "SELECT id FROM network_post WHERE search_vector @@ websearch_to_tsquery('english'::regconfig"
    ", %s) AND deleted_at IS NULL AND space_id = ANY(%s) ORDER BY id DESC LIMIT %s"
)
# {allowed} is Django's SQL for the visible posts among those matches (id and vector).
_PG_RANKED = (
    'SELECT "pk", ts_rank("vector", websearch_to_tsquery(\'english\'::regconfig, %s)) AS '
    '"score" FROM ({allowed}) AS "allowed" ORDER BY "score" DESC, "pk" DESC LIMIT %s OFFSET %s'
)
_PG_BODY = '"network_post"."body"'
_PG_HEADLINE = (
    f"ts_headline('english'::regconfig, substr({_PG_BODY}, "
    f"greatest(strpos(lower(left({_PG_BODY}, {HEADLINE_SEEK_CHARS})), %s) - {HEADLINE_BEFORE}, 1)"
    f", {HEADLINE_CHARS}), {_PG_QUERY}, %s)"
)
# {allowed} is Django's SQL for the visible posts, checked against each match by its id.
_SQLITE_RANKED = (
    "SELECT rowid, -bm25(network_post_fts) AS score, "
    "snippet(network_post_fts, 0, %s, %s, '…', 30) FROM network_post_fts "
    "WHERE network_post_fts MATCH %s AND rowid IN ("
    "SELECT rowid FROM network_post_fts WHERE network_post_fts MATCH %s AND EXISTS ({allowed}) "
    "ORDER BY rowid DESC LIMIT %s) "
    "ORDER BY score DESC, rowid DESC LIMIT %s OFFSET %s"
)


@dataclass(frozen=True)
class Hit:
    """A post found, with its thread, space and author loaded, and its snippet."""

    post: Post
    rank: float
    snippet: tuple[Piece, ...]


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
    space from `access.readable_spaces`), best match first among the newest matches."""
    page = min(max(page, 1), MAX_PAGES)
    alternatives = parse_query(clean_text(text))
    if not alternatives:
        return ResultPage(hits=[], number=page, has_next=False, capped=False)
    posts = access.visible_posts(actor).filter(deleted_at__isnull=True)
    if space is not None:
        posts = posts.filter(space=space)
    offset = (page - 1) * PAGE_SIZE
    if connection.vendor == "postgresql":
        spaces = [space.pk] if space is not None else _readable_ids(actor)
        return _postgresql_page(posts, spaces, clean_text(text), alternatives, page, offset)
    return _sqlite_page(posts, fts5_query(alternatives), page, offset)


def _readable_ids(actor: Actor) -> list[int]:
    return list(access.readable_spaces(actor).values_list("pk", flat=True))


def _postgresql_page(
    posts: QuerySet[Post],
    spaces: list[int],
    text: str,
    alternatives: list[Alternative],
    page: int,
    offset: int,
) -> ResultPage:
    """The newest matches in the spaces (one query), the visible ones among them ranked (one
    more), then the page's posts with their snippets. The matches' ids are handed back as
    constants: as a subquery, PostgreSQL checked visibility on every post to join them."""
    # The SQL is made of constants; the person's words are always parameters.
    with connection.cursor() as cursor:
        cursor.execute(_PG_NEWEST, [text, spaces, WINDOW])
        newest = [pk for (pk,) in cursor.fetchall()]
    if not newest:
        return _finish([], page, more=False)
    vector = RawSQL('"network_post"."search_vector"', ())  # noqa: S611
    allowed = posts.filter(pk__in=newest).annotate(vector=vector).order_by()
    allowed_sql, allowed_params = allowed.values("pk", "vector").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            _PG_RANKED.format(allowed=allowed_sql),
            [text, *allowed_params, PAGE_SIZE + 1, offset],
        )
        rows = cursor.fetchall()
    headline = RawSQL(  # noqa: S611
        _PG_HEADLINE, [_first_word(alternatives), text, HEADLINE_OPTIONS], output_field=TextField()
    )
    found = _posts(Post.objects.annotate(snippet=headline), [pk for pk, _score in rows])
    hits = [
        Hit(found[pk], score, _snippet(found[pk], found[pk].snippet))
        for pk, score in rows[:PAGE_SIZE]
        if pk in found
    ]
    return _finish(hits, page, more=len(rows) > PAGE_SIZE)


def _sqlite_page(posts: QuerySet[Post], match: str, page: int, offset: int) -> ResultPage:
    """The newest matches ranked by FTS5 with their snippets, then the page's posts."""
    allowed = posts.filter(pk=RawSQL("network_post_fts.rowid", ())).order_by()  # noqa: S611
    allowed_sql, allowed_params = allowed.values("pk").query.sql_with_params()
    params = [MARK_START, MARK_END, match, match, *allowed_params, WINDOW, PAGE_SIZE + 1, offset]
    with connection.cursor() as cursor:
        cursor.execute(_SQLITE_RANKED.format(allowed=allowed_sql), params)
        rows = cursor.fetchall()
    found = _posts(Post.objects.all(), [pk for pk, _score, _snippet in rows])
    hits = [
        Hit(found[pk], score, _snippet(found[pk], snippet or ""))
        for pk, score, snippet in rows[:PAGE_SIZE]
        if pk in found
    ]
    return _finish(hits, page, more=len(rows) > PAGE_SIZE)


def _posts(posts: QuerySet[Post], pks: list[int]) -> dict[int, Post]:
    """The page's posts with what a result shows of them, in one query."""
    if not pks:
        return {}
    shown = posts.select_related("thread", "space", "author", "author_organisation")
    return shown.defer("body_html").in_bulk(pks[:PAGE_SIZE])


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
