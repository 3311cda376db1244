"""Searching the materials library: one interface over PostgreSQL full-text search and SQLite FTS5.

What is searched: a material's title, and its search document (summary, topic names and the
current version's extracted text, kept by the services). Matches in the title rank above
matches in the document. The index is made by migration 0002:

- PostgreSQL: a stored generated tsvector column `search_vector` (title weight A, document B;
  the document cut at 300,000 characters, under the 1 MB a tsvector may hold) with a GIN index
  over kind, licence, the topic ids the database keeps on each material (`topic_ids`, migration
  0004) and the words, so the filters and the words are all taken from the index. The person's
  words are read by `websearch_to_tsquery` ("a phrase", `or`, `-word`) and matched against the
  whole text; the matches are ranked with `ts_rank` over `rank_vector`, a small vector kept in
  the row: the title (A) and the document's first 500 characters (B: the summary, the topic names
  and the start of the file's text). Ranking the whole text meant reading every match's vector
  from out-of-line storage, which made a search of a common word as slow as it had matches. The
  matches come in two tiers: first those whose title or opening holds the whole query, then the
  rest (a word deep in a long file finds the material, after those with the words near the
  start), each tier best first. The first tier of a search of one word or one two-word phrase is
  read best first from ranked postings the database keeps (`materials_rank_posting`, migration
  0006: each lexeme and each pair of neighbouring lexemes of every rank vector, with its rank), so
  a page of a common word reads a page's rows rather than ranking all its matches; other searches,
  and searches filtered by owner or topic (which may leave few of a word's materials), rank the
  first tier from the GIN index over the rank vectors. The second tier is ranked only when the
  first does not fill the page. The snippet is `ts_headline` over a window of the document around
  the first place its first word appears as typed (or the document's start): `ts_headline` parses
  all the text it is given, which over whole documents costs milliseconds a result.
- SQLite: the external-content FTS5 table `materials_material_fts(title, search_document)`, kept
  in step by triggers, with the Porter stemmer. The person's words are turned into an FTS5
  query here (every word and phrase quoted, so nothing they type is FTS5 syntax) with the same
  meaning as `websearch_to_tsquery`'s; ranked by `bm25` with the title weighted 10 to 1; the
  snippet is FTS5's `snippet`.

Known differences: PostgreSQL drops English stop words ("the", "it"), so a search of only stop
words finds nothing there and everything containing them on SQLite; the stemmers differ a little
(Snowball English against Porter). Searches of ordinary words and phrases find the same materials.

Results are pages of `PAGE_SIZE`, at most `MAX_PAGES` of them, each asking for one row more than
it shows to know whether another page follows; nothing counts all the matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape as escape_html

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from joinedup.learning.models import Topic
from joinedup.lib.prepared import prepared_cursor
from joinedup.partnership.models import Organisation

from .models import Material

PAGE_SIZE = 20
MAX_PAGES = 25
# The most postings a search reads of its term before ranking the first tier from the index
# instead (a filter that few of a common word's materials pass would otherwise read them all):
# this many, or this many for each row the page needs, whichever is more.
WALK_POSTINGS = 500
WALK_POSTINGS_A_ROW = 2
MAX_QUERY_CHARS = 200
SUMMARY_WORDS = 40

# Marks around the matched words in a snippet, from characters of Unicode's private use area,
# which extracted text keeps no meaning for; the page turns them into <mark> after escaping.
MARK_START = "\ue000"
MARK_END = "\ue001"

TEXT_SEARCH_CONFIG = "english"
# The window of the document a PostgreSQL snippet is made from (`ts_headline` parses all of it,
# so it is little more than the 30 words shown), and how far into the document the first word is
# looked for: in the opening first, which holds it for the first tier's materials, then further
# (beyond that, the snippet is the document's start).
HEADLINE_BEFORE = 80
HEADLINE_CHARS = 280
HEADLINE_OPENING_CHARS = 1_000
HEADLINE_SEEK_CHARS = 300_000
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=15, ShortWord=3, "
    "MaxFragments=0"
)

# Characters no query needs and databases refuse or mishandle: NUL and other controls, lone
# surrogates, and the snippet marks.
_UNWANTED = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ue000\ue001]")
_WORD_CHARACTER = re.compile(r"[^\W_]")


_PG_QUERY = f"websearch_to_tsquery('{TEXT_SEARCH_CONFIG}'::regconfig, %s)"
_PG_MATCHES = f'"materials_material"."search_vector" @@ {_PG_QUERY}'
_PG_IN_OPENING = f'"materials_material"."rank_vector" @@ {_PG_QUERY}'
_PG_TOPIC = '"materials_material"."topic_ids" @> ARRAY[%s]::bigint[]'
# A phrase is checked on the whole document's positions, which PostgreSQL reads from each
# candidate's large vector. For a query with phrases and nothing excluded, the candidates for the
# rest of the matches are found with every phrase loosened to "all its words" (a superset, from
# the index alone); the phrase is checked on the ranked stream only until the page is full.
_PG_LOOSE_QUERY = f"regexp_replace({_PG_QUERY}::text, '<(-|[0-9]+)>', '&', 'g')::tsquery"
_PG_LOOSE_MATCHES = f'"materials_material"."search_vector" @@ {_PG_LOOSE_QUERY}'
# The term a query of one word or of one two-word phrase is ranked by in the ranked postings
# (migration 0006): the lexeme, or the two lexemes with a space between; NULL for any other
# query (and for a lexeme with a quote or backslash, which the query's text writes escaped).
_PG_TERM = (
    f"coalesce((regexp_match({_PG_QUERY}::text, '^''([^''\\\\]+)''$'))[1], array_to_string("
    f"regexp_match({_PG_QUERY}::text, '^''([^''\\\\]+)'' <-> ''([^''\\\\]+)''$'), ' '))"
)
# The first tier (the materials with the whole query in their title or opening, from the ranked
# postings or the rank vectors' index, whichever applies) and the second (the rest), ranked only
# when the first is short of the rows the page needs (the last parameter).
_PG_TIERS = (
    'WITH {walked}"first" AS MATERIALIZED ({first}) SELECT *, 1 AS "tier" FROM "first" '
    'UNION ALL SELECT *, 2 FROM ({rest}) AS "rest" ORDER BY "tier", 2 DESC, 1 LIMIT %s OFFSET %s'
)
_PG_FIRST_SHORT = '(SELECT count(*) FROM "first") < %s'
# The materials with the whole query in their title or opening, best first, from the first
# postings of the query's term (at most the third parameter): {allowed} is Django's SQL for the
# visible, filtered materials with the posting's id. The whole text is checked (out-of-line, so
# slow to read) only for those, which CASE makes sure of.
_PG_WALKED = (
    '"walked" AS MATERIALIZED (SELECT "posting"."material_id", "posting"."rank" FROM '  # noqa: S608
    '(SELECT "material_id", "rank" FROM "materials_rank_posting" '
    f'WHERE "term" = (SELECT {_PG_TERM}) ORDER BY "rank" DESC, "material_id" LIMIT %s) '
    'AS "posting" WHERE CASE WHEN EXISTS ({allowed}) THEN EXISTS (SELECT 1 FROM '
    '"materials_material" AS "whole" WHERE "whole"."id" = "posting"."material_id" AND '
    f'"whole"."search_vector" @@ {_PG_QUERY}) ELSE FALSE END '
    'ORDER BY "posting"."rank" DESC, "posting"."material_id" LIMIT %s), '
)
# The walk stopped short: it found fewer rows than the page needs (the first parameter) though
# the term has more postings than it read (the last): the rank vectors' index is ranked instead.
_PG_WALK_SHORT = (
    '((SELECT count(*) FROM "walked") < %s AND (SELECT count(*) FROM (SELECT 1 FROM '  # noqa: S608
    f'"materials_rank_posting" WHERE "term" = (SELECT {_PG_TERM}) LIMIT %s) AS "read") = %s)'
)
_PG_WALK_KEPT = f'SELECT * FROM "walked" WHERE NOT {_PG_WALK_SHORT}'  # noqa: S608
# Candidates ranked on the rank vector, then checked against the whole text down the ranked
# stream until there are enough. "OFFSET 0" keeps PostgreSQL from merging the filtering subquery
# into the ranking one, where it may rank every match before checking the filters on the best
# few. {candidates} is Django's SQL for the visible, filtered candidates (id and rank vector);
# {only} is a condition that can switch the whole part off.
_PG_RANKED = (
    'SELECT "pk", "score" FROM (SELECT "pk", ts_rank("vector", '  # noqa: S608
    f'{_PG_QUERY}) AS "score" FROM ({{candidates}} OFFSET 0) AS "candidate" '
    'ORDER BY "score" DESC, "pk") AS "ranked" WHERE {only} AND EXISTS (SELECT 1 FROM '
    '"materials_material" AS "checked" WHERE "checked"."id" = "ranked"."pk" AND '
    f'"checked"."search_vector" @@ {_PG_QUERY}) ORDER BY "score" DESC, "pk" LIMIT %s'
)
_PLAIN_WORD = re.compile(r"[^\W_]+")
_PG_DOCUMENT = '"materials_material"."search_document"'
_PG_SEEK = "strpos(lower(left({document}, {chars})), %s)"
_PG_HEADLINE = (
    f"ts_headline('{TEXT_SEARCH_CONFIG}'::regconfig, substr({_PG_DOCUMENT}, greatest(coalesce("
    f"nullif({_PG_SEEK.format(document=_PG_DOCUMENT, chars=HEADLINE_OPENING_CHARS)}, 0), "
    f"{_PG_SEEK.format(document=_PG_DOCUMENT, chars=HEADLINE_SEEK_CHARS)}) - {HEADLINE_BEFORE}"
    f", 1), {HEADLINE_CHARS}), {_PG_QUERY}, %s)"
)
# bm25 weighs the title 10 to 1 against the document; the snippet is at most 30 words.
# {allowed} is the SQL Django writes for the visible, filtered materials (with parameters).
_SQLITE_MATCHES = (
    "SELECT rowid, -bm25(materials_material_fts, 10.0, 1.0) AS score, "
    "snippet(materials_material_fts, 1, %s, %s, '…', 30) FROM materials_material_fts "
    "WHERE materials_material_fts MATCH %s AND EXISTS ({allowed}) "
    "ORDER BY score DESC, rowid LIMIT %s OFFSET %s"
)


# --- Reading what the person typed (no database) ------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A word, or a phrase in quotes; `excluded` when it was written with a minus before it."""

    text: str
    excluded: bool = False


Alternative = tuple[Term, ...]


def clean_text(text: str) -> str:
    """The person's words without characters no search needs, in single spaces, capped."""
    return " ".join(_UNWANTED.sub(" ", text).split())[:MAX_QUERY_CHARS]


def parse_query(text: str) -> list[Alternative]:
    """Alternatives (joined by `or`), each a list of terms that must all match (or, for excluded
    ones, not), read the way PostgreSQL's `websearch_to_tsquery` reads them. Terms without a
    letter or digit are dropped, and so are alternatives with nothing left to find."""
    alternatives: list[list[Term]] = [[]]
    position, text = 0, clean_text(text)
    while position < len(text):
        character = text[position]
        if character == " ":
            position += 1
            continue
        excluded = character == "-" and position + 1 < len(text) and text[position + 1] != " "
        if excluded:
            position += 1
        if text[position] == '"':
            end = text.find('"', position + 1)
            end = len(text) if end == -1 else end
            words, position = text[position + 1 : end], end + 1
        else:
            end = len(text)
            for stop in (" ", '"'):
                found = text.find(stop, position)
                end = min(end, found) if found != -1 else end
            words, position = text[position:end], end
            if words.lower() == "or" and not excluded:
                # Between terms it joins alternatives; anywhere else it is a stop word.
                if alternatives[-1]:
                    alternatives.append([])
                continue
        if _WORD_CHARACTER.search(words):
            alternatives[-1].append(Term(" ".join(words.split()), excluded))
    return [tuple(terms) for terms in alternatives if any(not term.excluded for term in terms)]


def fts5_query(alternatives: list[Alternative]) -> str:
    """An FTS5 query with the meaning of `alternatives`, every term a quoted string."""

    def quoted(term: Term) -> str:
        return '"' + term.text.replace('"', '""') + '"'

    parts = []
    for terms in alternatives:
        wanted = " AND ".join(quoted(term) for term in terms if not term.excluded)
        unwanted = "".join(f" NOT {quoted(term)}" for term in terms if term.excluded)
        parts.append(f"(({wanted}){unwanted})")
    return " OR ".join(parts)


# --- Results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """Part of a snippet; `marked` when it is a word the search matched."""

    text: str
    marked: bool = False


@dataclass(frozen=True)
class Hit:
    material: Material
    rank: float
    snippet: tuple[Piece, ...]

    @property
    def snippet_html(self) -> SafeString:
        return snippet_html(self.snippet)


def snippet_html(snippet: tuple[Piece, ...]) -> SafeString:
    """A snippet for a page (the library's and the discussions' search): every piece escaped,
    the matched words in <mark>. Written out rather than with `format_html_join`, which took a
    tenth of a millisecond a result."""
    parts = (
        f"<mark>{escape_html(piece.text)}</mark>" if piece.marked else escape_html(piece.text)
        for piece in snippet
    )
    return mark_safe("".join(parts))  # noqa: S308 (every piece is escaped just above)


@dataclass(frozen=True)
class ResultPage:
    hits: list[Hit]
    number: int
    has_next: bool
    # More results follow, but past the last page offered: the person should narrow the search.
    capped: bool

    @property
    def first(self) -> int:
        """The position of the page's first result (1 for the first result of all)."""
        return (self.number - 1) * PAGE_SIZE + 1

    @property
    def last(self) -> int:
        return self.first + len(self.hits) - 1


def pieces(snippet: str) -> tuple[Piece, ...]:
    """A snippet with marks split into plain and marked pieces, its white space made single."""
    found: list[Piece] = []
    marked = False
    for part in re.split(f"([{MARK_START}{MARK_END}])", snippet):
        if part in (MARK_START, MARK_END):
            marked = part == MARK_START
        elif part:
            found.append(Piece(re.sub(r"\s+", " ", part), marked))
    return tuple(found)


def _summary(material: Material) -> tuple[Piece, ...]:
    summary = Truncator(" ".join(material.summary.split())).words(SUMMARY_WORDS)
    return (Piece(summary),) if summary else ()


# --- Filters ------------------------------------------------------------------------------------


def topic_choices() -> list[tuple[int, str]]:
    """Every topic, by name, for the topic filter."""
    return list(Topic.objects.order_by("name").values_list("pk", "name"))


def owner_choices(visible: QuerySet[Material]) -> list[tuple[int, str]]:
    """The organisations owning at least one of the `visible` materials, by name."""
    owners = Organisation.objects.filter(pk__in=visible.order_by().values("owner"))
    return list(owners.order_by("name").values_list("pk", "name"))


# --- Searching ----------------------------------------------------------------------------------


def search_materials(
    visible: QuerySet[Material],
    *,
    text: str = "",
    kind: str | None = None,
    licence: str | None = None,
    owner: int | None = None,
    topic: int | None = None,
    page: int = 1,
) -> ResultPage:
    """One page of the `visible` materials matching the words and filters, best match first
    (by title when there are no words to search for).

    `visible` comes from `access.visible_materials(actor)`; `owner` and `topic` are ids.
    """
    page = min(max(page, 1), MAX_PAGES)
    materials = visible
    if kind:
        materials = materials.filter(kind=kind)
    if licence:
        materials = materials.filter(licence=licence)
    if owner is not None:
        materials = materials.filter(owner_id=owner)
    offset = (page - 1) * PAGE_SIZE
    text = clean_text(text)
    alternatives = parse_query(text) if text else []
    if text and not alternatives:
        return ResultPage(hits=[], number=page, has_next=False, capped=False)
    if alternatives and connection.vendor == "postgresql":
        if topic is not None:
            # The topic ids the database keeps on the material are in the search index (0004).
            tagged = RawSQL(_PG_TOPIC, [topic], output_field=BooleanField())  # noqa: S611
            materials = materials.filter(tagged)
        # A filter by owner or topic may leave few of a common word's materials: ranking the
        # filtered matches reads fewer rows than walking the word's postings to find them.
        walk = owner is None and topic is None
        return _postgresql_page(materials, text, alternatives, page, offset, walk=walk)
    if topic is not None:
        tags = Material.topics.through.objects.filter(material_id=OuterRef("pk"), topic_id=topic)
        materials = materials.filter(Exists(tags))
    if not alternatives:
        return _browse(materials, page, offset)
    rows = _sqlite_matches(materials, fts5_query(alternatives), offset)
    return _page_of(rows, page)


def _browse(materials: QuerySet[Material], page: int, offset: int) -> ResultPage:
    """Without words to search for: the materials in title order."""
    found = list(
        materials.select_related("owner")
        .defer("search_document")
        .order_by("title", "pk")[offset : offset + PAGE_SIZE + 1]
    )
    hits = [Hit(material, 0.0, _summary(material)) for material in found[:PAGE_SIZE]]
    return _finish(hits, page, more=len(found) > PAGE_SIZE)


def _page_of(
    rows: list[tuple[int, float, str]],
    page: int,
    materials: QuerySet[Material] | None = None,
) -> ResultPage:
    """The page's materials, read in one query, in the order of the ranked `rows`; their
    snippets come with the rows or, when annotated as `snippet`, with `materials`."""
    shown = rows[:PAGE_SIZE]
    materials = Material.objects.all() if materials is None else materials
    materials = materials.select_related("owner").defer("search_document").order_by()
    by_pk = materials.in_bulk([pk for pk, _rank, _snippet in shown]) if shown else {}
    hits = []
    for pk, rank, snippet in shown:
        if pk in by_pk:
            found = by_pk[pk]
            text = snippet or getattr(found, "snippet", "")
            hits.append(Hit(found, rank, pieces(text) or _summary(found)))
    return _finish(hits, page, more=len(rows) > PAGE_SIZE)


def _finish(hits: list[Hit], page: int, *, more: bool) -> ResultPage:
    return ResultPage(
        hits=hits,
        number=page,
        has_next=more and page < MAX_PAGES,
        capped=more and page == MAX_PAGES,
    )


def _postgresql_page(
    materials: QuerySet[Material],
    text: str,
    alternatives: list[Alternative],
    page: int,
    offset: int,
    *,
    walk: bool,
) -> ResultPage:
    """The matches ranked in one query, then the page's materials with their snippets.

    The matches come in two tiers, each best first: those with the whole query in their title
    or opening (`rank_vector`), then the rest. The first tier is read from the ranked postings
    when `walk` allows it and the query is one word or one two-word phrase, and otherwise
    ranked from the GIN index over the rank vectors; the second is ranked only when the first
    does not fill the page.
    """
    terms = [term for alternative in alternatives for term in alternative]
    loosened = not any(term.excluded for term in terms) and any(
        not _PLAIN_WORD.fullmatch(term.text) for term in terms
    )
    needed = offset + PAGE_SIZE + 1
    # The SQL is made of constants; the person's words are always parameters.
    in_opening = RawSQL(_PG_IN_OPENING, [text], output_field=BooleanField())  # noqa: S611
    condition = _PG_LOOSE_MATCHES if loosened else _PG_MATCHES
    matches = RawSQL(condition, [text], output_field=BooleanField())  # noqa: S611
    walked: tuple[str, list[object]] = ("", [])
    first: list[tuple[str, list[object]]] = []
    opening_only = "TRUE"
    only_params: list[object] = []
    if walk:
        posting = RawSQL('"posting"."material_id"', ())  # noqa: S611
        allowed = materials.filter(pk=posting).order_by().values("pk")
        sql, params = allowed.query.sql_with_params()
        read = max(WALK_POSTINGS, WALK_POSTINGS_A_ROW * needed)
        walked = (_PG_WALKED.format(allowed=sql), [text, text, read, *params, text, needed])
        short_params = [needed, text, text, read, read]
        first.append((_PG_WALK_KEPT, short_params))
        opening_only = f"((SELECT {_PG_TERM}) IS NULL OR {_PG_WALK_SHORT})"
        only_params = [text, text, *short_params]
    first.append(_ranked(materials.filter(in_opening), text, needed, opening_only, only_params))
    rest = _ranked(
        materials.filter(matches).exclude(in_opening), text, needed, _PG_FIRST_SHORT, [needed]
    )
    sql = _PG_TIERS.format(
        walked=walked[0],
        first=" UNION ALL ".join(f"({part})" for part, _params in first),
        rest=rest[0],
    )
    params = [value for _part, part_params in (walked, *first, rest) for value in part_params]
    # Several kilobytes of SQL, parsed and planned for longer than it runs: prepared, PostgreSQL
    # plans it once for each shape of filters.
    with prepared_cursor() as cursor:
        cursor.execute(sql, [*params, PAGE_SIZE + 1, offset])
        rows = [(pk, score) for pk, score, _tier in cursor.fetchall()]
    seek = _first_word(alternatives)
    snippet = RawSQL(_PG_HEADLINE, [seek, seek, text, HEADLINE_OPTIONS], output_field=TextField())  # noqa: S611
    with_snippets = Material.objects.annotate(snippet=snippet)
    return _page_of([(pk, score, "") for pk, score in rows], page, with_snippets)


def _ranked(
    candidates: QuerySet[Material], text: str, needed: int, only: str, only_params: list[object]
) -> tuple[str, list[object]]:
    """SQL and parameters ranking the `candidates` when `only` holds: the first `needed`."""
    ranked = candidates.annotate(vector=RawSQL('"materials_material"."rank_vector"', ()))  # noqa: S611
    sql, params = ranked.order_by().values("pk", "vector").query.sql_with_params()
    return _PG_RANKED.format(candidates=sql, only=only), [text, *params, *only_params, text, needed]


def _first_word(alternatives: list[Alternative]) -> str:
    """The first word the person typed that must match, in lower case, to find a snippet by."""
    term = next(term for term in alternatives[0] if not term.excluded)
    return re.findall(r"[^\W_]+", term.text)[0].lower()


def _sqlite_matches(
    materials: QuerySet[Material], match: str, offset: int
) -> list[tuple[int, float, str]]:
    """(id, rank, snippet) of the matches on one page and one more, best first.

    Each match of the FTS5 index is checked against the visible, filtered materials by its id,
    so the cost follows the number of matches rather than of visible materials.
    """
    allowed = materials.filter(pk=RawSQL("materials_material_fts.rowid", ())).order_by()
    allowed_sql, allowed_params = allowed.values("pk").query.sql_with_params()
    sql = _SQLITE_MATCHES.format(allowed=allowed_sql)
    params = [MARK_START, MARK_END, match, *allowed_params, PAGE_SIZE + 1, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(pk, score, snippet or "") for pk, score, snippet in cursor.fetchall()]
