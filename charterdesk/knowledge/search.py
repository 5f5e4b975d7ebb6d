"""Which articles answer what a customer is typing: the words of the query (three
letters or more, any case) found in an article's title count three, in its body one
each (at most three times a word). A query word matches the start of a word, so
"renew" finds "renewing". Pure Python over one organization's articles in one language.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

_WORD = re.compile(r"[^\W_]+")
MIN_LETTERS = 3
MAX_QUERY_WORDS = 20


class Readable(Protocol):
    title: str
    body: str


A = TypeVar("A", bound=Readable)


def query_words(text: str) -> list[str]:
    words = [word.casefold() for word in _WORD.findall(text) if len(word) >= MIN_LETTERS]
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def _matches(word: str, counts: Counter[str]) -> int:
    return sum(n for found, n in counts.items() if found.startswith(word))


def score(article: Readable, words: Sequence[str]) -> int:
    title = Counter(word.casefold() for word in _WORD.findall(article.title))
    body = Counter(word.casefold() for word in _WORD.findall(article.body))
    return sum(3 * min(_matches(word, title), 1) + min(_matches(word, body), 3) for word in words)


def best(articles: Iterable[A], text: str, limit: int = 5) -> list[A]:
    """The ``limit`` articles that match ``text`` best, best first; none for no words."""
    words = query_words(text)
    if not words:
        return []
    scored = [(score(article, words), article) for article in articles]
    ranked = sorted(
        ((points, article) for points, article in scored if points > 0),
        key=lambda pair: (-pair[0], pair[1].title.casefold()),
    )
    return [article for _, article in ranked[:limit]]
