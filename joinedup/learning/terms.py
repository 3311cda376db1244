"""The catalogue's search terms of a programme: the words of its title and summary, and its topics.

Pure functions, no Django. A word is a run of letters, digits or underscores (`\\w+`), lower-cased.
A text contains a search only if each of the search's words lies inside one of the text's words, so
only programmes holding a word that contains the search's longest word can match: the catalogue
finds those by index and matches the search as before among them. A search of one word and nothing
else matches every one of them (case aside, for letters whose two cases pair one to one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WORD = re.compile(r"\w+")
TOPIC_PREFIX = "topic:"  # ":" is never in a word, so a topic's term never equals a word


def words_of(text: str) -> set[str]:
    """The distinct lower-cased words of a text."""
    return {word.lower() for word in WORD.findall(text)}


def topic_term(topic_id: int) -> str:
    """The term standing for one topic."""
    return f"{TOPIC_PREFIX}{topic_id}"


def terms_of(title: str, summary: str, topic_ids: Iterable[int]) -> set[str]:
    """Every term a programme is found by: its title's and summary's words, and its topics."""
    return words_of(title) | words_of(summary) | {topic_term(pk) for pk in topic_ids}


def is_one_word(search: str) -> bool:
    """Whether the search is a single word and nothing else (no spaces or punctuation)."""
    return WORD.fullmatch(search) is not None


def longest_word(search: str) -> str | None:
    """The search's longest word, lower-cased (the first of equals), or None if it has none."""
    words = [word.lower() for word in WORD.findall(search)]
    return max(words, key=len) if words else None
