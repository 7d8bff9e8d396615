"""Searching the free text of comments: what a coordinator typed, turned into words to find,
and where each word is in a comment (for highlighting).

How a search matches (the coding queue says so next to the box):

* every word typed must be in the comment, in any order; part of a word is enough
  ("czekal" finds "czekałam", "inform" finds "informed");
* capitals and accents do not matter, in either direction: "zolw" finds "Żółw", "ŁÓDŹ"
  finds "łódź", "isklause" finds "išklausė" (casefold, then Unicode decomposition with the
  accents taken off; letters such as "ł" that do not come apart are folded by hand);
* what is typed is plain text: nothing in it is a pattern or markup.

The search words may themselves be sensitive (a name), so they are never logged, audited or
stored: they live in the request, and in the page's address on the coordinator's own
screen. The comments are opened for a search by the sealed-response store, in a bounded,
streamed pass (``comments.list_comments``).

Pure: nothing here touches the database, the request or the keys (messages are lazy
translations).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import lazy_gettext as _l

MAX_LENGTH = 100
MAX_WORDS = 10

# Letters that do not come apart under Unicode decomposition (as ``theme_suggestions``).
_EXTRA_FOLDS = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "’": "'"})
# Combining marks (accents) left by decomposition: removed in one C-speed pass.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


class SearchError(ValueError):
    """A search that cannot be run; ``message`` (a lazy translation) says why, kindly."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message


def fold(text: str) -> str:
    """Lower case without accents: "Czekałam" -> "czekalam", "Išklausė" -> "isklause"."""
    if text.isascii():
        return text.casefold()
    return _MARKS.sub("", unicodedata.normalize("NFKD", text.casefold())).translate(_EXTRA_FOLDS)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return fold(char)


@dataclass(frozen=True)
class TextSearch:
    """What to find: the folded words of what was typed (``typed``, tidied)."""

    typed: str
    words: tuple[str, ...]

    def matches(self, text: str) -> bool:
        """Whether every word is somewhere in ``text``."""
        folded = fold(text)
        return all(word in folded for word in self.words)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the words are in ``text``: (start, end) positions in the text as written,
        sorted, overlapping finds merged."""
        folded, origin = _folded_with_origin(text)
        found = []
        for word in self.words:
            start = folded.find(word)
            while start >= 0:
                end = start + len(word)
                found.append((origin[start], _end_in(text, origin[end - 1])))
                start = folded.find(word, end)
        merged: list[tuple[int, int]] = []
        for start, end in sorted(found):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged


def _folded_with_origin(text: str) -> tuple[str, list[int]]:
    """``text`` folded one character at a time, with the position in ``text`` that each
    folded character came from ("ß" -> "ss": two characters from one)."""
    parts, origin = [], []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return "".join(parts), origin


def _end_in(text: str, last: int) -> int:
    """The end of a find whose last character is at ``last``: past any accents written as
    separate combining characters after it."""
    end = last + 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return end


def parse(typed: str | None) -> TextSearch:
    """The search for what was typed; ``SearchError`` if there is nothing to search for or
    it is too long."""
    tidied = " ".join((typed or "").split())
    if not tidied:
        raise SearchError(_l("Type a word, or part of one, to search for."))
    if len(tidied) > MAX_LENGTH:
        raise SearchError(
            _l("Keep the search to %(n)d characters or fewer. Your words are still in the box.", n=MAX_LENGTH)
        )
    words = tuple(dict.fromkeys(w for w in (fold(part) for part in tidied.split(" ")) if w))
    if len(words) > MAX_WORDS:
        raise SearchError(_l("Search for %(n)d words or fewer.", n=MAX_WORDS))
    if not words:
        raise SearchError(_l("Type a word, or part of one, to search for."))
    return TextSearch(tidied, words)
