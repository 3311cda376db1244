"""Which programmes and plans are alike: TF-IDF cosine similarity over plain items (no Django).

An item is an id, a title, a summary and topics. Its terms are the words of its title and summary,
lower-cased, without British English stop words, reduced by a few suffix rules (`stem`), and its
topics, each one whole term (`topic:` and its lower-cased name, so a topic never equals a word).
A title word counts twice, a summary word once and a topic twice; a term's weight in an item is
(1 + ln count) x idf, with idf = ln((1 + N) / (1 + df)) + 1 over the N items in the index, df of
them holding the term. The score of two items is the cosine of their weights: 0 to 1, symmetric,
0 when either has no terms. Scores are rounded to 6 decimal places, and equal scores order by id.

The index takes items one at a time (`add`, `update`, `remove`); what it answers is always what
an index built afresh from the items it holds would answer. `most_similar` reads postings and
per-item sums that each change keeps up to date (built in one go on the first question after
items are added in bulk); `similarity` and `near_duplicates` read arrays of every item's weights,
rebuilt on their first call after a change.

`near_duplicates(threshold)` finds every pair scoring at least the threshold without comparing
all pairs (prefix filtering, after Bayardo, Ma and Srikant, "Scaling up all pairs similarity
search", 2007): terms are ordered rarest first; an item's prefix is its terms in that order up to
the point where the rest have a norm below the threshold. Two items scoring at least the threshold
share a term lying in both their prefixes (their first shared term), so only items sharing a
prefix term are compared, and prefixes hold mostly rare terms.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

WORD = re.compile(r"[a-z0-9]+")
TOPIC_PREFIX = "topic:"  # ":" is never in a word, so a topic's term never equals a word
TITLE_WEIGHT = 2
SUMMARY_WEIGHT = 1
TOPIC_WEIGHT = 2
SHARED_TERMS = 5
DECIMALS = 6
# A pair is reported when its rounded score reaches the threshold, so its exact score is at least
# the threshold less half a unit in the last place; the prefixes are cut with this margin to spare.
MARGIN = 1e-6

STOP_WORDS_TEXT = """
    a about above across after afterwards again against all almost alone along already also
    although always am amongst among an and another any anyhow anyone anything anyway anywhere
    are around as at be became because become becomes been before beforehand behind being below
    beside besides between beyond both but by can cannot could did do does doing done down due
    during each eg either else elsewhere enough etc even ever every everyone everything everywhere
    except few for former formerly from further had has have having he her here hereby herein her
    hers herself him himself his how however ie if in indeed into is it its itself just last
    latter least less many may me meanwhile might mine more moreover most mostly much must my
    myself namely neither never nevertheless next no nobody none noone nor not nothing now nowhere
    of off often on once one only onto or other others otherwise our ours ourselves out over own
    per perhaps please quite rather re same shall she should since so some somehow someone
    something sometime sometimes somewhere still such than that the their theirs them themselves
    then thence there thereafter thereby therefore therein thereupon these they this those though
    through throughout thus to together too toward towards under until unto up upon us very via
    was we well were what whatever when whence whenever where whereafter whereas whereby wherein
    whereupon wherever whether which while whilst whither who whoever whole whom whose why will
    with within without would yet you your yours yourself yourselves
"""
STOP_WORDS = frozenset(STOP_WORDS_TEXT.split())

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Item:
    """One programme or plan as the index sees it."""

    id: str
    title: str
    summary: str = ""
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """An item like the one asked about: its id, score, and the terms that count most for it."""

    id: str
    score: float
    shared_terms: tuple[str, ...]


@dataclass(frozen=True)
class Pair:
    """Two items alike enough to be near-duplicates (`first` before `second` in string order)."""

    first: str
    second: str
    score: float
    shared_terms: tuple[str, ...]


def stem(word: str) -> str:
    """A word without its plural, -ing or -ed ending, or final e (policies, policy -> policy)."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            # planning -> plan, but assessing -> assess and skilled -> skill
            if word[-1] == word[-2] and word[-1] not in "aeiouylsz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def words(text: str) -> Iterator[tuple[str, str]]:
    """Each word of a text that is not a stop word, as (term, the word as written lower-cased)."""
    for word in WORD.findall(text.lower()):
        if len(word) > 1 and word not in STOP_WORDS:
            yield stem(word), word


def topic_term(topic: str) -> str:
    """The term standing for one topic: the whole topic, lower-cased, spaces collapsed."""
    return TOPIC_PREFIX + " ".join(topic.lower().split())


def weighted_terms(item: Item) -> tuple[Counter[str], dict[str, str]]:
    """The item's weighted term counts, and each term's first wording in the item (for display)."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for text, weight in ((item.title, TITLE_WEIGHT), (item.summary, SUMMARY_WEIGHT)):
        for term, word in words(text):
            counts[term] += weight
            shown.setdefault(term, word)
    for topic in item.topics:
        term = topic_term(topic)
        if term != TOPIC_PREFIX:
            counts[term] += TOPIC_WEIGHT
            shown.setdefault(term, " ".join(topic.split()))
    return counts, shown


@dataclass
class _Arrays:
    """The index compiled: each item's terms and normalised weights, rows in `ids` order."""

    ids: list[str]
    row_of: dict[str, int]
    indptr: IntArray  # row r's entries are indptr[r]:indptr[r + 1]
    terms: IntArray  # term id of each entry
    weights: FloatArray  # normalised tf-idf weight of each entry
    rows: IntArray  # row of each entry
    idf: FloatArray  # by term id
    df: IntArray  # by term id


class _Postings:
    """The slots holding one term and the term's tf in each, in arrays that grow by doubling."""

    def __init__(self, slots: IntArray, tfs: FloatArray) -> None:
        self.slots, self.tfs, self.size = slots, tfs, len(slots)

    def append(self, slot: int, tf: float) -> None:
        if self.size == len(self.slots):
            self.slots = np.resize(self.slots, max(4, 2 * self.size))
            self.tfs = np.resize(self.tfs, max(4, 2 * self.size))
        self.slots[self.size], self.tfs[self.size] = slot, tf
        self.size += 1


class _Live:
    """What `most_similar` reads, kept up to date item by item.

    Each item has a slot; a changed item gets a new one and its old slot is marked dead. An item's
    squared norm is A^2 S0 - 2A S1 + S2, with A = ln(1 + N) + 1, b = ln(1 + df) for each of its
    terms, S0 = sum tf^2, S1 = sum tf^2 b and S2 = sum tf^2 b^2 (as idf = A - b). N changes A alone;
    a change of one term's df updates S1 and S2 of the slots holding that term, and nothing else.
    """

    def __init__(self, entries: dict[str, tuple[IntArray, FloatArray]], terms: int) -> None:
        self.ids: list[str | None] = list(entries)
        self.slot_of = {item_id: slot for slot, item_id in enumerate(self.ids)}
        self.dead = 0
        lengths = np.fromiter((len(t) for t, _ in entries.values()), np.int64, len(entries))
        if entries:
            all_terms = np.concatenate([t for t, _ in entries.values()])
            all_tfs = np.concatenate([tf for _, tf in entries.values()])
        else:
            all_terms, all_tfs = np.zeros(0, np.int64), np.zeros(0, np.float64)
        rows = np.repeat(np.arange(len(entries), dtype=np.int64), lengths)
        self.df = np.bincount(all_terms, minlength=terms).astype(np.int64)
        b = np.log1p(self.df)[all_terms]
        squared = all_tfs * all_tfs
        self.s0 = np.bincount(rows, squared, len(entries)).astype(np.float64)
        self.s1 = np.bincount(rows, squared * b, len(entries)).astype(np.float64)
        self.s2 = np.bincount(rows, squared * b * b, len(entries)).astype(np.float64)
        self.alive = np.ones(len(entries), dtype=bool)
        order = np.argsort(all_terms, kind="stable")
        bounds = np.searchsorted(all_terms[order], np.arange(terms + 1))
        by_term_rows, by_term_tfs = rows[order], all_tfs[order]
        self.postings = {
            term: _Postings(by_term_rows[start:end].copy(), by_term_tfs[start:end].copy())
            for term, (start, end) in enumerate(
                zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
            )
            if end > start
        }

    def _grow(self, terms: int) -> None:
        if terms > len(self.df):
            self.df = np.concatenate([self.df, np.zeros(terms - len(self.df), np.int64)])
        if len(self.ids) > len(self.s0):
            size = 2 * len(self.ids)
            self.s0, self.s1, self.s2 = (np.resize(a, size) for a in (self.s0, self.s1, self.s2))
            self.alive = np.resize(self.alive, size)

    def _count(self, term: int, change: int) -> float:
        """Change one term's df, updating S1 and S2 of its slots; its new b."""
        before = math.log1p(int(self.df[term]))
        self.df[term] += change
        after = math.log1p(int(self.df[term]))
        postings = self.postings.get(term)
        if postings is not None and postings.size:
            slots = postings.slots[: postings.size]
            squared = postings.tfs[: postings.size] ** 2
            self.s1[slots] += squared * (after - before)
            self.s2[slots] += squared * (after * after - before * before)
        return after

    def add(self, item_id: str, terms: IntArray, tfs: FloatArray, vocabulary: int) -> None:
        slot = len(self.ids)
        self.ids.append(item_id)
        self.slot_of[item_id] = slot
        self._grow(vocabulary)
        s0 = s1 = s2 = 0.0
        for term, tf in zip(terms.tolist(), tfs.tolist(), strict=True):
            b = self._count(term, +1)
            self.postings.setdefault(term, _Postings(np.zeros(0, np.int64), np.zeros(0))).append(
                slot, tf
            )
            s0, s1, s2 = s0 + tf * tf, s1 + tf * tf * b, s2 + tf * tf * b * b
        self.s0[slot], self.s1[slot], self.s2[slot], self.alive[slot] = s0, s1, s2, True

    def remove(self, item_id: str, terms: IntArray) -> None:
        slot = self.slot_of.pop(item_id)
        self.ids[slot] = None
        self.alive[slot] = False
        self.dead += 1
        for term in terms.tolist():
            self._count(term, -1)

    def norms(self, a: float) -> FloatArray:
        count = len(self.ids)
        squared = a * a * self.s0[:count] - 2 * a * self.s1[:count] + self.s2[:count]
        return np.sqrt(np.maximum(squared, 0.0))


@dataclass
class SimilarityIndex:
    """Items by id, compared by TF-IDF cosine; changed one item at a time."""

    _items: dict[str, Item] = field(default_factory=dict)
    _entries: dict[str, tuple[IntArray, FloatArray]] = field(default_factory=dict)
    _vocabulary: dict[str, int] = field(default_factory=dict)
    _arrays: _Arrays | None = None
    _live: _Live | None = None

    @classmethod
    def of(cls, items: Iterable[Item]) -> SimilarityIndex:
        """An index holding these items."""
        index = cls()
        for item in items:
            index.add(item)
        return index

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._items

    def add(self, item: Item) -> None:
        """Add a new item; an id already held is a ValueError (use `update`)."""
        if not isinstance(item.id, str) or not item.id:
            raise ValueError("item id must be a non-empty string")
        if item.id in self._items:
            raise ValueError(f"item {item.id!r} is already in the index")
        self._put(item)

    def update(self, item: Item) -> None:
        """Replace the item of this id with this one (or add it if not yet held)."""
        if not isinstance(item.id, str) or not item.id:
            raise ValueError("item id must be a non-empty string")
        self._put(item)

    def remove(self, item_id: str) -> None:
        """Take an item out; an id not held is a KeyError."""
        if item_id not in self._items:
            raise KeyError(item_id)
        if self._live is not None:
            self._live.remove(item_id, self._entries[item_id][0])
        del self._items[item_id]
        del self._entries[item_id]
        self._arrays = None

    def _term_ids(self, counts: Counter[str]) -> tuple[IntArray, FloatArray]:
        ids: list[int] = []
        tfs: list[float] = []
        for term, count in counts.items():
            term_id = self._vocabulary.get(term)
            if term_id is None:
                term_id = self._vocabulary[term] = len(self._vocabulary)
            ids.append(term_id)
            tfs.append(1.0 + math.log(count))
        return np.array(ids, dtype=np.int64), np.array(tfs, dtype=np.float64)

    def _put(self, item: Item) -> None:
        counts, _ = weighted_terms(item)
        live = self._live
        if live is not None and item.id in self._entries:
            live.remove(item.id, self._entries[item.id][0])
        self._items[item.id] = item
        terms, tfs = self._entries[item.id] = self._term_ids(counts)
        self._arrays = None
        if live is not None:
            live.add(item.id, terms, tfs, len(self._vocabulary))
            # Dead slots cost time in every question; start again once they outnumber the living.
            if live.dead > max(1_024, len(self._items)):
                self._live = None

    def _current(self) -> _Live:
        if self._live is None:
            self._live = _Live(self._entries, len(self._vocabulary))
        return self._live

    def _compiled(self) -> _Arrays:
        if self._arrays is not None:
            return self._arrays
        ids = list(self._entries)
        entries = list(self._entries.values())
        lengths = np.fromiter((len(terms) for terms, _ in entries), dtype=np.int64, count=len(ids))
        indptr = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        if entries:
            terms = np.concatenate([terms for terms, _ in entries])
            tfs = np.concatenate([tfs for _, tfs in entries])
        else:
            terms, tfs = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        rows = np.repeat(np.arange(len(ids), dtype=np.int64), lengths)
        df = np.bincount(terms, minlength=len(self._vocabulary)).astype(np.int64)
        idf = np.log((1.0 + len(ids)) / (1.0 + df)) + 1.0
        weights = tfs * idf[terms]
        norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=len(ids)))
        weights /= norms[rows]
        self._arrays = _Arrays(
            ids, {item_id: row for row, item_id in enumerate(ids)}, indptr, terms, weights, rows,
            idf, df,
        )  # fmt: skip
        return self._arrays

    def _query_vector(self, item: Item, arrays: _Arrays) -> tuple[dict[int, float], dict[int, str]]:
        """The item's normalised weights by term id (terms the index lacks count in the norm)."""
        counts, shown = weighted_terms(item)
        known: dict[int, float] = {}
        names: dict[int, str] = {}
        norm_squared = 0.0
        unknown_idf = math.log(1.0 + len(arrays.ids)) + 1.0
        for term, count in counts.items():
            tf = 1.0 + math.log(count)
            term_id = self._vocabulary.get(term)
            if term_id is None or term_id >= len(arrays.idf) or arrays.df[term_id] == 0:
                norm_squared += (tf * unknown_idf) ** 2
                continue
            weight = tf * float(arrays.idf[term_id])
            norm_squared += weight * weight
            known[term_id] = weight
            names[term_id] = shown[term]
        norm = math.sqrt(norm_squared)
        return {term_id: weight / norm for term_id, weight in known.items()}, names

    def most_similar(
        self, query: Item, k: int = 10, exclude_ids: Collection[str] = ()
    ) -> list[Match]:
        """The k items most like the query (itself and `exclude_ids` left out), best first.

        Only items scoring above 0 are returned. The query need not be in the index; if it is,
        its own entry is what is compared.
        """
        if k < 0:
            raise ValueError("k must not be negative")
        live = self._current()
        a = math.log(1.0 + len(self._items)) + 1.0
        counts, shown = weighted_terms(query)
        vector: dict[int, float] = {}
        names: dict[int, str] = {}
        norm_squared = 0.0
        for term, count in counts.items():
            tf = 1.0 + math.log(count)
            term_id = self._vocabulary.get(term)
            df = 0
            if term_id is not None and term_id < len(live.df):
                df = int(live.df[term_id])
            weight = tf * (a - math.log1p(df))
            norm_squared += weight * weight
            if term_id is not None and df:
                vector[term_id] = weight
                names[term_id] = shown[term]
        if not vector or k == 0:
            return []
        norm = math.sqrt(norm_squared)
        slots: list[IntArray] = []
        parts: list[FloatArray] = []
        for term_id, weight in vector.items():
            postings = live.postings[term_id]
            idf = a - math.log1p(int(live.df[term_id]))
            slots.append(postings.slots[: postings.size])
            parts.append(postings.tfs[: postings.size] * (weight / norm * idf))
        dots = np.bincount(
            np.concatenate(slots), weights=np.concatenate(parts), minlength=len(live.ids)
        )
        norms = live.norms(a)
        hit = np.flatnonzero((dots > 0) & live.alive[: len(live.ids)])
        scores = np.zeros(len(live.ids))
        scores[hit] = np.clip(np.round(dots[hit] / norms[hit], DECIMALS), 0.0, 1.0)
        for item_id in (query.id, *exclude_ids):
            slot = live.slot_of.get(item_id)
            if slot is not None:
                scores[slot] = 0.0
        candidates = hit[scores[hit] > 0]
        if len(candidates) > k:
            kth = np.partition(scores[candidates], len(candidates) - k)[len(candidates) - k]
            candidates = candidates[scores[candidates] >= kth]
        ids = live.ids
        best = sorted(candidates.tolist(), key=lambda slot: (-scores[slot], ids[slot]))[:k]
        matches = []
        for slot in best:
            item_id = ids[slot]
            assert item_id is not None  # a living slot
            terms, tfs = self._entries[item_id]
            contributions = {
                term: tf * (a - math.log1p(int(live.df[term]))) / norms[slot] * vector[term] / norm
                for term, tf in zip(terms.tolist(), tfs.tolist(), strict=True)
                if term in vector
            }
            # Rounded, so that terms counting equally keep one order (by wording).
            ranked = sorted(
                (-round(value, DECIMALS + 3), names[term]) for term, value in contributions.items()
            )
            shared = tuple(name for _, name in ranked[:SHARED_TERMS])
            matches.append(Match(item_id, float(scores[slot]), shared))
        return matches

    def _shared(
        self, arrays: _Arrays, row: int, dense: FloatArray, names: dict[int, str]
    ) -> tuple[str, ...]:
        """The terms contributing most to a row's score against a dense vector, as worded."""
        start, end = int(arrays.indptr[row]), int(arrays.indptr[row + 1])
        terms = arrays.terms[start:end]
        contributions = arrays.weights[start:end] * dense[terms]
        ranked = sorted(
            (
                (-round(float(contribution), DECIMALS + 3), names[int(term)])
                for term, contribution in zip(terms, contributions, strict=True)
                if contribution > 0
            )
        )
        return tuple(name for _, name in ranked[:SHARED_TERMS])

    def similarity(self, first_id: str, second_id: str) -> float:
        """The score of two items held by the index."""
        arrays = self._compiled()
        first, second = arrays.row_of[first_id], arrays.row_of[second_id]
        dense = np.zeros(len(arrays.idf), dtype=np.float64)
        start, end = arrays.indptr[first], arrays.indptr[first + 1]
        dense[arrays.terms[start:end]] = arrays.weights[start:end]
        start, end = arrays.indptr[second], arrays.indptr[second + 1]
        dot = float(np.dot(arrays.weights[start:end], dense[arrays.terms[start:end]]))
        return min(max(round(dot, DECIMALS), 0.0), 1.0)

    def near_duplicates(self, threshold: float = 0.8) -> list[Pair]:
        """Every pair of items scoring at least the threshold, best first."""
        if not 0 < threshold <= 1:
            raise ValueError("threshold must be above 0 and at most 1")
        arrays = self._compiled()
        if not len(arrays.terms):
            return []
        # Entries sorted within each row by term, rarest first (ties by term id).
        rank = np.empty(len(arrays.df), dtype=np.int64)
        rank[np.lexsort((np.arange(len(arrays.df)), arrays.df))] = np.arange(len(arrays.df))
        order = np.lexsort((rank[arrays.terms], arrays.rows))
        sorted_terms = arrays.terms[order]
        squared = arrays.weights[order] ** 2
        running = np.cumsum(squared)
        # An empty row's "end" is clamped to a valid entry; it has no entries to look it up.
        row_total = running[np.maximum(arrays.indptr[1:] - 1, 0)]
        rest_from_here = row_total[arrays.rows] - running + squared
        cut = max(threshold - MARGIN, 0.0)
        in_prefix = rest_from_here >= cut * cut
        prefix_rows = arrays.rows[in_prefix]
        prefix_terms = sorted_terms[in_prefix]
        by_term = np.lexsort((prefix_rows, prefix_terms))
        posting_rows = prefix_rows[by_term]
        posting_start = np.searchsorted(prefix_terms[by_term], np.arange(len(arrays.df) + 1))
        prefix_start = np.zeros(len(arrays.ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(prefix_rows, minlength=len(arrays.ids)), out=prefix_start[1:])

        dense = np.zeros(len(arrays.df), dtype=np.float64)
        found: list[tuple[float, str, str, int, int]] = []
        for row in range(len(arrays.ids)):
            own = prefix_terms[  # grouped by row, as rows ascend in `order`
                prefix_start[row] : prefix_start[row + 1]
            ]
            if not len(own):
                continue
            candidates = np.unique(
                np.concatenate(
                    [posting_rows[posting_start[t] : posting_start[t + 1]] for t in own.tolist()]
                )
            )
            candidates = candidates[candidates > row]
            if not len(candidates):
                continue
            start, end = arrays.indptr[row], arrays.indptr[row + 1]
            dense[arrays.terms[start:end]] = arrays.weights[start:end]
            starts = arrays.indptr[candidates]
            lengths = arrays.indptr[candidates + 1] - starts
            offsets = np.zeros(len(candidates), dtype=np.int64)
            np.cumsum(lengths[:-1], out=offsets[1:])
            entries = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
            products = arrays.weights[entries] * dense[arrays.terms[entries]]
            dots = np.round(np.add.reduceat(products, offsets), DECIMALS)
            dense[arrays.terms[start:end]] = 0.0
            for other, dot in zip(
                candidates[dots >= threshold].tolist(),
                dots[dots >= threshold].tolist(),
                strict=True,
            ):
                first, second = sorted((arrays.ids[row], arrays.ids[other]))
                found.append((-min(dot, 1.0), first, second, row, other))
        found.sort()
        return [
            Pair(first, second, -negative, self._pair_terms(arrays, first, second))
            for negative, first, second, _, _ in found
        ]

    def _pair_terms(self, arrays: _Arrays, first: str, second: str) -> tuple[str, ...]:
        """The terms contributing most to two items' score, as the first item words them."""
        vector, names = self._query_vector(self._items[first], arrays)
        dense = np.zeros(len(arrays.idf), dtype=np.float64)
        for term_id, weight in vector.items():
            dense[term_id] = weight
        return self._shared(arrays, arrays.row_of[second], dense, names)
